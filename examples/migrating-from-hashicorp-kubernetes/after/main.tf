# The same namespace as ../before, as one hardened_namespace, moved in one apply: the import block
# adopts the live namespace (same UID, workloads untouched) and the removed blocks make Terraform
# forget the five hashicorp/kubernetes resources instead of destroying them. Without the removed
# block for kubernetes_namespace_v1, Terraform would delete the namespace and everything in it.

# Both reach the cluster through KUBE_CONFIG_PATH (or KUBE_HOST and KUBE_TOKEN). The kubernetes
# provider is only needed until this apply has run; then remove it with the removed blocks.
provider "hardened" {}
provider "kubernetes" {}

resource "hardened_namespace" "payments" {
  name        = "payments"
  environment = "prod" # Pod Security restricted in enforce, audit and warn mode

  labels      = { team = "payments" }
  annotations = { "example.com/owner" = "payments-team@example.com" }

  # Merged key by key over the prod preset: the keys below keep the old values, and the preset adds
  # persistentvolumeclaims = 50 and services.nodeports = 0 (and services.loadbalancers = 0).
  resource_quota = {
    hard = {
      "requests.cpu"    = "8"
      "requests.memory" = "16Gi"
      "limits.cpu"      = "16"
      "limits.memory"   = "32Gi"
      pods              = "50"
    }
  }

  limit_range = {
    default_request = { cpu = "250m", memory = "256Mi" }
    default         = { cpu = "500m", memory = "512Mi" }
    max             = { cpu = "4", memory = "8Gi" }
  }

  # deny_ingress, deny_egress, allow_dns (53/UDP and 53/TCP to kube-system) and
  # allow_same_namespace come with the preset.
  network_policy = {
    allow_ingress_from_namespaces = ["ingress-nginx"]
    allow_ingress_ports           = ["8080"]
  }

  access = [{ role = "edit", groups = ["payments-developers"] }]
}

import {
  to = hardened_namespace.payments
  id = "payments"
}

removed {
  from = kubernetes_namespace_v1.payments
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_resource_quota_v1.payments
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_limit_range_v1.payments
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_network_policy_v1.default_deny
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_network_policy_v1.allow_dns
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_network_policy_v1.allow_internal
  lifecycle {
    destroy = false
  }
}

removed {
  from = kubernetes_role_binding_v1.team_edit
  lifecycle {
    destroy = false
  }
}
