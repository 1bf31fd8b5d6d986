# Render the objects hardened_namespace would apply, without touching any cluster: commit the YAML
# to a GitOps repository (Argo CD, Flux) or review it in a pull request.
data "hardened_namespace_manifests" "payments" {
  name        = "payments"
  environment = "prod"

  labels = {
    team = "payments"
  }

  resource_quota = {
    hard = {
      "requests.cpu" = "24"
    }
  }

  network_policy = {
    allow_ingress_from_namespaces = ["ingress-nginx"]
    allow_ingress_ports           = ["8080/TCP"]
  }

  access = [
    {
      role   = "edit"
      groups = ["payments-developers"]
    },
  ]
}

# One multi-document YAML stream, namespace first:
#   terraform output -raw payments_manifests > clusters/prod/payments/hardened.yaml
output "payments_manifests" {
  value = data.hardened_namespace_manifests.payments.yaml
}

# Or one document per object, keyed by "Kind/name", for one file per object.
output "payments_manifest_files" {
  value = zipmap(
    data.hardened_namespace_manifests.payments.objects,
    data.hardened_namespace_manifests.payments.manifests,
  )
}
