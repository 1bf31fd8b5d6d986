# Quickstart: one hardened tenant namespace. The provider reads the cluster from the environment
# (KUBE_CONFIG_PATH, or KUBE_HOST with KUBE_TOKEN / client certificates), as `make demo` sets it.
terraform {
  required_providers {
    hardened = {
      source  = "kubehardening/hardened"
      version = ">= 0.1.0"
    }
  }
}

provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name = "team-a"

  labels = {
    team = "team-a"
  }

  # Restricted is the default for every mode; shown here to make it visible.
  pod_security = {
    enforce = "restricted"
    audit   = "restricted"
    warn    = "restricted"
  }
}

output "namespace" {
  value = hardened_namespace.team_a.name
}

output "uid" {
  value = hardened_namespace.team_a.uid
}
