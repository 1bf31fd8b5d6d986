# Not rendered in the documentation: makes this directory a configuration of its own, so that
# `terraform validate` resolves `hardened` to kubehardening/hardened.
terraform {
  required_providers {
    hardened = {
      source = "kubehardening/hardened"
    }
  }
}
