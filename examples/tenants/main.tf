# How an infrastructure repository stamps out tenants: one module call per team and environment.
# Adding a team is a pull request with one more block.

# Configured from the environment (KUBE_CONFIG_PATH, or KUBE_HOST with KUBE_TOKEN).
provider "hardened" {}

module "payments_prod" {
  source = "../modules/tenant"

  team        = "payments"
  environment = "prod"
  namespaces  = ["api", "workers"]
  groups = {
    edit = ["payments-developers"]
    view = ["payments-oncall", "security-auditors"]
  }
  allowed_registries = ["registry.example.com/payments"]
}

module "search_dev" {
  source = "../modules/tenant"

  team        = "search"
  environment = "dev"
  groups = {
    admin = ["search-leads"]
    edit  = ["search-developers"]
  }
  allowed_registries = ["registry.example.com/search", "ghcr.io/example-org"]
  labels = {
    "cost-center" = "cc-4711"
  }
}

output "namespaces" {
  value = concat(module.payments_prod.namespaces, module.search_dev.namespaces)
}

output "compliance" {
  value = merge(module.payments_prod.compliance, module.search_dev.compliance)
}

# Report, without blocking the run, any tenant namespace that misses a practice it covers.
check "tenants_compliant" {
  assert {
    condition     = alltrue(values(merge(module.payments_prod.compliant, module.search_dev.compliant)))
    error_message = "Not compliant: ${join(", ", [for ns, ok in merge(module.payments_prod.compliant, module.search_dev.compliant) : ns if !ok])}."
  }
}
