# A reusable module declares the providers it needs but configures none: the caller's provider
# "hardened" block (or its KUBE_* environment) decides which cluster the tenant lands in.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    hardened = {
      source  = "kubehardening/hardened"
      version = ">= 0.1.0"
    }
  }
}
