package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/audit"
)

// auditPolicyModel is hardened_audit_policy's configuration and state.
type auditPolicyModel struct {
	Profile    types.String `tfsdk:"profile"`
	ExtraRules types.List   `tfsdk:"extra_rules"`
	OmitStages types.List   `tfsdk:"omit_stages"`
	YAML       types.String `tfsdk:"yaml"`
	RulesCount types.Int64  `tfsdk:"rules_count"`
	ID         types.String `tfsdk:"id"`
}

type auditExtraRuleModel struct {
	Level           types.String `tfsdk:"level"`
	Users           types.List   `tfsdk:"users"`
	UserGroups      types.List   `tfsdk:"user_groups"`
	Verbs           types.List   `tfsdk:"verbs"`
	Namespaces      types.List   `tfsdk:"namespaces"`
	Resources       types.List   `tfsdk:"resources"`
	NonResourceURLs types.List   `tfsdk:"non_resource_urls"`
}

type auditResourceModel struct {
	Group     types.String `tfsdk:"group"`
	Resources types.List   `tfsdk:"resources"`
}

// params translates the configuration into audit.Params. Values not known yet (at validate time)
// become empty and their paths are returned, so that errors about them can be left for later.
// An unset profile or omit_stages means the default.
func (m auditPolicyModel) params(ctx context.Context) (audit.Params, unknownPaths, diag.Diagnostics) {
	c := &auditConverter{}
	p := audit.Params{Profile: audit.DefaultProfile}
	if !m.Profile.IsNull() {
		p.Profile = c.str(m.Profile, "profile")
	}
	if !m.OmitStages.IsNull() {
		p.OmitStages = c.strs(m.OmitStages, "omit_stages")
		if p.OmitStages == nil {
			p.OmitStages = []string{} // unknown: a placeholder that is valid and omits nothing
		}
	}
	for i, o := range c.objects(m.ExtraRules, "extra_rules") {
		at := func(name string) []any { return []any{"extra_rules", i, name} }
		var r auditExtraRuleModel
		if o == nil {
			p.ExtraRules = append(p.ExtraRules, audit.ExtraRule{})
			continue
		}
		c.diags.Append(o.As(ctx, &r, basetypes.ObjectAsOptions{})...)
		x := audit.ExtraRule{
			Level: c.str(r.Level, at("level")...), Users: c.strs(r.Users, at("users")...),
			UserGroups: c.strs(r.UserGroups, at("user_groups")...), Verbs: c.strs(r.Verbs, at("verbs")...),
			Namespaces: c.strs(r.Namespaces, at("namespaces")...), NonResourceURLs: c.strs(r.NonResourceURLs, at("non_resource_urls")...),
		}
		for j, ro := range c.objects(r.Resources, at("resources")...) {
			var sel audit.ResourceSelector
			if ro != nil {
				var rm auditResourceModel
				c.diags.Append(ro.As(ctx, &rm, basetypes.ObjectAsOptions{})...)
				base := []any{"extra_rules", i, "resources", j}
				sel.Group = c.str(rm.Group, append(slices.Clone(base), "group")...)
				sel.Resources = c.strs(rm.Resources, append(slices.Clone(base), "resources")...)
			}
			x.Resources = append(x.Resources, sel)
		}
		p.ExtraRules = append(p.ExtraRules, x)
	}
	return p, c.unknown, c.diags
}

type auditConverter struct {
	unknown unknownPaths
	diags   diag.Diagnostics
}

func (c *auditConverter) str(v types.String, at ...any) string {
	if v.IsUnknown() {
		c.unknown = append(c.unknown, slices.Clone(at))
	}
	return v.ValueString() // "" when null or unknown
}

func (c *auditConverter) strs(l types.List, at ...any) []string {
	if l.IsNull() {
		return nil
	}
	if l.IsUnknown() {
		c.unknown = append(c.unknown, slices.Clone(at))
		return nil
	}
	out := make([]string, 0, len(l.Elements()))
	for i, e := range l.Elements() {
		s, ok := e.(types.String)
		if !ok {
			c.diags.AddAttributeError(fieldErrorPath(at), "Unexpected value type", "expected a list of strings")
			return nil
		}
		out = append(out, c.str(s, append(slices.Clone(at), i)...))
	}
	return out
}

// objects returns a list's elements, nil for an element not known yet.
func (c *auditConverter) objects(l types.List, at ...any) []*types.Object {
	if l.IsNull() {
		return nil
	}
	if l.IsUnknown() {
		c.unknown = append(c.unknown, slices.Clone(at))
		return nil
	}
	out := make([]*types.Object, 0, len(l.Elements()))
	for i, e := range l.Elements() {
		o, ok := e.(types.Object)
		if !ok {
			c.diags.AddAttributeError(fieldErrorPath(at), "Unexpected value type", "expected a list of objects")
			return nil
		}
		if o.IsUnknown() || o.IsNull() {
			if o.IsUnknown() {
				c.unknown = append(c.unknown, append(slices.Clone(at), i))
			}
			out = append(out, nil)
			continue
		}
		out = append(out, &o)
	}
	return out
}
