# The smallest hardened namespace: the prod preset (restricted Pod Security in every mode,
# quota, limit range, default-deny network policies, no service account token automount).
resource "hardened_namespace" "team_a" {
  name = "team-a"
}

# A staging namespace with its own quota, network allows and team access.
resource "hardened_namespace" "payments" {
  name        = "payments-staging"
  environment = "staging"

  labels = {
    team = "payments"
  }

  annotations = {
    "owner.example.com/contact" = "payments@example.com"
  }

  # Every mode comes from the preset (restricted); pin the policy version to upgrade it deliberately.
  pod_security = {
    version = "v1.37"
  }

  # Merged key by key over the staging preset: the other keys, including
  # services.loadbalancers = "0" and services.nodeports = "0", stay as the preset sets them.
  resource_quota = {
    hard = {
      "requests.cpu"     = "12"
      "limits.cpu"       = "24"
      "count/jobs.batch" = "20"
    }
  }

  limit_range = {
    max = {
      memory = "12Gi"
    }
  }

  # Ingress and egress stay denied by default; DNS and same-namespace traffic stay allowed.
  network_policy = {
    allow_ingress_from_namespaces = ["ingress-nginx"]
    allow_ingress_ports           = ["8080/TCP"]
    allow_egress_to_namespaces    = ["observability"]
    allow_egress_to_cidrs         = ["10.20.0.0/16"]
    allow_egress_ports            = ["443/TCP", "5432/TCP"]
  }

  # One RoleBinding per entry, inside this namespace only.
  access = [
    {
      role   = "edit"
      groups = ["payments-developers"]
    },
    {
      role             = "view"
      users            = ["auditor@example.com"]
      service_accounts = ["observability/prometheus"]
    },
  ]

  # Admit only images from these registries, tagged (not :latest) and pinned by digest, and pull
  # them on every start (staging does not by default; prod does).
  image_policy = {
    allowed_registries = ["registry.example.com", "ghcr.io/example-org"]
    require_digest     = true
    always_pull_images = true
  }

  # Ingresses and Gateway API routes may claim these names and the names under them only.
  allowed_hostnames = ["payments.staging.example.com"]

  deletion_protection = true

  timeouts = {
    delete = "15m"
  }
}
