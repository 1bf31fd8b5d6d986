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
	v := &valueBuilder{ctx: ctx}
	l, errs := obs.Live()
	for _, id := range sortedKeys(errs) {
		v.diags.AddError("Cannot read "+id, errs[id].Error())
	}
	s := hardening.Adopt(l)
	m.Environment = types.StringValue(s.Environment)
	m.TamperProtection = types.BoolValue(hardening.AdoptTamperProtection(l))
	m.PodSecurity = v.object(podSecurityAttrTypes, map[string]attr.Value{
		"enforce": v.str(s.PodSecurity.Enforce), "audit": v.str(s.PodSecurity.Audit),
		"warn": v.str(s.PodSecurity.Warn), "version": v.str(s.PodSecurity.Version),
	})
	if s.AutomountServiceAccountToken != nil {
		m.AutomountServiceAccountToken = types.BoolValue(*s.AutomountServiceAccountToken)
	}
	m.ResourceQuota = types.ObjectNull(resourceQuotaAttrTypes)
	if s.ResourceQuota != nil {
		m.ResourceQuota = v.object(resourceQuotaAttrTypes, map[string]attr.Value{"hard": v.strMap(s.ResourceQuota)})
	}
	lr := s.LimitRange
	m.LimitRange = types.ObjectNull(limitRangeAttrTypes)
	if lr.DefaultRequest != nil || lr.Default != nil || lr.Max != nil || lr.Min != nil {
		m.LimitRange = v.object(limitRangeAttrTypes, map[string]attr.Value{
			"default_request": v.strMap(lr.DefaultRequest), "default": v.strMap(lr.Default), "max": v.strMap(lr.Max), "min": v.strMap(lr.Min),
		})
	}
	n := s.Network
	m.NetworkPolicy = v.object(networkAttrTypes, map[string]attr.Value{
		"deny_ingress": v.boolean(n.DenyIngress), "deny_egress": v.boolean(n.DenyEgress), "allow_dns": v.boolean(n.AllowDNS),
		"allow_same_namespace": v.boolean(n.AllowSameNamespace), "allow_ingress_from_namespaces": v.list(n.AllowIngressFromNamespaces),
		"allow_ingress_ports": v.list(n.AllowIngressPorts), "allow_egress_to_namespaces": v.list(n.AllowEgressToNamespaces),
		"allow_egress_to_cidrs": v.list(n.AllowEgressToCIDRs), "allow_egress_ports": v.list(n.AllowEgressPorts),
		"allow_ingress_from_cidrs": v.list(n.AllowIngressFromCIDRs),
	})
	m.adoptPolicies(v, s)
	m.Access = v.access(s.Access)
	return v.diags
}

// adoptPolicies reads back the image and Services policies and the class and hostname bounds.
func (m *namespaceModel) adoptPolicies(v *valueBuilder, s hardening.NamespaceSpec) {
	m.ImagePolicy = types.ObjectNull(imagePolicyAttrTypes)
	if ip := s.ImagePolicy; ip != nil {
		m.ImagePolicy = v.object(imagePolicyAttrTypes, map[string]attr.Value{
			"allowed_registries": v.list(ip.AllowedRegistries), "forbid_latest_tag": v.boolean(ip.ForbidLatestTag),
			"require_digest": v.boolean(ip.RequireDigest), "action": v.str(ip.Action), "always_pull_images": v.boolean(ip.AlwaysPullImages),
		})
	}
	m.ServicePolicy = types.ObjectNull(servicePolicyAttrTypes)
	if sp := s.ServicePolicy; sp != nil {
		m.ServicePolicy = v.object(servicePolicyAttrTypes, map[string]attr.Value{
			"enabled": types.BoolNull(), "allowed_external_ip_cidrs": v.list(sp.AllowedExternalIPCIDRs),
			"allow_external_name": v.boolean(sp.AllowExternalName), "require_load_balancer_source_ranges": v.boolean(sp.RequireLoadBalancerSourceRanges),
			"action": v.str(sp.Action),
		})
	}
	m.AllowedStorageClasses, m.AllowedPriorityClasses = v.list(s.AllowedStorageClasses), v.list(s.AllowedPriorityClasses)
	m.MaxPreemptingPriority = types.Int64PointerValue(s.MaxPreemptingPriority)
	m.AllowedHostnames = v.list(s.AllowedHostnames)
}

// valueBuilder makes Terraform values of optional Go values (nil: null) and keeps what went wrong.
type valueBuilder struct {
	ctx   context.Context
	diags diag.Diagnostics
}

func (v *valueBuilder) str(p *string) types.String { return types.StringPointerValue(p) }

func (v *valueBuilder) boolean(p *bool) types.Bool { return types.BoolPointerValue(p) }

func (v *valueBuilder) strMap(m map[string]string) types.Map {
	if m == nil {
		return types.MapNull(types.StringType)
	}
	out, d := types.MapValueFrom(v.ctx, types.StringType, m)
	v.diags.Append(d...)
	return out
}

func (v *valueBuilder) list(xs []string) types.List {
	if xs == nil {
		return types.ListNull(types.StringType)
	}
	out, d := types.ListValueFrom(v.ctx, types.StringType, xs)
	v.diags.Append(d...)
	return out
}

func (v *valueBuilder) object(attrTypes map[string]attr.Type, values map[string]attr.Value) types.Object {
	out, d := types.ObjectValue(attrTypes, values)
	v.diags.Append(d...)
	return out
}

// access is the access list of the adopted entries (null when there are none).
func (v *valueBuilder) access(entries []hardening.AccessEntry) types.List {
	accessType := types.ObjectType{AttrTypes: accessAttrTypes}
	if len(entries) == 0 {
		return types.ListNull(accessType)
	}
	var values []attr.Value
	for _, e := range entries {
		allow := types.BoolNull()
		if e.AllowClusterAdmin {
			allow = types.BoolValue(true)
		}
		values = append(values, v.object(accessAttrTypes, map[string]attr.Value{
			"role": types.StringValue(e.Role), "users": v.list(e.Users), "groups": v.list(e.Groups),
			"service_accounts": v.list(e.ServiceAccounts), "allow_cluster_admin": allow,
		}))
	}
	out, d := types.ListValue(accessType, values)
	v.diags.Append(d...)
	return out
}
