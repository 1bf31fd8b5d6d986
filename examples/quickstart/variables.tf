variable "team" {
  type        = string
  description = "Name of the namespace, also its team label."
  default     = "team-a"
}

variable "developer_groups" {
  type        = list(string)
  description = "Groups that get the built-in edit role inside the namespace."
  default     = ["team-a-developers"]
}

variable "allowed_registries" {
  type        = list(string)
  description = "The only registries the namespace's pods may pull images from."
  default     = ["registry.k8s.io", "ghcr.io/team-a"]
}
