// Package hardening turns a namespace specification into the Kubernetes objects a hardened tenant
// namespace needs. It is pure: no Terraform, no network. Every hardening rule lives here once, so
// the provider, the manifests data source and the tests all see the same objects.
package hardening

// ManagedByLabel marks every object this provider writes, so reads can select them by label.
const (
	ManagedByLabel = "app.kubernetes.io/managed-by"
	ManagedByValue = "terraform-provider-hardened"
)
