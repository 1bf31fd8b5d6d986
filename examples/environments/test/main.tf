# test preset: restricted Pod Security in every mode. Quota: 4 CPU / 8Gi requested, 50 pods.
# The CI pipeline deploys into it with its own service account.

# Configured from the environment, for example: export KUBE_CONFIG_PATH=$HOME/.kube/config
provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name        = "${var.team}-test"
  environment = "test"

  labels = {
    team = var.team
  }

  access = [
    {
      role             = "edit"
      service_accounts = var.deployer_service_accounts
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
