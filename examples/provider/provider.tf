terraform {
  required_providers {
    hardened = {
      source = "kubehardening/hardened"
    }
  }
}

# Reads the cluster from a kubeconfig, like the hashicorp/kubernetes provider. The path is never
# implied: without config_path (or KUBE_CONFIG_PATH) ~/.kube/config is not read.
provider "hardened" {
  config_path    = "~/.kube/config"
  config_context = "prod"

  # Who Terraform runs as, for the tamper guard of every hardened_namespace: a group every session
  # of the runner holds (EKS access entries and HCP Terraform dynamic credentials change the user
  # name per session or per phase). A run as anyone else fails at plan.
  runner_identity = { groups = ["terraform-ci"] }
}

# Or, in Terraform Cloud / CI, leave the block empty (provider "hardened" {}) and set
# KUBE_HOST, KUBE_TOKEN and KUBE_CLUSTER_CA_CERT_DATA in the workspace's environment.
