# Provider functions need the provider in required_providers.
terraform {
  required_providers {
    hardened = {
      source = "kubehardening/hardened"
    }
  }
}

# provider::hardened::version_support needs no cluster and reads no clock: pass the date.
variable "kubernetes_version" {
  type        = string
  description = "Control plane version to deploy, for example \"1.36.5\" or \"v1.35.8-eks-7f9249a\"."
  default     = "1.36.5"

  validation {
    # plantimestamp() is stable for the whole plan; the function uses its UTC date.
    condition     = provider::hardened::version_support(var.kubernetes_version, plantimestamp()).supported
    error_message = provider::hardened::version_support(var.kubernetes_version, plantimestamp()).message
  }
}

locals {
  k8s_support = provider::hardened::version_support(var.kubernetes_version, formatdate("YYYY-MM-DD", plantimestamp()))
}

output "kubernetes_support" {
  value = {
    status                 = local.k8s_support.status
    end_of_life_date       = local.k8s_support.end_of_life_date
    days_until_end_of_life = local.k8s_support.days_until_end_of_life
    latest_patch           = local.k8s_support.latest_patch
    upgrade_path           = local.k8s_support.upgrade_path
  }
}
