package provider

import (
	"context"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringCheck adapts a pure validation function from internal/hardening to a schema validator, so
// each rule is written once and Terraform reports it at the attribute's path.
type stringCheck struct {
	description string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.description, err.Error())
	}
}

// mapCheck validates each entry of a map(string).
type mapCheck struct {
	description string
	check       func(key, value string) error
}

func (v mapCheck) Description(context.Context) string         { return v.description }
func (v mapCheck) MarkdownDescription(context.Context) string { return v.description }

func (v mapCheck) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	keys := make([]string, 0, len(elems))
	for k := range elems {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := elems[k].(interface {
			IsUnknown() bool
			IsNull() bool
			ValueString() string
		})
		if !ok || s.IsUnknown() {
			continue
		}
		if err := v.check(k, s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Invalid "+v.description, err.Error())
		}
	}
}
