package provider

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

type namespaceModel struct {
	ID                           types.String   `tfsdk:"id"`
	Name                         types.String   `tfsdk:"name"`
	UID                          types.String   `tfsdk:"uid"`
	Labels                       types.Map      `tfsdk:"labels"`
	Annotations                  types.Map      `tfsdk:"annotations"`
	Environment                  types.String   `tfsdk:"environment"`
	PodSecurity                  types.Object   `tfsdk:"pod_security"`
	ResourceQuota                types.Object   `tfsdk:"resource_quota"`
	LimitRange                   types.Object   `tfsdk:"limit_range"`
	NetworkPolicy                types.Object   `tfsdk:"network_policy"`
	Access                       types.List     `tfsdk:"access"`
	ImagePolicy                  types.Object   `tfsdk:"image_policy"`
	ServicePolicy                types.Object   `tfsdk:"service_policy"`
	AllowedStorageClasses        types.List     `tfsdk:"allowed_storage_classes"`
	AllowedPriorityClasses       types.List     `tfsdk:"allowed_priority_classes"`
	MaxPreemptingPriority        types.Int64    `tfsdk:"max_preempting_priority"`
	AllowedHostnames             types.List     `tfsdk:"allowed_hostnames"`
	AutomountServiceAccountToken types.Bool     `tfsdk:"automount_service_account_token"`
	WaitForDefaultServiceAccount types.Bool     `tfsdk:"wait_for_default_service_account"`
	DeletionProtection           types.Bool     `tfsdk:"deletion_protection"`
	TamperProtection             types.Bool     `tfsdk:"tamper_protection"`
	BreakGlassGroups             types.List     `tfsdk:"break_glass_groups"`
	ForceConflicts               types.Bool     `tfsdk:"force_conflicts"`
	EffectiveResourceQuota       types.Map      `tfsdk:"effective_resource_quota"`
	EffectiveLimitRange          types.Object   `tfsdk:"effective_limit_range"`
	ManagedObjects               types.List     `tfsdk:"managed_objects"`
	Compliance                   types.Object   `tfsdk:"compliance"`
	ComputeBlastRadius           types.Bool     `tfsdk:"compute_blast_radius"`
	BlastRadius                  types.List     `tfsdk:"blast_radius"`
	Timeouts                     timeouts.Value `tfsdk:"timeouts"`
}

type podSecurityModel struct {
	Enforce types.String `tfsdk:"enforce"`
	Audit   types.String `tfsdk:"audit"`
	Warn    types.String `tfsdk:"warn"`
	Version types.String `tfsdk:"version"`
}

type resourceQuotaModel struct {
	Hard types.Map `tfsdk:"hard"`
}

type limitRangeModel struct {
	DefaultRequest types.Map `tfsdk:"default_request"`
	Default        types.Map `tfsdk:"default"`
	Max            types.Map `tfsdk:"max"`
	Min            types.Map `tfsdk:"min"`
}

type networkModel struct {
	DenyIngress                types.Bool `tfsdk:"deny_ingress"`
	DenyEgress                 types.Bool `tfsdk:"deny_egress"`
	AllowDNS                   types.Bool `tfsdk:"allow_dns"`
	AllowSameNamespace         types.Bool `tfsdk:"allow_same_namespace"`
	AllowIngressFromNamespaces types.List `tfsdk:"allow_ingress_from_namespaces"`
	AllowIngressPorts          types.List `tfsdk:"allow_ingress_ports"`
	AllowEgressToNamespaces    types.List `tfsdk:"allow_egress_to_namespaces"`
	AllowEgressToCIDRs         types.List `tfsdk:"allow_egress_to_cidrs"`
	AllowIngressFromCIDRs      types.List `tfsdk:"allow_ingress_from_cidrs"`
	AllowEgressPorts           types.List `tfsdk:"allow_egress_ports"`
}

type imagePolicyModel struct {
	AllowedRegistries types.List   `tfsdk:"allowed_registries"`
	ForbidLatestTag   types.Bool   `tfsdk:"forbid_latest_tag"`
	RequireDigest     types.Bool   `tfsdk:"require_digest"`
	Action            types.String `tfsdk:"action"`
	AlwaysPullImages  types.Bool   `tfsdk:"always_pull_images"`
}

