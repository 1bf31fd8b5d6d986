# test preset: restricted Pod Security in every mode. Quota: 4 CPU / 8Gi requested, 50 pods.
# The CI pipeline deploys into it with its own service account.
terraform {
  required_providers {
    hardened = {
      source = "kubehardening/hardened"
    }
  }
}

# Configured from the environment, for example: export KUBE_CONFIG_PATH=$HOME/.kube/config
provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name        = "team-a-test"
  environment = "test"

  labels = {
    team = "team-a"
  }

  access = [
    {
      role             = "edit"
      service_accounts = ["ci/team-a-deployer"]
    },
  ]
}

output "managed_objects" {
  description = "The objects the namespace is made of, as Kind/name."
  value       = hardened_namespace.team_a.managed_objects
}

output "compliance" {
  description = "Which checklist practices the namespace satisfies, with scanner check ids."
  value       = hardened_namespace.team_a.compliance
}
