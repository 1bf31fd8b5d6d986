package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

type namespaceModel struct {
	ID          types.String   `tfsdk:"id"`
	Name        types.String   `tfsdk:"name"`
	UID         types.String   `tfsdk:"uid"`
	Labels      types.Map      `tfsdk:"labels"`
	Annotations types.Map      `tfsdk:"annotations"`
	PodSecurity types.Object   `tfsdk:"pod_security"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

type podSecurityModel struct {
	Enforce types.String `tfsdk:"enforce"`
	Audit   types.String `tfsdk:"audit"`
	Warn    types.String `tfsdk:"warn"`
	Version types.String `tfsdk:"version"`
}

// spec translates the Terraform model into the pure core's input.
func (m namespaceModel) spec(ctx context.Context) (hardening.NamespaceSpec, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := hardening.NamespaceSpec{Name: m.Name.ValueString(), PodSecurity: hardening.DefaultPodSecurity()}
	if !m.Labels.IsNull() && !m.Labels.IsUnknown() {
		diags.Append(m.Labels.ElementsAs(ctx, &s.Labels, false)...)
	}
	if !m.Annotations.IsNull() && !m.Annotations.IsUnknown() {
		diags.Append(m.Annotations.ElementsAs(ctx, &s.Annotations, false)...)
	}
	if !m.PodSecurity.IsNull() && !m.PodSecurity.IsUnknown() {
		var ps podSecurityModel
		diags.Append(m.PodSecurity.As(ctx, &ps, basetypes.ObjectAsOptions{})...)
		set := func(dst *string, v types.String) {
			if !v.IsNull() && !v.IsUnknown() {
				*dst = v.ValueString()
			}
		}
		set(&s.PodSecurity.Enforce, ps.Enforce)
		set(&s.PodSecurity.Audit, ps.Audit)
		set(&s.PodSecurity.Warn, ps.Warn)
		set(&s.PodSecurity.Version, ps.Version)
	}
	return s, diags
}

func (m namespaceModel) build(ctx context.Context) (*hardening.Objects, diag.Diagnostics) {
	s, diags := m.spec(ctx)
	if diags.HasError() {
		return nil, diags
	}
	objs, err := hardening.Build(s)
	if err != nil {
		diags.AddError("Invalid namespace specification", err.Error())
	}
	return objs, diags
}

// fromLive refreshes the model from the cluster. Only the label and annotation keys this
// configuration manages are compared, so keys other tools add never show as drift; an import
// adopts every user-visible key.
func (m *namespaceModel) fromLive(ctx context.Context, ns *corev1.Namespace, imported bool) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(ns.Name)
	m.Name = types.StringValue(ns.Name)
	m.UID = types.StringValue(string(ns.UID))

	userLabels := hardening.UserLabels(ns.Labels)
	m.Labels, diags = refreshMap(ctx, m.Labels, userLabels, imported)
	userAnnotations := maps.Clone(ns.Annotations)
	delete(userAnnotations, "kubectl.kubernetes.io/last-applied-configuration")
	ann, d := refreshMap(ctx, m.Annotations, userAnnotations, imported)
	diags.Append(d...)
	m.Annotations = ann

	ps := hardening.PodSecurityFromLabels(ns.Labels)
	strOrNull := func(s string) attr.Value {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	obj, d := types.ObjectValue(podSecurityAttrTypes, map[string]attr.Value{
		"enforce": strOrNull(ps.Enforce), "audit": strOrNull(ps.Audit), "warn": strOrNull(ps.Warn), "version": strOrNull(ps.Version),
	})
	diags.Append(d...)
	m.PodSecurity = obj
	return diags
}

// refreshMap returns the live values of the keys prior manages (or all live keys on import).
func refreshMap(ctx context.Context, prior types.Map, live map[string]string, imported bool) (types.Map, diag.Diagnostics) {
	if imported {
		if len(live) == 0 {
			return types.MapNull(types.StringType), nil
		}
		return types.MapValueFrom(ctx, types.StringType, live)
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
	return types.MapValueFrom(ctx, types.StringType, out)
}
