# Quickstart: one hardened tenant namespace. The provider reads the cluster from the environment
# (KUBE_CONFIG_PATH, or KUBE_HOST with KUBE_TOKEN / client certificates), as `make demo` sets it.

provider "hardened" {}

resource "hardened_namespace" "team_a" {
  name = var.team

  labels = {
    team = var.team
  }

  # Restricted is the default for every mode; shown here to make it visible.
  pod_security = {
    enforce = "restricted"
    audit   = "restricted"
    warn    = "restricted"
  }

  # The team's developers get the built-in edit role, inside this namespace only (a RoleBinding).
  access = [
    {
      role   = "edit"
      groups = var.developer_groups
    },
  ]

  # Only images from these registries, never untagged or :latest (Kubernetes 1.30+).
  image_policy = {
    allowed_registries = var.allowed_registries
  }
}

output "namespace" {
  value = hardened_namespace.team_a.name
}

output "uid" {
  value = hardened_namespace.team_a.uid
}

# The objects the namespace is made of (Namespace, ServiceAccount, ResourceQuota, LimitRange,
# NetworkPolicies, RoleBinding), as Kind/name. One changed outside Terraform drops out of this
# list until the next apply restores it.
output "managed_objects" {
  value = hardened_namespace.team_a.managed_objects
}

# Whether the namespace satisfies every practice it covers (2, 4, 5, 6, 7), and a line for each one
# it does not, with the CIS / Kubescape checks that report it.
output "compliance" {
  value = hardened_namespace.team_a.compliance
}
