package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// ReadResource of hardened_namespace calls the resource's read directly. Around a Read the
// framework walks the whole prior and new state three times (collection blocks, semantic
// equality, write-only attributes), resolving each value's path from the schema root: about two
// thirds of a refresh's CPU. hardened_namespace has no blocks, no semantic-equality types and no
// write-only attributes, so those walks never change a value; decoding and encoding are kept.
func (s *protocolServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	direct := s.directRead(ctx, req)
	if direct == nil {
		return s.ProviderServer.ReadResource(ctx, req)
	}
	if s.shadow != nil {
		full, err := s.ProviderServer.ReadResource(ctx, req)
		if err != nil {
			return full, err
		}
		if msg := sameRead(direct, full); msg != "" {
			full.Diagnostics = append(full.Diagnostics, shadowDifference("Direct read differs from the framework's", msg))
			return full, nil
		}
	}
	return direct, nil
}

// directRead is the answer of the resource's read, or nil when the framework must give it.
func (s *protocolServer) directRead(ctx context.Context, req *tfprotov6.ReadResourceRequest) *tfprotov6.ReadResourceResponse {
	data := s.provider.resourceData.Load()
	if req.TypeName != namespaceTypeName || data == nil || !shortcutsFit || req.CurrentState == nil {
		return nil
	}
	current, err := req.CurrentState.Unmarshal(namespaceTerraformType)
	if err != nil || current.IsNull() {
		return nil
	}
	private, ok := tfcodec.DecodePrivate(req.Private)
	if !ok || private.HasFrameworkKeys() {
		return nil // the framework's own keys (the read after an import) are the framework's to handle
	}
	out := tfsdk.State{Schema: namespaceSchema, Raw: current.Copy()}
	var diags diag.Diagnostics
	r := &NamespaceResource{data: data}
	r.read(ctx, tfsdk.State{Schema: namespaceSchema, Raw: current}, private, &out, private, &diags)
	resp := &tfprotov6.ReadResourceResponse{}
	for _, d := range diags {
		pd, ok := tfcodec.ProtocolDiagnostic(d)
		if !ok {
			return nil // a path the conversion does not know: let the framework read and say it
		}
		resp.Diagnostics = append(resp.Diagnostics, pd)
	}
	state, err := tfprotov6.NewDynamicValue(namespaceTerraformType, out.Raw)
	if err != nil {
		return nil
	}
	resp.NewState = &state
	resp.Private = private.Bytes()
	return resp
}

// sameRead says how the framework's read differs from the direct one, or "" when it does not.
func sameRead(direct, full *tfprotov6.ReadResourceResponse) string {
	if msg := tfcodec.ValueDifference(direct.NewState, full.NewState, namespaceTerraformType, "new states"); msg != "" {
		return msg
	}
	pa, okA := tfcodec.DecodePrivate(direct.Private)
	pb, okB := tfcodec.DecodePrivate(full.Private)
	if !okA || !okB || len(pa) != len(pb) {
		return fmt.Sprintf("the private states differ: %s and %s", direct.Private, full.Private)
	}
	for k, v := range pa {
		if string(pb[k]) != string(v) {
			return "the private states differ at " + k
		}
	}
	render := func(ds []*tfprotov6.Diagnostic) []string {
		var out []string
		for _, d := range ds {
			out = append(out, fmt.Sprintf("%s|%s|%s|%v", d.Severity, d.Summary, d.Detail, d.Attribute))
		}
		slices.Sort(out)
		return out
	}
	if da, db := render(direct.Diagnostics), render(full.Diagnostics); !slices.Equal(da, db) {
		return fmt.Sprintf("the diagnostics differ: %q and %q", da, db)
	}
	return ""
}
