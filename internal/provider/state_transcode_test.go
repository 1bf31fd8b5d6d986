package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// tftypesRoundTrip is what stateJSONToMsgPack stands in for.
func tftypesRoundTrip(data []byte, typ tftypes.Type) (tftypes.Value, error) {
	v, err := (&tfprotov6.RawState{JSON: data}).UnmarshalWithOpts(typ,
		tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return v, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return v, err
	}
	return dv.Unmarshal(typ)
}

// TestStateJSONToMsgPack_matchesTftypes: the same value as decoding with tftypes and encoding
// again, for the namespace's stored state and for every conversion tftypes makes; an error
// wherever tftypes gives one.
func TestStateJSONToMsgPack_matchesTftypes(t *testing.T) {
	state, err := os.ReadFile("testdata/namespace_state_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	small := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "n": tftypes.Number, "b": tftypes.Bool,
		"l": tftypes.List{ElementType: tftypes.String}, "set": tftypes.Set{ElementType: tftypes.Number},
		"m":  tftypes.Map{ElementType: tftypes.Bool},
		"o":  tftypes.Object{AttributeTypes: map[string]tftypes.Type{"x": tftypes.String}},
		"lo": tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"y": tftypes.Number}}},
	}}
	cases := []struct {
		name string
		typ  tftypes.Type
		json string
	}{
		{"namespace state", namespaceTerraformType, string(state)},
		{"null", small, `null`},
		{"all set", small, `{"s":"a","n":3,"b":true,"l":["x",null],"set":[1,2.5],"m":{"k":false},"o":{"x":"v"},"lo":[{"y":-7}]}`},
		{"missing and undefined attributes", small, `{"s":"a","extra":{"deep":[1,2]}}`},
		{"conversions", small, `{"s":12.5,"n":"42","b":"1","m":{"a":"true","b":0,"c":"false"},"o":{"x":true}}`},
		{"big and fractional numbers", small, `{"n":123456789012345678901234567890,"set":[0.1,1e300,-0,9007199254740993]}`},
		{"empty collections", small, `{"l":[],"set":[],"m":{},"lo":[]}`},
		{"a capitalised bool", small, `{"b":"True"}`},
		{"an object for a string", small, `{"s":{"a":1}}`},
		{"a string for a list", small, `{"l":"x"}`},
		{"a bool for a number", small, `{"n":true}`},
		{"not JSON", small, `{"s":`},
		{"a duplicate key, both valid", small, `{"s":"a","s":"b","m":{"k":true,"k":false}}`},
		{"a duplicate attribute, the first invalid", small, `{"n":true,"n":1}`},
		{"a duplicate map key, the first invalid", small, `{"m":{"a":"x","a":true}}`},
		{"a duplicate attribute, the last invalid", small, `{"n":1,"n":true}`},
		{"a number from an invalid string", small, `{"n":"abc"}`},
		{"a number from an empty string", small, `{"n":""}`},
		{"bools from numbers", small, `{"m":{"a":1,"b":0}}`},
		{"a bool from 2", small, `{"b":2}`},
		{"null map values and list elements", small, `{"m":{"a":null},"l":[null],"lo":[null,{"y":null}]}`},
		{"a list for the whole object", small, `[1]`},
		{"a string for the whole object", small, `"x"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, wantErr := tftypesRoundTrip([]byte(c.json), c.typ)
			b, err := tfcodec.StateJSONToMsgPack([]byte(c.json), c.typ)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("error %v, tftypes' %v", err, wantErr)
			}
			if err != nil {
				return
			}
			got, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(c.typ)
			if err != nil {
				t.Fatalf("the msgpack does not decode: %v", err)
			}
			if !got.Equal(want) {
				diffs, _ := got.Diff(want)
				t.Fatalf("differs from tftypes: %v", diffs)
			}
		})
	}
}

// TestStateJSONToMsgPack_refusesUnknownTypes: types it does not handle are left to the framework.
func TestStateJSONToMsgPack_refusesUnknownTypes(t *testing.T) {
	for _, typ := range []tftypes.Type{
		tftypes.DynamicPseudoType,
		tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String}},
		tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String}, OptionalAttributes: map[string]struct{}{"a": {}}},
	} {
		if _, err := tfcodec.StateJSONToMsgPack([]byte(`{"a":"x"}`), typ); err == nil {
			t.Errorf("%s was transcoded", typ)
		}
	}
}

// TestStateJSONToMsgPack_collectionsOfObjects: maps and sets of objects, as tftypes decodes them.
func TestStateJSONToMsgPack_collectionsOfObjects(t *testing.T) {
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "n": tftypes.Number}}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"mo": tftypes.Map{ElementType: obj}, "so": tftypes.Set{ElementType: obj},
	}}
	for _, js := range []string{
		`{"mo":{"x":{"a":"1","n":2},"y":null},"so":[{"a":"z"},{"n":1.5,"extra":true}]}`,
		`{"mo":{"x":{"a":"1"},"x":{"n":3}}}`,
		`{"so":[{"a":{"bad":1}}]}`,
	} {
		want, wantErr := tftypesRoundTrip([]byte(js), typ)
		b, err := tfcodec.StateJSONToMsgPack([]byte(js), typ)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%s: error %v, tftypes' %v", js, err, wantErr)
		}
		if err != nil {
			continue
		}
		got, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(typ)
		if err != nil || !got.Equal(want) {
			t.Fatalf("%s: %v, want %v (%v)", js, got, want, err)
		}
	}
}

// BenchmarkStateUpgrade: one namespace's stored state to msgpack, through tftypes and directly.
func BenchmarkStateUpgrade(b *testing.B) {
	state, err := os.ReadFile("testdata/namespace_state_v1.json")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("tftypes", func(b *testing.B) {
		for b.Loop() {
			v, err := (&tfprotov6.RawState{JSON: state}).UnmarshalWithOpts(namespaceTerraformType,
				tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tfprotov6.NewDynamicValue(namespaceTerraformType, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			if _, err := tfcodec.StateJSONToMsgPack(state, namespaceTerraformType); err != nil {
				b.Fatal(err)
			}
		}
	})
}
