// Package provider is the Terraform layer: schemas, models and translation to the pure packages.
package provider
