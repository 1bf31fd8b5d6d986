# Terraform 1.8 or newer, the release that added provider functions (provider::hardened::...).
terraform {
  required_version = ">= 1.8"

  required_providers {
    hardened = {
      source  = "kubehardening/hardened"
      version = "~> 0.3.0"
    }
  }
}
