package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// namespaceAttrTypes are hardened_namespace's top-level attribute types.
var namespaceAttrTypes = func() map[string]attr.Type {
	out := make(map[string]attr.Type, len(namespaceSchema.Attributes))
	for name, a := range namespaceSchema.Attributes {
		out[name] = a.GetType()
	}
	return out
}()

// getNamespace reads a hardened_namespace value (config, plan or state) into m; a null or unknown
// value is left to the framework, which says why it cannot be read.
func getNamespace(ctx context.Context, raw tftypes.Value, m *namespaceModel) diag.Diagnostics {
	if raw.IsNull() || !raw.IsKnown() {
		return tfsdk.State{Schema: namespaceSchema, Raw: raw}.Get(ctx, m)
	}
	return tfcodec.RawInto(ctx, raw, namespaceAttrTypes, m)
}

// setNamespace stores m into raw (a state's or plan's Raw); raw is unchanged on error.
func setNamespace(ctx context.Context, raw *tftypes.Value, m *namespaceModel) diag.Diagnostics {
	v, diags := tfcodec.RawOf(ctx, namespaceTerraformType, namespaceAttrTypes, m)
	if !diags.HasError() {
		*raw = v
	}
	return diags
}
