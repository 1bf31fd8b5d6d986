# The configuration of the move: hardened_namespace, and hashicorp/kubernetes for as long as the
# state still holds its resources. Terraform 1.7 or newer: `removed` blocks with
# `lifecycle { destroy = false }` (and `import` blocks, 1.5).
terraform {
  required_version = ">= 1.7"

  required_providers {
    hardened = {
      source  = "kubehardening/hardened"
      version = "~> 0.3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 3.2"
    }
  }
}
