# Reads the cluster from a kubeconfig, like the hashicorp/kubernetes provider.
provider "hardened" {
  config_path    = "~/.kube/config"
  config_context = "prod"
}

# Or, in Terraform Cloud / CI, configure nothing here and set KUBE_HOST, KUBE_TOKEN and
# KUBE_CLUSTER_CA_CERT_DATA in the workspace's environment.
