# One tenant = one or more hardened namespaces for a team in one environment, with the team's
# groups bound to namespace-scoped roles. Everything else (Pod Security, quota, limit range,
# default-deny network policies, no service account token) comes from the environment's preset.
locals {
  names = length(var.namespaces) == 0 ? ["${var.team}-${var.environment}"] : [
    for suffix in var.namespaces : "${var.team}-${suffix}-${var.environment}"
  ]

  # Roles in name order, so that the RoleBindings keep their order between plans.
  access = [
    for role in sort(keys(var.groups)) : {
      role   = role
      groups = var.groups[role]
    } if length(var.groups[role]) > 0
  ]
}

resource "hardened_namespace" "this" {
  for_each = toset(local.names)

  name        = each.key
  environment = var.environment

  labels = merge(var.labels, {
    team        = var.team
    environment = var.environment
  })

  access = local.access

  # An admission policy admitting only tagged, non-latest images from these registries.
  image_policy = length(var.allowed_registries) == 0 ? null : {
    allowed_registries = var.allowed_registries
  }

  lifecycle {
    precondition {
      condition     = length(each.key) <= 63
      error_message = "Namespace name ${each.key} is longer than 63 characters: shorten team or the namespace suffix."
    }
  }
}
