# dev preset: Pod Security enforces baseline but audits and warns at restricted, so developers
# see what prod would refuse without being blocked. Quota: 2 CPU / 4Gi requested, 20 pods.
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
  name        = "team-a-dev"
  environment = "dev"

  labels = {
    team = "team-a"
  }

  access = [
    {
      role   = "edit"
      groups = ["team-a-developers"]
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
