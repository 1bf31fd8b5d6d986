package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	// connect returns the cluster's client, built on first use.
	connect func() (cluster, error)
	// configUnknown is set while planning against a cluster whose address is not known yet.
	configUnknown bool
	// fingerprintVersion is the provider build a plan fingerprint names (plan_fingerprint.go).
	fingerprintVersion string
	// runner is the declared runner_identity (nil: the user name the API server reports).
	runner *hardening.RunnerIdentity
}

// known says whether the cluster is known: the provider is configured and its configuration has
// no value left for apply. Every cluster read is made only then.
func (d *providerData) known() bool { return d != nil && !d.configUnknown }

// client returns the Kubernetes client, or a diagnostic saying why there is none.
func (d *providerData) client() (cluster, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !d.known() {
		diags.AddError("Kubernetes cluster not known yet",
			"The provider configuration depends on values that are only known after apply (for example a cluster "+
				"created in the same configuration). Apply the cluster first (terraform apply -target=...), or run "+
				"Terraform with deferred actions enabled.")
		return nil, diags
	}
	c, err := d.connect()
	if err != nil {
		diags.AddError("Cannot configure the Kubernetes client", err.Error())
	}
	return c, diags
}

// lazyCluster connects to the cluster c describes when first asked.
func lazyCluster(c kube.Config) func() (cluster, error) {
	lazy := kube.NewLazy(c)
	return func() (cluster, error) {
		client, err := lazy.Get()
		if err != nil {
			return nil, err
		}
		return client, nil
	}
}

// providerDataFrom checks the type handed over by Configure.
func providerDataFrom(v any) (*providerData, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v == nil {
		return nil, diags
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; please report this issue to the provider developers", v))
	}
	return d, diags
}
