package provider

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// codecStates are hardened_namespace values as a state, and as a plan with unknowns and nulls.
func codecStates(t *testing.T) map[string]tftypes.Value {
	t.Helper()
	raw, err := os.ReadFile("testdata/namespace_state_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	state, err := (&tfprotov6.RawState{JSON: raw}).UnmarshalWithOpts(namespaceTerraformType,
		tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := tftypes.Transform(state, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		switch p.String() {
		case `AttributeName("compliance")`, `AttributeName("labels")`,
			`AttributeName("network_policy").AttributeName("allow_egress_ports")`:
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		case `AttributeName("annotations")`, `AttributeName("image_policy")`:
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]tftypes.Value{"state": state, "plan": plan}
}

// TestModelCodec_matchesTheFramework: reading a value into the model and writing the model back
// give what the framework's reflection gives.
func TestModelCodec_matchesTheFramework(t *testing.T) {
	ctx := context.Background()
	for name, raw := range codecStates(t) {
		t.Run(name, func(t *testing.T) {
			var fast, full namespaceModel
			if d := getNamespace(ctx, raw, &fast); d.HasError() {
				t.Fatal(d)
			}
			if d := (tfsdk.State{Schema: namespaceSchema, Raw: raw}).Get(ctx, &full); d.HasError() {
				t.Fatal(d)
			}
			fastValues, fullValues := tfcodec.ModelValues(&fast), tfcodec.ModelValues(&full)
			if len(fastValues) != len(namespaceAttrTypes) {
				t.Fatalf("the model has %d attributes, the schema %d", len(fastValues), len(namespaceAttrTypes))
			}
			for k, v := range fullValues {
				if !v.Equal(fastValues[k]) {
					t.Errorf("%s: read %s, the framework %s", k, fastValues[k], v)
				}
			}
			fast.Labels = types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("a")})
			var gotFast tftypes.Value
			if d := setNamespace(ctx, &gotFast, &fast); d.HasError() {
				t.Fatal(d)
			}
			out := tfsdk.State{Schema: namespaceSchema}
			if d := out.Set(ctx, &fast); d.HasError() {
				t.Fatal(d)
			}
			if !gotFast.Equal(out.Raw) {
				diffs, _ := gotFast.Diff(out.Raw)
				t.Fatalf("written values differ from the framework's: %v", diffs)
			}
		})
	}
}

// TestModelCodec_nestedObjects: objectInto and objectOf are As and ObjectValueFrom; the string
// helpers are ListValueFrom and MapValueFrom, nil included.
func TestModelCodec_nestedObjects(t *testing.T) {
	ctx := context.Background()
	var m namespaceModel
	if d := getNamespace(ctx, codecStates(t)["plan"], &m); d.HasError() {
		t.Fatal(d)
	}
	var fast, full networkModel
	if d := tfcodec.ObjectInto(m.NetworkPolicy, &fast); d.HasError() {
		t.Fatal(d)
	}
	if d := m.NetworkPolicy.As(ctx, &full, basetypes.ObjectAsOptions{}); d.HasError() {
		t.Fatal(d)
	}
	for k, v := range tfcodec.ModelValues(full) {
		if !v.Equal(tfcodec.ModelValues(fast)[k]) {
			t.Fatalf("%s: objectInto %s, As %s", k, tfcodec.ModelValues(fast)[k], v)
		}
	}
	a, d1 := tfcodec.ObjectOf(networkAttrTypes, fast)
	b, d2 := types.ObjectValueFrom(ctx, networkAttrTypes, full)
	if d1.HasError() || d2.HasError() || !a.Equal(b) {
		t.Fatalf("objectOf %s, ObjectValueFrom %s (%v %v)", a, b, d1, d2)
	}
	for _, xs := range [][]string{nil, {}, {"a", "b"}} {
		l1, _ := tfcodec.StringList(xs)
		l2, _ := types.ListValueFrom(ctx, types.StringType, xs)
		if !l1.Equal(l2) {
			t.Errorf("list %#v: %s, the framework %s", xs, l1, l2)
		}
	}
	for _, m := range []map[string]string{nil, {}, {"a": "1"}} {
		m1, _ := tfcodec.StringMap(m)
		m2, _ := types.MapValueFrom(ctx, types.StringType, m)
		if !m1.Equal(m2) {
			t.Errorf("map %#v: %s, the framework %s", m, m1, m2)
		}
	}
}

// TestModelCodec_refusesAMismatch: a value of the wrong type is an error, not a panic.
func TestModelCodec_refusesAMismatch(t *testing.T) {
	var nm networkModel
	obj := types.ObjectValueMust(map[string]attr.Type{"deny_ingress": types.StringType},
		map[string]attr.Value{"deny_ingress": types.StringValue("yes")})
	if d := tfcodec.ObjectInto(obj, &nm); !d.HasError() {
		t.Fatal("a string for a bool field and missing attributes were accepted")
	}
	m := namespaceModel{}
	var raw tftypes.Value
	if d := setNamespace(context.Background(), &raw, &m); !d.HasError() || raw.Type() != nil {
		t.Fatalf("a model of zero values was written: %v %s", d, raw)
	}
}

