# Least privilege: the provider's ClusterRole, applied once by a cluster administrator (for
# example with kubectl apply -f clusterrole.yaml), then bound to the identity Terraform runs as.
#
#   kubectl apply -f clusterrole.yaml
#   kubectl create clusterrolebinding terraform-provider-hardened \
#     --clusterrole=terraform-provider-hardened --group=terraform-ci
#
# That identity then runs configurations like this one without cluster-admin.

provider "hardened" {
  # Every session of the runner holds this group; the tamper guards exempt it, so plan, apply and
  # destroy work from any session, and a run as anyone else fails at plan.
  runner_identity = { groups = ["terraform-ci"] }
}

resource "hardened_namespace" "team" {
  name = "team-least-privilege"
  access = [
    { role = "edit", groups = ["team-developers"] },
  ]
}
