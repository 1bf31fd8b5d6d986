# Least privilege: the provider's ClusterRole, applied once by a cluster administrator (for
# example with kubectl apply -f clusterrole.yaml), then bound to the identity Terraform runs as.
#
#   kubectl apply -f clusterrole.yaml
#   kubectl create clusterrolebinding terraform-provider-hardened \
#     --clusterrole=terraform-provider-hardened --user=terraform-ci
#
# That identity then runs configurations like this one without cluster-admin.

provider "hardened" {}

resource "hardened_namespace" "team" {
  name = "team-least-privilege"
  access = [
    { role = "edit", groups = ["team-developers"] },
  ]
}
