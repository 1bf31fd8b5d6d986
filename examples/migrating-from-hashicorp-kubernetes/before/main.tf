# A team namespace as it is often managed with hashicorp/kubernetes: seven resources of five types,
# one object each. The application itself (Deployments, Services, ConfigMaps) is deployed into the
# namespace by the team's own pipeline, not by this configuration.

# Reaches the cluster through KUBE_CONFIG_PATH (or KUBE_HOST and KUBE_TOKEN).
provider "kubernetes" {}

resource "kubernetes_namespace_v1" "payments" {
  metadata {
    name = "payments"
    labels = {
      team                                 = "payments"
      "pod-security.kubernetes.io/enforce" = "restricted"
    }
    annotations = {
      "example.com/owner" = "payments-team@example.com"
    }
  }
}

resource "kubernetes_resource_quota_v1" "payments" {
  metadata {
    name      = "quota"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
  }
  spec {
    hard = {
      "requests.cpu"           = "8"
      "requests.memory"        = "16Gi"
      "limits.cpu"             = "16"
      "limits.memory"          = "32Gi"
      pods                     = "50"
      "services.loadbalancers" = "0"
    }
  }
}

resource "kubernetes_limit_range_v1" "payments" {
  metadata {
    name      = "limits"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
  }
  spec {
    limit {
      type            = "Container"
      default_request = { cpu = "250m", memory = "256Mi" }
      default         = { cpu = "500m", memory = "512Mi" }
      max             = { cpu = "4", memory = "8Gi" }
    }
  }
}

# Deny everything in and out...
resource "kubernetes_network_policy_v1" "default_deny" {
  metadata {
    name      = "default-deny"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

# ...except DNS (to any namespace: wider than it needs to be)...
resource "kubernetes_network_policy_v1" "allow_dns" {
  metadata {
    name      = "allow-dns"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {}
      }
      ports {
        port     = "53"
        protocol = "UDP"
      }
      ports {
        port     = "53"
        protocol = "TCP"
      }
    }
  }
}

# ...traffic between the namespace's own pods, and the ingress controller on port 8080.
resource "kubernetes_network_policy_v1" "allow_internal" {
  metadata {
    name      = "allow-internal"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
    ingress {
      from {
        pod_selector {}
      }
    }
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = "ingress-nginx" }
        }
      }
      ports {
        port     = "8080"
        protocol = "TCP"
      }
    }
    egress {
      to {
        pod_selector {}
      }
    }
  }
}

resource "kubernetes_role_binding_v1" "team_edit" {
  metadata {
    name      = "team-edit"
    namespace = kubernetes_namespace_v1.payments.metadata[0].name
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "edit"
  }
  subject {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Group"
    name      = "payments-developers"
  }
}
