variable "cluster_endpoint" {
  type = string
}

# Mutual TLS: a client certificate and key signed by the cluster's client CA.
provider "hardened" {
  host                   = var.cluster_endpoint
  cluster_ca_certificate = file("${path.module}/ca.pem")
  client_certificate     = file("${path.module}/client.pem")
  client_key             = file("${path.module}/client-key.pem")
}
