package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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
	if shadowFramework.Load() {
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
	if req.TypeName != namespaceTypeName || data == nil || !directReadSafe || req.CurrentState == nil {
		return nil
	}
	current, err := req.CurrentState.Unmarshal(namespaceTerraformType)
	if err != nil || current.IsNull() {
		return nil
	}
	private, ok := decodePrivate(req.Private)
	if !ok || private.hasFrameworkKeys() {
		return nil // the framework's own keys (the read after an import) are the framework's to handle
	}
	out := tfsdk.State{Schema: namespaceSchema, Raw: current.Copy()}
	var diags diag.Diagnostics
	r := &NamespaceResource{data: data}
	r.read(ctx, tfsdk.State{Schema: namespaceSchema, Raw: current}, private, &out, private, &diags)
	resp := &tfprotov6.ReadResourceResponse{}
	for _, d := range diags {
		pd, ok := protocolDiagnostic(d)
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
	resp.Private = private.bytes()
	return resp
}

// directReadSafe: the framework's walks around a Read change no value of hardened_namespace
// (see ReadResource). A schema that gains a block, or an attribute with its own type, turns the
// direct read off here until that is checked again.
var directReadSafe = len(namespaceSchema.Blocks) == 0 && !hasCustomTypes(namespaceSchema.Attributes)

// protocolDiagnostic converts a diagnostic as the framework does; ok is false for a path with
// a step other than attribute names and element keys.
func protocolDiagnostic(d diag.Diagnostic) (*tfprotov6.Diagnostic, bool) {
	out := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityWarning}
	if d.Severity() == diag.SeverityError {
		out.Severity = tfprotov6.DiagnosticSeverityError
	}
	wp, ok := d.(diag.DiagnosticWithPath)
	if !ok || len(wp.Path().Steps()) == 0 {
		return out, true
	}
	ap := tftypes.NewAttributePath()
	for _, step := range wp.Path().Steps() {
		switch st := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(st))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(st))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(st))
		default:
			return nil, false
		}
	}
	out.Attribute = ap
	return out, true
}

// sameRead says how the framework's read differs from the direct one, or "" when it does not.
func sameRead(direct, full *tfprotov6.ReadResourceResponse) string {
	if msg := valueDifference(direct.NewState, full.NewState, "new states"); msg != "" {
		return msg
	}
	pa, okA := decodePrivate(direct.Private)
	pb, okB := decodePrivate(full.Private)
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

// hasCustomTypes reports an attribute, at any depth, whose value type has semantic equality or
// that is write-only: what the framework's walks around a Read act on.
func hasCustomTypes(attrs map[string]schema.Attribute) bool {
	ctx := context.Background()
	for _, a := range attrs {
		if a.IsWriteOnly() {
			return true
		}
		t := reflect.TypeOf(a.GetType().ValueType(ctx))
		for i := 0; i < t.NumMethod(); i++ {
			if strings.HasSuffix(t.Method(i).Name, "SemanticEquals") {
				return true
			}
		}
		var nested map[string]schema.Attribute
		switch n := a.(type) {
		case schema.SingleNestedAttribute:
			nested = n.Attributes
		case schema.ListNestedAttribute:
			nested = n.NestedObject.Attributes
		case schema.SetNestedAttribute:
			nested = n.NestedObject.Attributes
		case schema.MapNestedAttribute:
			nested = n.NestedObject.Attributes
		}
		if hasCustomTypes(nested) {
			return true
		}
	}
	return false
}
