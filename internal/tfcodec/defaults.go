package tfcodec

import (
	"context"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/defaults"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Before ModifyPlan, the framework gives every attribute left null in the configuration its
// schema default. In a plan whose proposed state equals the prior state that changes nothing as
// long as the prior state already holds each such default (a release that changes a default
// makes it differ). DefaultsHold checks exactly that, for the defaults it knows: static bool and
// string defaults, at the top or in single nested attributes (Unsupported names any other).

// DefaultsHold reports whether prior holds the default of every attribute config leaves null.
func DefaultsHold(ctx context.Context, attrs map[string]schema.Attribute, config, prior tftypes.Value) bool {
	var cfg, pri map[string]tftypes.Value
	if config.As(&cfg) != nil || prior.As(&pri) != nil {
		return false
	}
	for name, a := range attrs {
		c, p := cfg[name], pri[name]
		if !c.IsNull() {
			if n, ok := a.(schema.SingleNestedAttribute); ok && !DefaultsHold(ctx, n.Attributes, c, p) {
				return false
			}
			continue
		}
		var d tftypes.Value
		switch t := a.(type) {
		case schema.BoolAttribute:
			if t.Default == nil {
				continue
			}
			var resp defaults.BoolResponse
			t.Default.DefaultBool(ctx, defaults.BoolRequest{}, &resp)
			d, _ = resp.PlanValue.ToTerraformValue(ctx)
		case schema.StringAttribute:
			if t.Default == nil {
				continue
			}
			var resp defaults.StringResponse
			t.Default.DefaultString(ctx, defaults.StringRequest{}, &resp)
			d, _ = resp.PlanValue.ToTerraformValue(ctx)
		default:
			continue
		}
		if !d.Equal(p) {
			return false
		}
	}
	return true
}

// onlySimpleDefaults: every default in attrs is one DefaultsHold checks (reachable: not under a
// list, set or map).
func onlySimpleDefaults(attrs map[string]schema.Attribute, reachable bool) bool {
	for _, a := range attrs {
		switch t := a.(type) {
		case schema.BoolAttribute, schema.StringAttribute:
			if !reachable && hasDefault(a) {
				return false
			}
		case schema.SingleNestedAttribute:
			if t.Default != nil || !onlySimpleDefaults(t.Attributes, reachable) {
				return false
			}
		case schema.ListNestedAttribute:
			if t.Default != nil || !onlySimpleDefaults(t.NestedObject.Attributes, false) {
				return false
			}
		case schema.SetNestedAttribute:
			if t.Default != nil || !onlySimpleDefaults(t.NestedObject.Attributes, false) {
				return false
			}
		case schema.MapNestedAttribute:
			if t.Default != nil || !onlySimpleDefaults(t.NestedObject.Attributes, false) {
				return false
			}
		default:
			if hasDefault(a) {
				return false
			}
		}
	}
	return true
}

// hasDefault reports an attribute whose Default field is set, whatever its kind.
func hasDefault(a schema.Attribute) bool {
	v := reflect.ValueOf(a)
	if v.Kind() != reflect.Struct {
		return true // not a kind this file knows: count it as a default it cannot check
	}
	f := v.FieldByName("Default")
	return f.IsValid() && !f.IsNil()
}
