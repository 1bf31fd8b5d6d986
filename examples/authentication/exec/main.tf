variable "cluster_name" {
  type    = string
  default = "platform"
}

variable "cluster_endpoint" {
  type = string
}

variable "cluster_ca_certificate" {
  type        = string
  description = "Base64-encoded CA certificate, as EKS reports it."
}

# Short-lived credentials from a client-go credential plugin, here `aws eks get-token`
# (gke-gcloud-auth-plugin and kubelogin work the same way). Nothing long-lived is stored.
provider "hardened" {
  host                   = var.cluster_endpoint
  cluster_ca_certificate = base64decode(var.cluster_ca_certificate)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", var.cluster_name]
  }
}
