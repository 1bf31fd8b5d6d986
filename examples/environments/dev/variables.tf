variable "team" {
  type        = string
  description = "The team that owns the namespace: the namespace is named <team>-dev and labelled team = <team>."
  default     = "team-a"
}

variable "developer_groups" {
  type        = list(string)
  description = "Groups that get the built-in edit role inside the namespace."
  default     = ["team-a-developers"]
}
