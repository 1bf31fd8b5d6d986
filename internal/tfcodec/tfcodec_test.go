package tfcodec

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestUnsupported names what the shortcuts cannot handle in a throwaway schema, and nothing in a
// schema of the kinds they handle.
func TestUnsupported(t *testing.T) {
	fits := schema.Schema{Attributes: map[string]schema.Attribute{
		"name":  schema.StringAttribute{Required: true},
		"flag":  schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
		"items": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{"a": schema.StringAttribute{Computed: true}}}},
		"tags":  schema.MapAttribute{Optional: true, ElementType: types.StringType},
		"ids":   schema.SetAttribute{Optional: true, ElementType: types.StringType},
	}}
	if u := Unsupported(fits); len(u) != 0 {
		t.Fatalf("a schema the shortcuts handle: %q", u)
	}
	outgrown := schema.Schema{
		Blocks: map[string]schema.Block{"rule": schema.ListNestedBlock{}},
		Attributes: map[string]schema.Attribute{
			"secret": schema.SingleNestedAttribute{Optional: true,
				Attributes: map[string]schema.Attribute{"token": schema.StringAttribute{Optional: true, WriteOnly: true}}},
			"list": schema.ListNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"ts": schema.StringAttribute{Optional: true, CustomType: semanticStringType{}}}}},
			"nested_default": schema.ListNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"on": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)}}}},
			"count": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(1)},
			"any":   schema.DynamicAttribute{Optional: true},
		},
	}
	got := strings.Join(Unsupported(outgrown), "\n")
	for _, want := range []string{"block rule", "attribute secret: a value type with semantic equality, or write-only",
		"attribute list: a value type with semantic equality", "attribute nested_default: a default other than",
		"attribute count: a default other than", "attribute any: a type the state transcoder does not know"} {
		if !strings.Contains(got, want) {
			t.Errorf("Unsupported does not name %q:\n%s", want, got)
		}
	}
}

func TestPrivateMap_frameworkEncoding(t *testing.T) {
	raw := []byte(`{".framework":"eyJhIjoxfQ==","others":"eyJ4IjpbMV19"}`) // {"a":1} and {"x":[1]}
	m, ok := DecodePrivate(raw)
	if !ok || string(m["others"]) != `{"x":[1]}` || !m.HasFrameworkKeys() {
		t.Fatalf("decoded %v, %t", m, ok)
	}
	ctx := context.Background()
	if d := m.SetKey(ctx, ".framework", []byte(`1`)); !d.HasError() {
		t.Error("a framework key was writable")
	}
	if d := m.SetKey(ctx, "x", []byte(`not json`)); !d.HasError() {
		t.Error("a value that is not JSON was accepted")
	}
	m.SetKey(ctx, "others", nil)
	if got := string(m.Bytes()); got != `{".framework":"eyJhIjoxfQ=="}` {
		t.Errorf("after removing a key: %s", got)
	}
	m.SetKey(ctx, ".framework", nil) // refused: the framework's key stays
	if empty, _ := DecodePrivate(nil); empty.Bytes() != nil {
		t.Error("an empty private state encodes to something")
	}
}

func TestProtocolDiagnostic_paths(t *testing.T) {
	var diags diag.Diagnostics
	diags.AddAttributeWarning(path.Root("access").AtListIndex(1).AtName("role"), "w", "d")
	diags.AddError("e", "d")
	w, ok := ProtocolDiagnostic(diags[0])
	want := tftypes.NewAttributePath().WithAttributeName("access").WithElementKeyInt(1).WithAttributeName("role")
	if !ok || w.Severity != tfprotov6.DiagnosticSeverityWarning || !w.Attribute.Equal(want) {
		t.Errorf("warning: %+v %t", w, ok)
	}
	e, ok := ProtocolDiagnostic(diags[1])
	if !ok || e.Severity != tfprotov6.DiagnosticSeverityError || e.Attribute != nil || e.Summary != "e" {
		t.Errorf("error: %+v %t", e, ok)
	}
}

// semanticStringType is a string type whose values have semantic equality.
type semanticStringType struct{ basetypes.StringType }

func (semanticStringType) ValueType(context.Context) attr.Value { return semanticString{} }

type semanticString struct{ basetypes.StringValue }

func (semanticString) StringSemanticEquals(context.Context, basetypes.StringValuable) (bool, diag.Diagnostics) {
	return true, nil
}
