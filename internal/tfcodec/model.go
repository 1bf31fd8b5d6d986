package tfcodec

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework converts a model struct with reflection on every call, and checks each field's
// tag against a regular expression it compiles each time, a large share of a no-op plan's provider
// CPU (docs/benchmarks.md). The models here hold only attr.Value fields, so the conversion is a field
// copy; the fields of each model type are worked out once. TestModelCodec_matchesTheFramework
// holds these to the framework's answers.

// modelField is one tfsdk-tagged field of a model struct.
type modelField struct {
	name  string
	index int
}

var modelFieldCache sync.Map // reflect.Type -> []modelField

// modelFields lists the tagged fields of a model struct type; every one must be an attr.Value.
func modelFields(t reflect.Type) []modelField {
	if f, ok := modelFieldCache.Load(t); ok {
		if fields, ok := f.([]modelField); ok {
			return fields
		}
	}
	valueType := reflect.TypeFor[attr.Value]()
	var fields []modelField
	for i := range t.NumField() {
		f := t.Field(i)
		name := f.Tag.Get("tfsdk")
		if name == "" || name == "-" {
			continue
		}
		if !f.Type.Implements(valueType) {
			panic(fmt.Sprintf("model %s: field %s is %s, not an attr.Value", t, f.Name, f.Type))
		}
		fields = append(fields, modelField{name: name, index: i})
	}
	modelFieldCache.Store(t, fields)
	return fields
}

// ModelValues returns the attribute values of a model struct (or a pointer to one).
func ModelValues(model any) map[string]attr.Value {
	v := reflect.Indirect(reflect.ValueOf(model))
	fields := modelFields(v.Type())
	out := make(map[string]attr.Value, len(fields))
	for _, f := range fields {
		a, _ := v.Field(f.index).Interface().(attr.Value) // modelFields admits attr.Value fields only
		out[f.name] = a
	}
	return out
}

// SetModelValues stores attribute values into the model target points to.
func SetModelValues(attrs map[string]attr.Value, target any) diag.Diagnostics {
	var diags diag.Diagnostics
	v := reflect.ValueOf(target).Elem()
	for _, f := range modelFields(v.Type()) {
		a, ok := attrs[f.name]
		if !ok {
			diags.AddError("Model conversion error", fmt.Sprintf("the object has no attribute %q for %s", f.name, v.Type()))
			continue
		}
		field := v.Field(f.index)
		av := reflect.ValueOf(a)
		if !av.Type().AssignableTo(field.Type()) {
			diags.AddError("Model conversion error", fmt.Sprintf("attribute %q is %s, the model's field is %s", f.name, av.Type(), field.Type()))
			continue
		}
		field.Set(av)
	}
	return diags
}

// ObjectInto is types.Object.As for a model of attr.Value fields.
func ObjectInto(obj types.Object, target any) diag.Diagnostics {
	return SetModelValues(obj.Attributes(), target)
}

// ObjectOf is types.ObjectValueFrom for a model of attr.Value fields.
func ObjectOf(attrTypes map[string]attr.Type, model any) (types.Object, diag.Diagnostics) {
	return types.ObjectValue(attrTypes, ModelValues(model))
}

// RawInto is tfsdk.State.Get (or Plan.Get, Config.Get) for a known, non-null object value.
func RawInto(ctx context.Context, raw tftypes.Value, attrTypes map[string]attr.Type, target any) diag.Diagnostics {
	var diags diag.Diagnostics
	var raws map[string]tftypes.Value
	if err := raw.As(&raws); err != nil {
		diags.AddError("Model conversion error", err.Error())
		return diags
	}
	attrs := make(map[string]attr.Value, len(raws))
	for name, rv := range raws {
		t, ok := attrTypes[name]
		if !ok {
			diags.AddError("Model conversion error", fmt.Sprintf("the schema has no attribute %q", name))
			continue
		}
		v, err := t.ValueFromTerraform(ctx, rv)
		if err != nil {
			diags.AddError("Model conversion error", fmt.Sprintf("attribute %q: %s", name, err))
			continue
		}
		attrs[name] = v
	}
	if diags.HasError() {
		return diags
	}
	return SetModelValues(attrs, target)
}

// RawOf is tfsdk.State.Set: the value, of typ with attrTypes, that the model holds. As there, a
// value of another type (a zero value among them) is an error.
func RawOf(ctx context.Context, typ tftypes.Type, attrTypes map[string]attr.Type, model any) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	values := ModelValues(model)
	raws := make(map[string]tftypes.Value, len(values))
	for name, v := range values {
		if t, ok := attrTypes[name]; !ok || !t.Equal(v.Type(ctx)) {
			diags.AddError("Model conversion error", fmt.Sprintf("attribute %q: the model holds %T, the schema wants %v", name, v, t))
			continue
		}
		rv, err := v.ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Model conversion error", fmt.Sprintf("attribute %q: %s", name, err))
			continue
		}
		raws[name] = rv
	}
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	if err := tftypes.ValidateValue(typ, raws); err != nil {
		diags.AddError("Model conversion error", err.Error())
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(typ, raws), diags
}

// StringList and stringMapValue are types.ListValueFrom and types.MapValueFrom for plain
// strings: nil is null, as there.
func StringList(xs []string) (types.List, diag.Diagnostics) {
	if xs == nil {
		return types.ListNull(types.StringType), nil
	}
	elems := make([]attr.Value, len(xs))
	for i, x := range xs {
		elems[i] = types.StringValue(x)
	}
	return types.ListValue(types.StringType, elems)
}

func StringMap(m map[string]string) (types.Map, diag.Diagnostics) {
	if m == nil {
		return types.MapNull(types.StringType), nil
	}
	elems := make(map[string]attr.Value, len(m))
	for k, x := range m {
		elems[k] = types.StringValue(x)
	}
	return types.MapValue(types.StringType, elems)
}
