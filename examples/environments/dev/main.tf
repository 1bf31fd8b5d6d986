# dev preset: Pod Security enforces baseline but audits and warns at restricted, so developers
# see what prod would refuse without being blocked. Quota: 2 CPU / 4Gi requested, 20 pods.

# Configured from the environment, for example: export KUBE_CONFIG_PATH=$HOME/.kube/config
provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name        = "${var.team}-dev"
  environment = "dev"

  labels = {
    team = var.team
  }

  access = [
    {
      role   = "edit"
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
