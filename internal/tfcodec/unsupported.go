package tfcodec

import (
	"context"
	"reflect"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Unsupported names what in a resource schema the shortcuts cannot handle, one line each; empty
// when they can serve it:
//   - blocks (the framework's collection-block walks act on them);
//   - attributes whose value type has semantic equality, or that are write-only (the framework's
//     read walks act on them);
//   - defaults other than static bool and string defaults outside lists, sets and maps
//     (DefaultsHold checks only those);
//   - value types StateJSONToMsgPack does not know (dynamic values, tuples, objects with optional
//     attributes).
func Unsupported(s schema.Schema) []string {
	var out []string
	for name := range s.Blocks {
		out = append(out, "block "+name)
	}
	ctx := context.Background()
	for name, a := range s.Attributes {
		one := map[string]schema.Attribute{name: a}
		if hasCustomTypes(one) {
			out = append(out, "attribute "+name+": a value type with semantic equality, or write-only")
		}
		if !onlySimpleDefaults(one, true) {
			out = append(out, "attribute "+name+": a default other than a static bool or string outside lists, sets and maps")
		}
		if !transcodable(a.GetType().TerraformType(ctx)) {
			out = append(out, "attribute "+name+": a type the state transcoder does not know")
		}
	}
	sort.Strings(out)
	return out
}

// transcodable mirrors the types transcodeJSON handles.
func transcodable(t tftypes.Type) bool {
	switch tt := t.(type) {
	case tftypes.List:
		return transcodable(tt.ElementType)
	case tftypes.Set:
		return transcodable(tt.ElementType)
	case tftypes.Map:
		return transcodable(tt.ElementType)
	case tftypes.Object:
		if len(tt.OptionalAttributes) > 0 {
			return false
		}
		for _, at := range tt.AttributeTypes {
			if !transcodable(at) {
				return false
			}
		}
		return true
	}
	return t.Is(tftypes.String) || t.Is(tftypes.Number) || t.Is(tftypes.Bool)
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
