variable "cluster_endpoint" {
  type        = string
  description = "API server address, https://..."
}

variable "cluster_ca_certificate" {
  type        = string
  description = "PEM-encoded CA certificate of the API server."
}

variable "token" {
  type        = string
  sensitive   = true
  description = "Bearer token of a ServiceAccount or user allowed to manage tenant namespaces."
}

# A bearer token with the cluster's CA certificate: TLS is verified against that CA.
provider "hardened" {
  host                   = var.cluster_endpoint
  cluster_ca_certificate = var.cluster_ca_certificate
  token                  = var.token
}
