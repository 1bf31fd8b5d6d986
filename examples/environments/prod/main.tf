# prod preset (also the default when environment is unset): restricted Pod Security in every mode.
# Quota: 16 CPU / 32Gi requested, 200 pods. The on-call group may read everything in it;
# deployments go through the pipeline's own identity.

# Configured from the environment, for example: export KUBE_CONFIG_PATH=$HOME/.kube/config
provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name        = "${var.team}-prod"
  environment = "prod"

  labels = {
    team = var.team
  }

  access = [
    {
      role   = "view"
      groups = var.oncall_groups
    },
  ]

  # Uncomment to make destroy and replacement fail until it is set back to false.
  # deletion_protection = true
}

output "managed_objects" {
  description = "The objects the namespace is made of, as Kind/name."
  value       = hardened_namespace.team_a.managed_objects
}

output "compliance" {
  description = "Whether the namespace satisfies every checklist practice it covers, and a line with scanner check ids for each one it does not."
  value       = hardened_namespace.team_a.compliance
}