// accessTypes are the types of the access list and of its entries.
func accessTypes(t *testing.T) (tftypes.List, tftypes.Object) {
	t.Helper()
	obj, ok := namespaceTerraformType.(tftypes.Object)
	list, okList := obj.AttributeTypes["access"].(tftypes.List)
	entry, okEntry := list.ElementType.(tftypes.Object)
	if !ok || !okList || !okEntry {
		t.Fatalf("unexpected access type %s", obj.AttributeTypes["access"])
	}
	return list, entry
}

// TestSpec_accessEntries: an access entry known only after apply leaves the spec unknown (the
// plan waits for it); a null entry is an error, as the framework's conversion made it.
func TestSpec_accessEntries(t *testing.T) {
	ctx := context.Background()
	state := codecStates(t)["state"]
	accessType, entryType := accessTypes(t)
	withAccess := func(elem tftypes.Value) namespaceModel {
		t.Helper()
		v, err := tftypes.Transform(state, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
			if p.String() == `AttributeName("access")` {
				return tftypes.NewValue(accessType, []tftypes.Value{elem}), nil
			}
			return v, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var m namespaceModel
		if d := getNamespace(ctx, v, &m); d.HasError() {
			t.Fatal(d)
		}
		return m
	}
	_, unknown, diags := withAccess(tftypes.NewValue(entryType, tftypes.UnknownValue)).spec(ctx)
	if !unknown || diags.HasError() {
		t.Fatalf("an unknown access entry: unknown %t, %v", unknown, diags)
	}
	_, _, diags = withAccess(tftypes.NewValue(entryType, nil)).spec(ctx)
	if !diags.HasError() {
		t.Fatal("a null access entry was accepted")
	}
}

// withValues returns the namespace state with the values at the given paths replaced.
func withValues(t *testing.T, repl map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	v, err := tftypes.Transform(codecStates(t)["state"], func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if r, ok := repl[p.String()]; ok {
			return r, nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestValidateConfig_accessEntryIndexes: an entry known only after apply keeps its place, so a
// known entry after it is still judged, at its own index.
func TestValidateConfig_accessEntryIndexes(t *testing.T) {
	ctx := context.Background()
	accessType, entryType := accessTypes(t)
	entry := map[string]tftypes.Value{}
	for k, typ := range entryType.AttributeTypes {
		entry[k] = tftypes.NewValue(typ, nil)
	}
	entry["role"] = tftypes.NewValue(tftypes.String, "cluster-admin")
	entry["users"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "b")})
	config := withValues(t, map[string]tftypes.Value{`AttributeName("access")`: tftypes.NewValue(accessType, []tftypes.Value{
		tftypes.NewValue(entryType, tftypes.UnknownValue), tftypes.NewValue(entryType, entry),
	})})
	var resp resource.ValidateConfigResponse
	(&NamespaceResource{}).ValidateConfig(ctx, resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: namespaceSchema, Raw: config}}, &resp)
	var at []string
	for _, d := range resp.Diagnostics.Errors() {
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			at = append(at, wp.Path().String())
		}
	}
	if !slices.ContainsFunc(at, func(p string) bool { return strings.HasPrefix(p, "access[1]") }) ||
		slices.ContainsFunc(at, func(p string) bool { return strings.HasPrefix(p, "access[0]") }) {
		t.Fatalf("cluster-admin in access[1] beside an unknown access[0]: errors at %q, want one at access[1]", at)
	}
}

// TestSpec_nullAndUnknownElements: a list with an unknown element waits, even beside a null; a
// null element alone is one error and no value.
func TestSpec_nullAndUnknownElements(t *testing.T) {
	ctx := context.Background()
	ports := `AttributeName("network_policy").AttributeName("allow_egress_ports")`
	list := func(elems ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
	}
	null, unknown := tftypes.NewValue(tftypes.String, nil), tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	spec := func(v tftypes.Value) (hardening.NamespaceSpec, bool, diag.Diagnostics) {
		var m namespaceModel
		if d := getNamespace(ctx, withValues(t, map[string]tftypes.Value{ports: v}), &m); d.HasError() {
			t.Fatal(d)
		}
		return m.spec(ctx)
	}
	if _, unk, d := spec(list(null, unknown)); !unk || d.HasError() {
		t.Fatalf("[null, unknown]: unknown %t, %v", unk, d)
	}
	s, _, d := spec(list(null))
	if len(d.Errors()) != 1 || s.Network.AllowEgressPorts != nil {
		t.Fatalf("[null]: %d errors, ports %#v", len(d.Errors()), s.Network.AllowEgressPorts)
	}
}
