package provider

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

var (
	_ resource.Resource                   = &NamespaceResource{}
	_ resource.ResourceWithConfigure      = &NamespaceResource{}
	_ resource.ResourceWithImportState    = &NamespaceResource{}
	_ resource.ResourceWithModifyPlan     = &NamespaceResource{}
	_ resource.ResourceWithValidateConfig = &NamespaceResource{}
)

const (
	defaultCreateTimeout = 5 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
	// importedKey marks state that came from import, so the first Read adopts the live labels.
	importedKey = "imported"
)

// NamespaceResource is hardened_namespace.
type NamespaceResource struct {
	data *providerData
}

// NewNamespaceResource returns the resource.
func NewNamespaceResource() resource.Resource { return &NamespaceResource{} }

func (r *NamespaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_namespace"
}

func (r *NamespaceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	d, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = d
}

// ValidateConfig runs every hardening rule at plan time and reports each at its attribute.
func (r *NamespaceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, req.Config.Raw, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	errs, diags := m.configErrors(ctx)
	resp.Diagnostics.Append(diags...)
	for _, fe := range errs {
		resp.Diagnostics.AddAttributeError(fieldErrorPath(fe.Path), "Invalid hardened_namespace configuration", fe.Msg)
	}
}

// configErrors are the validation errors of a configuration that can be judged now, for the
// resource and the manifests data source alike. Values known only after apply (another
// resource's id, each.key) are judged then: an error about an unknown value, or about its relation
// to another (an empty list that is only not known yet), waits. An error the attribute's own schema
// validator already reports is not repeated.
func (m namespaceModel) configErrors(ctx context.Context) ([]fielderr.Error, diag.Diagnostics) {
	s, unknown, diags := m.spec(ctx)
	if m.Name.IsUnknown() {
		s.Name = "unknown-yet"
	}
	waiting := m.unknownPaths()
	var out []fielderr.Error
	for _, fe := range hardening.Validate(s) {
		if unknown && (len(fe.Path) > 0 && fe.Path[0] == "limit_range" || waiting.covers(fe)) {
			continue
		}
		if reportedBySchema(fe.Path, s) {
			continue
		}
		out = append(out, fe)
	}
	return out, diags
}

// reportedBySchema: values outside a fixed set are refused by the schema's OneOf validators, at
// the same attribute; the pure core's error about the same value would repeat it.
func reportedBySchema(p []any, s hardening.NamespaceSpec) bool {
	at := func(want ...string) bool {
		if len(p) != len(want) {
			return false
		}
		for i := range want {
			if fmt.Sprint(p[i]) != want[i] {
				return false
			}
		}
		return true
	}
	outside := func(v *string, set []string) bool { return v != nil && !slices.Contains(set, *v) }
	switch {
	case at("environment"):
		return s.Environment != "" && !slices.Contains(hardening.Environments, s.Environment)
	case at("pod_security", "enforce"):
		return outside(s.PodSecurity.Enforce, hardening.Levels)
	case at("pod_security", "audit"):
		return outside(s.PodSecurity.Audit, hardening.Levels)
	case at("pod_security", "warn"):
		return outside(s.PodSecurity.Warn, hardening.Levels)
	case at("image_policy", "action"):
		return s.ImagePolicy != nil && outside(s.ImagePolicy.Action, hardening.ImageActions)
	case at("service_policy", "action"):
		return s.ServicePolicy != nil && outside(s.ServicePolicy.Action, hardening.ImageActions)
	}
	return false
}
