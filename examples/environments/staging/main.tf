# staging preset: restricted Pod Security in every mode. Quota: 8 CPU / 16Gi requested, 100 pods.
# Developers may look but not change: changes arrive through the pipeline.

# Configured from the environment, for example: export KUBE_CONFIG_PATH=$HOME/.kube/config
provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name        = "${var.team}-staging"
  environment = "staging"

  labels = {
    team = var.team
  }

  access = [
    {
      role   = "view"
      groups = var.developer_groups
    },
  ]
}

output "managed_objects" {
  description = "The objects the namespace is made of, as Kind/name."
  value       = hardened_namespace.team_a.managed_objects
}

output "compliance" {
  description = "Whether the namespace satisfies every checklist practice it covers, and a line with scanner check ids for each one it does not."
  value       = hardened_namespace.team_a.compliance
}