type servicePolicyModel struct {
	Enabled                         types.Bool   `tfsdk:"enabled"`
	AllowedExternalIPCIDRs          types.List   `tfsdk:"allowed_external_ip_cidrs"`
	AllowExternalName               types.Bool   `tfsdk:"allow_external_name"`
	RequireLoadBalancerSourceRanges types.Bool   `tfsdk:"require_load_balancer_source_ranges"`
	Action                          types.String `tfsdk:"action"`
}

type accessModel struct {
	Role              types.String `tfsdk:"role"`
	Users             types.List   `tfsdk:"users"`
	Groups            types.List   `tfsdk:"groups"`
	ServiceAccounts   types.List   `tfsdk:"service_accounts"`
	AllowClusterAdmin types.Bool   `tfsdk:"allow_cluster_admin"`
}

// specReader collects values into a hardening spec, noting whether any was unknown (then presets
// cannot be resolved yet and computed values stay unknown).
type specReader struct {
	ctx     context.Context
	diags   diag.Diagnostics
	unknown bool
}

func (r *specReader) str(v types.String) *string {
	if v.IsUnknown() {
		r.unknown = true
		return nil
	}
	if v.IsNull() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func (r *specReader) boolean(v types.Bool) *bool {
	if v.IsUnknown() {
		r.unknown = true
		return nil
	}
	if v.IsNull() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func (r *specReader) int64(v types.Int64) *int64 {
	if v.IsUnknown() {
		r.unknown = true
		return nil
	}
	if v.IsNull() {
		return nil
	}
	i := v.ValueInt64()
	return &i
}

func (r *specReader) stringMap(v types.Map) map[string]string {
	if v.IsUnknown() {
		r.unknown = true
		return nil
	}
	if v.IsNull() {
		return nil
	}
	if r.anyUnknown(maps.Values(v.Elements())) {
		return nil
	}
	out := make(map[string]string, len(v.Elements()))
	for k, e := range v.Elements() {
		sv, ok := r.element(e)
		if !ok {
			return nil
		}
		out[k] = sv
	}
	return out
}

func (r *specReader) list(v types.List) []string {
	if v.IsUnknown() {
		r.unknown = true
		return nil
	}
	if v.IsNull() {
		return nil
	}
	if r.anyUnknown(slices.Values(v.Elements())) {
		return nil
	}
	out := make([]string, 0, len(v.Elements()))
	for _, e := range v.Elements() {
		sv, ok := r.element(e)
		if !ok {
			return nil
		}
		out = append(out, sv)
	}
	return out
}

// anyUnknown notes a collection with an unknown element: it is judged once all are known, so a
// null beside an unknown is not yet an error.
func (r *specReader) anyUnknown(elems iter.Seq[attr.Value]) bool {
	for e := range elems {
		if e.IsUnknown() {
			r.unknown = true
			return true
		}
	}
	return false
}

// element is a known string element of a list or map. A null one is an error, and the whole
// collection is then nil, as with ElementsAs.
func (r *specReader) element(e attr.Value) (string, bool) {
	sv, ok := e.(types.String)
	if !ok || sv.IsNull() {
		r.diags.AddError("Value Conversion Error", fmt.Sprintf("expected a string, got %s", e))
		return "", false
	}
	return sv.ValueString(), true
}

func (r *specReader) object(v types.Object, target any) bool {
	if v.IsUnknown() {
		r.unknown = true
		return false
	}
	if v.IsNull() {
		return false
	}
	r.diags.Append(tfcodec.ObjectInto(v, target)...)
	return true
}

// spec translates the model (config, plan or state) into the pure core's input. Null means
// "use the preset"; unknown is reported so callers leave computed values unknown.
func (m namespaceModel) spec(ctx context.Context) (hardening.NamespaceSpec, bool, diag.Diagnostics) {
	r := &specReader{ctx: ctx}
	s := hardening.NamespaceSpec{
		Name:                         m.Name.ValueString(),
		Labels:                       r.stringMap(m.Labels),
		Annotations:                  r.stringMap(m.Annotations),
		AutomountServiceAccountToken: r.boolean(m.AutomountServiceAccountToken),
		TamperProtection:             r.boolean(m.TamperProtection),
		BreakGlassGroups:             r.list(m.BreakGlassGroups),
		AllowedStorageClasses:        r.list(m.AllowedStorageClasses),
		AllowedPriorityClasses:       r.list(m.AllowedPriorityClasses),
		MaxPreemptingPriority:        r.int64(m.MaxPreemptingPriority),
		AllowedHostnames:             r.list(m.AllowedHostnames),
	}
	if m.Name.IsUnknown() {
		r.unknown = true
	}
	if env := r.str(m.Environment); env != nil {
		s.Environment = *env
	}
	var ps podSecurityModel
	if r.object(m.PodSecurity, &ps) {
		s.PodSecurity = hardening.PodSecurityInput{Enforce: r.str(ps.Enforce), Audit: r.str(ps.Audit), Warn: r.str(ps.Warn), Version: r.str(ps.Version)}
	}
	var rq resourceQuotaModel
	if r.object(m.ResourceQuota, &rq) {
		s.ResourceQuota = r.stringMap(rq.Hard)
	}
	var lr limitRangeModel
	if r.object(m.LimitRange, &lr) {
		s.LimitRange = hardening.LimitRangeInput{DefaultRequest: r.stringMap(lr.DefaultRequest), Default: r.stringMap(lr.Default),
			Max: r.stringMap(lr.Max), Min: r.stringMap(lr.Min)}
	}
	var nm networkModel
	if r.object(m.NetworkPolicy, &nm) {
		s.Network = hardening.NetworkInput{
			DenyIngress: r.boolean(nm.DenyIngress), DenyEgress: r.boolean(nm.DenyEgress),
			AllowDNS: r.boolean(nm.AllowDNS), AllowSameNamespace: r.boolean(nm.AllowSameNamespace),
			AllowIngressFromNamespaces: r.list(nm.AllowIngressFromNamespaces), AllowIngressPorts: r.list(nm.AllowIngressPorts),
			AllowEgressToNamespaces: r.list(nm.AllowEgressToNamespaces), AllowEgressToCIDRs: r.list(nm.AllowEgressToCIDRs),
			AllowIngressFromCIDRs: r.list(nm.AllowIngressFromCIDRs),
			AllowEgressPorts:      r.list(nm.AllowEgressPorts),
		}
	}
	var ip imagePolicyModel
	if r.object(m.ImagePolicy, &ip) {
		s.ImagePolicy = &hardening.ImagePolicyInput{AllowedRegistries: r.list(ip.AllowedRegistries),
			ForbidLatestTag: r.boolean(ip.ForbidLatestTag), RequireDigest: r.boolean(ip.RequireDigest), Action: r.str(ip.Action),
			AlwaysPullImages: r.boolean(ip.AlwaysPullImages)}
	}
	var sp servicePolicyModel
	if r.object(m.ServicePolicy, &sp) {
		s.ServicePolicy = &hardening.ServicePolicyInput{Enabled: r.boolean(sp.Enabled), Action: r.str(sp.Action),
			AllowedExternalIPCIDRs: r.list(sp.AllowedExternalIPCIDRs), AllowExternalName: r.boolean(sp.AllowExternalName),
			RequireLoadBalancerSourceRanges: r.boolean(sp.RequireLoadBalancerSourceRanges)}
	}
	if m.Access.IsUnknown() {
		r.unknown = true
	} else if !m.Access.IsNull() {
		for _, ev := range m.Access.Elements() {
			// An entry that cannot be read keeps its place, so what is said about the others is
			// said at their own index (and what is said about it waits for it, or is its error).
			if ev.IsUnknown() {
				r.unknown = true
				s.Access = append(s.Access, hardening.AccessEntry{})
				continue
			}
			eo, ok := ev.(types.Object)
			if !ok || eo.IsNull() {
				r.diags.AddError("Value Conversion Error", fmt.Sprintf("an access entry is %s, not an object", ev))
				s.Access = append(s.Access, hardening.AccessEntry{})
				continue
			}
			var e accessModel
			r.diags.Append(tfcodec.ObjectInto(eo, &e)...)
			role := r.str(e.Role)
			a := hardening.AccessEntry{Users: r.list(e.Users), Groups: r.list(e.Groups), ServiceAccounts: r.list(e.ServiceAccounts)}
			if role != nil {
				a.Role = *role
			}
			if b := r.boolean(e.AllowClusterAdmin); b != nil {
				a.AllowClusterAdmin = *b
			}
			s.Access = append(s.Access, a)
		}
	}
	return s, r.unknown, r.diags
}

// setComputed writes what the pure core resolved into the model: the preset-filled values the
// plan shows, the objects it will own and the compliance verdicts.
func (m *namespaceModel) setComputed(res hardening.Resolved, objs []hardening.Object, foreign hardening.Foreign) diag.Diagnostics {
	var diags diag.Diagnostics
	add := func(d diag.Diagnostics) { diags.Append(d...) }
	var d diag.Diagnostics
	m.Environment = types.StringValue(res.Environment)
	m.PodSecurity, d = types.ObjectValue(podSecurityAttrTypes, map[string]attr.Value{
		"enforce": types.StringValue(res.PodSecurity.Enforce), "audit": types.StringValue(res.PodSecurity.Audit),
		"warn": types.StringValue(res.PodSecurity.Warn), "version": types.StringValue(res.PodSecurity.Version),
	})
	add(d)
	// Lists the user left null stay null; the preset only decides the booleans.
	var nm networkModel
	if !m.NetworkPolicy.IsNull() && !m.NetworkPolicy.IsUnknown() {
		add(tfcodec.ObjectInto(m.NetworkPolicy, &nm))
	} else {
		nm = networkModel{AllowIngressFromNamespaces: types.ListNull(types.StringType), AllowIngressPorts: types.ListNull(types.StringType),
			AllowEgressToNamespaces: types.ListNull(types.StringType), AllowEgressToCIDRs: types.ListNull(types.StringType),
			AllowIngressFromCIDRs: types.ListNull(types.StringType), AllowEgressPorts: types.ListNull(types.StringType)}
	}
	nm.DenyIngress, nm.DenyEgress = types.BoolValue(res.Network.DenyIngress), types.BoolValue(res.Network.DenyEgress)
	nm.AllowDNS, nm.AllowSameNamespace = types.BoolValue(res.Network.AllowDNS), types.BoolValue(res.Network.AllowSameNamespace)
	m.NetworkPolicy, d = tfcodec.ObjectOf(networkAttrTypes, nm)
	add(d)
	m.AutomountServiceAccountToken = types.BoolValue(res.AutomountServiceAccountToken)
	m.TamperProtection = types.BoolValue(res.TamperProtection)
	m.EffectiveResourceQuota, d = tfcodec.StringMap(res.ResourceQuota)
	add(d)
	mapOf := func(v map[string]string) attr.Value {
		if v == nil {
			v = map[string]string{}
		}
		mv, d := tfcodec.StringMap(v)
		add(d)
		return mv
	}
	m.EffectiveLimitRange, d = types.ObjectValue(effectiveLimitRangeAttrTypes, map[string]attr.Value{
		"default_request": mapOf(res.LimitRange.DefaultRequest), "default": mapOf(res.LimitRange.Default),
		"max": mapOf(res.LimitRange.Max), "min": mapOf(res.LimitRange.Min),
	})
	add(d)
	m.ManagedObjects, d = tfcodec.StringList(hardening.ManagedIDs(objs))
	add(d)
	m.Compliance, d = complianceValue(hardening.Compliance(res, foreign))
	add(d)
	return diags
}

// setUnknownComputed marks everything derived from presets unknown (a config value is unknown).
func (m *namespaceModel) setUnknownComputed() {
	m.EffectiveResourceQuota = types.MapUnknown(types.StringType)
	m.EffectiveLimitRange = types.ObjectUnknown(effectiveLimitRangeAttrTypes)
	m.ManagedObjects = types.ListUnknown(types.StringType)
	m.Compliance = types.ObjectUnknown(complianceAttrTypes)
	m.BlastRadius = types.ListUnknown(blastRadiusElemType)
}

// fieldErrorPath converts a validation path (internal/fielderr) into Terraform's.
func fieldErrorPath(p []any) path.Path {
	var out path.Path
	for i, step := range p {
		switch v := step.(type) {
		case string:
			if i == 0 {
				out = path.Root(v)
			} else {
				out = out.AtName(v)
			}
		case int:
			out = out.AtListIndex(v)
		case fielderr.MapKey:
			out = out.AtMapKey(string(v))
		}
	}
	return out
}

// refreshMap returns the live values of the keys prior manages (or all live keys on import).
func refreshMap(prior types.Map, live map[string]string, imported bool) (types.Map, diag.Diagnostics) {
	if imported {
		if len(live) == 0 {
			return types.MapNull(types.StringType), nil
		}
		return tfcodec.StringMap(live)
	}
	if prior.IsNull() || prior.IsUnknown() {
		return prior, nil
	}
	out := map[string]string{}
	for k := range prior.Elements() {
		if v, ok := live[k]; ok {
			out[k] = v
		}
	}
	return tfcodec.StringMap(out)
}
