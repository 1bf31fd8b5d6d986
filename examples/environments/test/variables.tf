variable "team" {
  type        = string
  description = "The team that owns the namespace: the namespace is named <team>-test and labelled team = <team>."
  default     = "team-a"
}

variable "deployer_service_accounts" {
  type        = list(string)
  description = "Service accounts, as <namespace>/<name>, that get the built-in edit role inside the namespace."
  default     = ["ci/team-a-deployer"]
}
