# A reusable module declares the providers it needs but configures none: the caller's provider
# "hardened" block (or its KUBE_* environment) decides which cluster the tenant lands in.
# Terraform 1.2 or newer for lifecycle preconditions; the module calls no provider function, so
# it does not need 1.8 itself.
terraform {
  required_version = ">= 1.2"

  required_providers {
    hardened = {
      source  = "kubehardening/hardened"
      version = "~> 0.3.0"
    }
  }
}
