package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// adoptLive fills an imported model with the spec reconstructed from the live objects.
func (m *namespaceModel) adoptLive(ctx context.Context, obs *kube.Observed) diag.Diagnostics {
	var diags diag.Diagnostics
	l, errs := obs.Live()
	for _, id := range sortedKeys(errs) {
		diags.AddError("Cannot read "+id, errs[id].Error())
	}
	s := hardening.Adopt(l)
	add := func(d diag.Diagnostics) { diags.Append(d...) }
	optStr := func(p *string) types.String {
		if p == nil {
			return types.StringNull()
		}
		return types.StringValue(*p)
	}
	optMap := func(v map[string]string) types.Map {
		if v == nil {
			return types.MapNull(types.StringType)
		}
		out, d := types.MapValueFrom(ctx, types.StringType, v)
		add(d)
		return out
	}
	optList := func(v []string) types.List {
		if v == nil {
			return types.ListNull(types.StringType)
		}
		out, d := types.ListValueFrom(ctx, types.StringType, v)
		add(d)
		return out
	}
	optBool := func(p *bool) types.Bool {
		if p == nil {
			return types.BoolNull()
		}
		return types.BoolValue(*p)
	}
	object := func(attrTypes map[string]attr.Type, values map[string]attr.Value) types.Object {
		out, d := types.ObjectValue(attrTypes, values)
		add(d)
		return out
	}
	m.Environment = types.StringValue(s.Environment)
	m.TamperProtection = types.BoolValue(hardening.AdoptTamperProtection(l))
	m.PodSecurity = object(podSecurityAttrTypes, map[string]attr.Value{
		"enforce": optStr(s.PodSecurity.Enforce), "audit": optStr(s.PodSecurity.Audit),
		"warn": optStr(s.PodSecurity.Warn), "version": optStr(s.PodSecurity.Version),
	})
	if s.AutomountServiceAccountToken != nil {
		m.AutomountServiceAccountToken = types.BoolValue(*s.AutomountServiceAccountToken)
	}
	m.ResourceQuota = types.ObjectNull(resourceQuotaAttrTypes)
	if s.ResourceQuota != nil {
		m.ResourceQuota = object(resourceQuotaAttrTypes, map[string]attr.Value{"hard": optMap(s.ResourceQuota)})
	}
	lr := s.LimitRange
	m.LimitRange = types.ObjectNull(limitRangeAttrTypes)
	if lr.DefaultRequest != nil || lr.Default != nil || lr.Max != nil || lr.Min != nil {
		m.LimitRange = object(limitRangeAttrTypes, map[string]attr.Value{
			"default_request": optMap(lr.DefaultRequest), "default": optMap(lr.Default), "max": optMap(lr.Max), "min": optMap(lr.Min),
		})
	}
	n := s.Network
	m.NetworkPolicy = object(networkAttrTypes, map[string]attr.Value{
		"deny_ingress": optBool(n.DenyIngress), "deny_egress": optBool(n.DenyEgress), "allow_dns": optBool(n.AllowDNS),
		"allow_same_namespace": optBool(n.AllowSameNamespace), "allow_ingress_from_namespaces": optList(n.AllowIngressFromNamespaces),
		"allow_ingress_ports": optList(n.AllowIngressPorts), "allow_egress_to_namespaces": optList(n.AllowEgressToNamespaces),
		"allow_egress_to_cidrs": optList(n.AllowEgressToCIDRs), "allow_egress_ports": optList(n.AllowEgressPorts),
		"allow_ingress_from_cidrs": optList(n.AllowIngressFromCIDRs),
	})
	m.ImagePolicy = types.ObjectNull(imagePolicyAttrTypes)
	if ip := s.ImagePolicy; ip != nil {
		m.ImagePolicy = object(imagePolicyAttrTypes, map[string]attr.Value{
			"allowed_registries": optList(ip.AllowedRegistries), "forbid_latest_tag": optBool(ip.ForbidLatestTag),
			"require_digest": optBool(ip.RequireDigest), "action": optStr(ip.Action), "always_pull_images": optBool(ip.AlwaysPullImages),
		})
	}
	m.ServicePolicy = types.ObjectNull(servicePolicyAttrTypes)
	if sp := s.ServicePolicy; sp != nil {
		m.ServicePolicy = object(servicePolicyAttrTypes, map[string]attr.Value{
			"enabled": types.BoolNull(), "allowed_external_ip_cidrs": optList(sp.AllowedExternalIPCIDRs),
			"allow_external_name": optBool(sp.AllowExternalName), "require_load_balancer_source_ranges": optBool(sp.RequireLoadBalancerSourceRanges),
			"action": optStr(sp.Action),
		})
	}
	m.AllowedStorageClasses, m.AllowedPriorityClasses = optList(s.AllowedStorageClasses), optList(s.AllowedPriorityClasses)
	m.MaxPreemptingPriority = types.Int64PointerValue(s.MaxPreemptingPriority)
	m.AllowedHostnames = optList(s.AllowedHostnames)
	accessType := types.ObjectType{AttrTypes: accessAttrTypes}
	m.Access = types.ListNull(accessType)
	if len(s.Access) > 0 {
		var entries []attr.Value
		for _, e := range s.Access {
			allow := types.BoolNull()
			if e.AllowClusterAdmin {
				allow = types.BoolValue(true)
			}
			entries = append(entries, object(accessAttrTypes, map[string]attr.Value{
				"role": types.StringValue(e.Role), "users": optList(e.Users), "groups": optList(e.Groups),
				"service_accounts": optList(e.ServiceAccounts), "allow_cluster_admin": allow,
			}))
		}
		var d diag.Diagnostics
		m.Access, d = types.ListValue(accessType, entries)
		add(d)
	}
	return diags
}
