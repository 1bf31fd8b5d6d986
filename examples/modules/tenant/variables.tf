variable "team" {
  type        = string
  description = "The team that owns the tenant, for example \"payments\". Prefixes every namespace name and becomes the `team` label."

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.team))
    error_message = "team must be lower case letters, digits and '-', starting and ending with a letter or digit."
  }
}

variable "environment" {
  type        = string
  description = "The hardened_namespace preset: dev, test, staging or prod. Suffixes every namespace name."

  validation {
    condition     = contains(["dev", "test", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, test, staging or prod."
  }
}

variable "groups" {
  type        = map(list(string))
  description = "Who gets which role inside the tenant's namespaces: a ClusterRole name (view, edit, admin) => the groups bound to it, for example { edit = [\"payments-developers\"], view = [\"payments-oncall\"] }."
  default     = {}

  validation {
    condition     = !contains(keys(var.groups), "cluster-admin")
    error_message = "A tenant gets namespace-scoped roles only: cluster-admin is not a tenant role."
  }
}

variable "namespaces" {
  type        = list(string)
  description = "Namespace suffixes, one namespace per entry (\"api\" gives <team>-api-<environment>). Empty: one namespace, <team>-<environment>."
  default     = []

  validation {
    condition     = alltrue([for n in var.namespaces : can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", n))])
    error_message = "Each namespace suffix must be lower case letters, digits and '-'."
  }
}

variable "labels" {
  type        = map(string)
  description = "Extra labels for every namespace of the tenant."
  default     = {}
}

variable "allowed_registries" {
  type        = list(string)
  description = "Registries the tenant's images must come from (practice 2). Empty: no image policy, and practice 2 reports as not satisfied."
  default     = []
}
