variable "team" {
  type        = string
  description = "The team that owns the namespace: the namespace is named <team>-prod and labelled team = <team>."
  default     = "team-a"
}

variable "oncall_groups" {
  type        = list(string)
  description = "Groups that get the built-in view role inside the namespace."
  default     = ["team-a-oncall"]
}
