// Command terraform-provider-hardened serves the hardened provider to Terraform.
package main
