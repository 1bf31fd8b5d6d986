variable "team" {
  type        = string
  description = "The team that owns the namespace: the namespace is named <team>-staging and labelled team = <team>."
  default     = "team-a"
}

variable "developer_groups" {
  type        = list(string)
  description = "Groups that get the built-in view role inside the namespace."
  default     = ["team-a-developers"]
}
