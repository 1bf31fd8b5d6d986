# GitOps: Terraform never talks to the cluster. It renders the hardened objects for every tenant
# as YAML, and a GitOps controller (Argo CD, Flux) applies what is committed. The provider needs
# no configuration: hardened_namespace_manifests reads no cluster.
#
#   terraform apply
#   terraform output -json tenant_files | jq -r 'to_entries[] | "\(.key)\t\(.value)"' |
#     while IFS=$'\t' read -r path yaml; do mkdir -p "$(dirname "$path")"; printf '%s\n' "$yaml" > "$path"; done
#
# or write the files with the hashicorp/local provider's local_file resource where it is available.

provider "hardened" {}

variable "cluster" {
  type        = string
  description = "Cluster folder in the GitOps repository."
  default     = "prod-eu-1"
}

locals {
  tenants = {
    payments = {
      environment = "prod"
      groups      = { edit = ["payments-developers"], view = ["payments-oncall"] }
      ingress     = ["ingress-nginx"]
    }
    search = {
      environment = "staging"
      groups      = { edit = ["search-developers"] }
      ingress     = ["ingress-nginx"]
    }
    analytics = {
      environment = "dev"
      groups      = { admin = ["analytics-leads"], edit = ["analytics-developers"] }
      ingress     = []
    }
  }
}

data "hardened_namespace_manifests" "tenant" {
  for_each = local.tenants

  name        = "${each.key}-${each.value.environment}"
  environment = each.value.environment

  labels = {
    team = each.key
  }

  network_policy = {
    allow_ingress_from_namespaces = each.value.ingress
    allow_ingress_ports           = length(each.value.ingress) > 0 ? ["8080/TCP"] : []
  }

  access = [
    for role in sort(keys(each.value.groups)) : {
      role   = role
      groups = each.value.groups[role]
    }
  ]
}

# One file per tenant: clusters/<cluster>/tenants/<namespace>.yaml => multi-document YAML.
output "tenant_files" {
  value = {
    for name, m in data.hardened_namespace_manifests.tenant :
    "clusters/${var.cluster}/tenants/${m.id}.yaml" => m.yaml
  }
}

# Or one file per object, for a kustomization that lists them: <namespace>/<Kind>-<name>.yaml.
output "object_files" {
  value = merge([
    for name, m in data.hardened_namespace_manifests.tenant : {
      for i, obj in m.objects :
      "clusters/${var.cluster}/tenants/${m.id}/${replace(obj, "/", "-")}.yaml" => m.manifests[i]
    }
  ]...)
}
