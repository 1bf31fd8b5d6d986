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
}

# A fixed date by default, so that this example gives the same verdict on any day: 1.36 reaches end
# of life on 2027-06-28, and judged on the day of the plan the default version would then stop it.
# Set as_of = "" to judge on the day of the plan, as a real pipeline should.
variable "as_of" {
  type        = string
  description = "Date to judge the version on, YYYY-MM-DD. Empty: the date of the plan."
  default     = "2026-11-26"
}

locals {
  # plantimestamp() is stable for the whole plan; the function uses its UTC date.
  k8s_support = provider::hardened::version_support(var.kubernetes_version, coalesce(var.as_of, plantimestamp()))

  # A third argument picks the calendar: "kubernetes", "eks", "gke" or "aks". Without it the version's
  # suffix decides ("-eks-", "-gke."); AKS versions have none, so name it.
  aks_support = provider::hardened::version_support("1.35.4", coalesce(var.as_of, plantimestamp()), "aks")
}

output "kubernetes_support" {
  value = {
    status                 = local.k8s_support.status
    end_of_life_date       = local.k8s_support.end_of_life_date
    days_until_end_of_life = local.k8s_support.days_until_end_of_life
    latest_patch           = local.k8s_support.latest_patch
    upgrade_path           = local.k8s_support.upgrade_path
    aks_status             = local.aks_support.status
  }

  # Stops the plan while the version is out of support.
  precondition {
    condition     = local.k8s_support.supported
    error_message = local.k8s_support.message
  }
}
