resource "hardened_namespace" "payments" {
  name = "payments"

  labels = {
    team = "payments"
  }

  annotations = {
    "owner.example.com/contact" = "payments@example.com"
  }

  # Every mode defaults to restricted; pin the policy version to upgrade it deliberately.
  pod_security = {
    version = "v1.37"
  }
}
