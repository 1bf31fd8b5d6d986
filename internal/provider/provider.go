package provider

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

var (
	_ provider.Provider              = &HardenedProvider{}
	_ provider.ProviderWithFunctions = &HardenedProvider{}
)

// HardenedProvider is the hardened provider.
type HardenedProvider struct {
	version string
	// resourceData is what Configure gave the resources when the cluster is known, for the
	// protocol shortcuts (protocol_read.go, protocol_plan.go); nil otherwise.
	resourceData atomic.Pointer[providerData]
}

// New returns a constructor for the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &HardenedProvider{version: version} }
}

// Metadata sets the type name that prefixes every resource.
func (p *HardenedProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hardened"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *HardenedProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = providerSchema()
}

// Configure prepares a lazily connected client: nothing here talks to the cluster.
func (p *HardenedProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	p.resourceData.Store(nil)
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !req.Config.Raw.IsFullyKnown() {
		// The cluster is being created in this same run. Terraform can defer the provider's work
		// to a later round when it allows it; otherwise plan goes on without cluster reads.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		tflog.Info(ctx, "provider configuration is not known until apply; cluster reads are skipped during this plan")
		data := &providerData{configUnknown: true}
		resp.ResourceData, resp.DataSourceData = data, data
		return
	}
	cfg, diags := m.kubeConfig(ctx)
	resp.Diagnostics.Append(diags...)
	runner, diags := m.runnerIdentity(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if cfg.Host != "" {
		if err := kube.CheckTransport(hostWithScheme(cfg.Host)); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("host"), "Plain HTTP API server refused", err.Error())
			return
		}
	}
	if cfg.Insecure {
		resp.Diagnostics.AddWarning("TLS verification is disabled",
			"insecure = true (or KUBE_INSECURE) makes the provider accept any certificate from the API server, so a "+
				"machine in the middle can read the credentials and the objects. Set cluster_ca_certificate (or use a "+
				"kubeconfig with certificate-authority-data) and remove insecure.")
	} else if rc, err := kube.RESTConfig(cfg); err == nil && rc.Insecure {
		// The kubeconfig itself may turn verification off; that is no safer than insecure = true.
		resp.Diagnostics.AddWarning("TLS verification is disabled",
			"The kubeconfig's cluster entry sets insecure-skip-tls-verify: true, so the provider accepts any certificate "+
				"from the API server and a machine in the middle can read the credentials and the objects. Put the "+
				"cluster's CA in certificate-authority-data (or set cluster_ca_certificate) and remove insecure-skip-tls-verify.")
	}
	cfg.UserAgent = fmt.Sprintf("terraform-provider-hardened/%s", p.version)
	cfg.ProviderVersion = p.version
	tflog.Debug(ctx, "configured Kubernetes client", map[string]any{"host": cfg.Host, "config_paths": cfg.ConfigPaths, "field_manager": cfg.FieldManager})
	data := &providerData{connect: lazyCluster(cfg), fingerprintVersion: p.fingerprintVersion(), runner: runner}
	resp.ResourceData, resp.DataSourceData = data, data
	p.resourceData.Store(data)
}

// Resources lists the resources.
func (p *HardenedProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewNamespaceResource}
}

// DataSources lists the data sources.
func (p *HardenedProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewVersionSupportDataSource, NewNamespaceManifestsDataSource, NewAuditPolicyDataSource, NewClusterPostureDataSource}
}

// Functions lists the provider functions.
func (p *HardenedProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{NewVersionSupportFunction}
}
