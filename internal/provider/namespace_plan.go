package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// ModifyPlan shows the effective values: what the preset fills in, the objects that will be
// owned and the compliance verdicts. It also enforces deletion_protection at plan time.
func (r *NamespaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.modifyPlan(ctx, req.Config, req.State, req.Private, &resp.Plan, &resp.Diagnostics)
}

// modifyPlan is ModifyPlan on the framework's values and interfaces, so the protocol server can
// also call it without the framework's conversions (protocol_plan.go). plan is read and written.
func (r *NamespaceResource) modifyPlan(ctx context.Context, config tfsdk.Config, state tfsdk.State, private privateState, plan *tfsdk.Plan, outDiags *diag.Diagnostics) {
	if plan.Raw.IsNull() {
		var st namespaceModel
		outDiags.Append(getNamespace(ctx, state.Raw, &st)...)
		if st.DeletionProtection.ValueBool() {
			outDiags.AddAttributeError(path.Root("deletion_protection"), "Namespace is protected from deletion",
				fmt.Sprintf("hardened_namespace %q has deletion_protection = true. Set it to false and apply before destroying. "+
					"If Terraform plans to replace it because it is tainted (a create that failed half way), keep it instead: "+
					"terraform untaint <address>, then apply again to finish it.", st.Name.ValueString()))
		}
		return
	}
	var planned, configured namespaceModel
	outDiags.Append(getNamespace(ctx, plan.Raw, &planned)...)
	outDiags.Append(getNamespace(ctx, config.Raw, &configured)...)
	if outDiags.HasError() {
		return
	}
	var prior *namespaceModel
	if !state.Raw.IsNull() {
		var st namespaceModel
		outDiags.Append(getNamespace(ctx, state.Raw, &st)...)
		prior = &st
		if st.DeletionProtection.ValueBool() && !planned.Name.IsUnknown() && planned.Name.ValueString() != st.Name.ValueString() {
			outDiags.AddAttributeError(path.Root("name"), "Namespace is protected from deletion",
				fmt.Sprintf("Renaming replaces namespace %q, and it has deletion_protection = true.", st.Name.ValueString()))
			return
		}
	}
	// The spec comes from the configuration, where null means "preset"; plan values for
	// Optional+Computed attributes are unknown at this point.
	s, unknown, diags := configured.spec(ctx)
	outDiags.Append(diags...)
	if unknown || outDiags.HasError() {
		planned.setUnknownComputed()
		if configured.TamperProtection.IsNull() {
			planned.TamperProtection = types.BoolUnknown()
		}
		outDiags.Append(setNamespace(ctx, &plan.Raw, &planned)...)
		return
	}
	if s.UsesAdmissionPolicies() {
		check := &resource.ModifyPlanResponse{}
		r.checkAdmissionPoliciesSupported(ctx, &s, check)
		outDiags.Append(check.Diagnostics...)
		if outDiags.HasError() {
			return
		}
		outDiags.Append(r.checkGatewayRoutes(ctx, s)...)
		if r.data.known() {
			if client, d := r.data.client(); !d.HasError() {
				withClusterFacts(ctx, client, &s)
			}
		}
	}
	if (s.TamperProtection == nil || *s.TamperProtection) && r.data.known() && r.data.runner != nil {
		// A declared runner is checked when the plan is made, not half way through an apply.
		if client, d := r.data.client(); !d.HasError() {
			_, d = r.data.runnerFor(ctx, client)
			outDiags.Append(d...)
			if outDiags.HasError() {
				return
			}
		}
	}
	// ValidateConfig judged this configuration before Terraform asked for the plan (and stopped it
	// on any error), so it is built without validating it again.
	res, objs, err := hardening.Build(s)
	if err != nil {
		return // Resolve refuses only what validation refuses; ValidateConfig reported it.
	}
	outDiags.Append(pullRefusalWarning(res)...)
	foreign, diags := plannedForeign(ctx, private, res, objs)
	outDiags.Append(diags...)
	outDiags.Append(planned.setComputed(res, objs, foreign)...)
	r.setBlastRadius(ctx, prior, state, &planned, objs, plan, outDiags)
	outDiags.Append(setNamespace(ctx, &plan.Raw, &planned)...)
}

// setBlastRadius fills blast_radius. A new namespace breaks nothing; a plan that changes nothing
// keeps what the state has (the refresh settled it); a change to an existing namespace is judged
// against what runs in it.
func (r *NamespaceResource) setBlastRadius(ctx context.Context, prior *namespaceModel, state tfsdk.State, planned *namespaceModel, objs []hardening.Object, plan *tfsdk.Plan, diags *diag.Diagnostics) {
	if prior == nil || !planned.computesBlastRadius() {
		planned.BlastRadius = planned.settledBlastRadius()
		return
	}
	planned.BlastRadius = prior.BlastRadius
	diags.Append(setNamespace(ctx, &plan.Raw, planned)...)
	if plan.Raw.Equal(state.Raw) || diags.HasError() {
		return
	}
	if !r.data.known() {
		planned.BlastRadius = types.ListUnknown(blastRadiusElemType)
		return
	}
	client, d := r.data.client()
	if d.HasError() {
		planned.BlastRadius = types.ListNull(blastRadiusElemType)
		return
	}
	v, d := planBlastRadius(ctx, client, planned.Name.ValueString(), objs)
	diags.Append(d...)
	planned.BlastRadius = v
}

// checkAdmissionPoliciesSupported needs ValidatingAdmissionPolicy v1 (GA in Kubernetes 1.30) for
// image_policy and tamper_protection. Set explicitly on an older cluster, either is a plan-time
// error; tamper_protection left to its default is turned off with a warning. It costs one /version
// request per provider process, made only when the cluster is known.
func (r *NamespaceResource) checkAdmissionPoliciesSupported(ctx context.Context, s *hardening.NamespaceSpec, resp *resource.ModifyPlanResponse) {
	if !r.data.known() {
		return
	}
	client, diags := r.data.client()
	if diags.HasError() {
		return // Create reports the configuration problem with its full explanation.
	}
	support := admissionPolicySupport(ctx, client)
	if !support.known || support.unsupported == nil {
		return
	}
	v, err := support.version, support.unsupported
	if s.ImagePolicy != nil {
		resp.Diagnostics.AddAttributeError(path.Root("image_policy"), "image_policy needs Kubernetes 1.30 or newer", err.Error()+".")
	}
	if len(s.AllowedHostnames) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("allowed_hostnames"), "allowed_hostnames needs Kubernetes 1.30 or newer",
			fmt.Sprintf("The cluster runs Kubernetes %s; allowed_hostnames uses ValidatingAdmissionPolicy "+
				"(admissionregistration.k8s.io/v1), GA in 1.30. Upgrade the cluster or remove it.", v))
	}
	if s.ExplicitClassBounds() {
		resp.Diagnostics.AddError("Class bounds need Kubernetes 1.30 or newer", fmt.Sprintf("The cluster runs Kubernetes %s; "+
			"allowed_storage_classes, allowed_priority_classes and max_preempting_priority use ValidatingAdmissionPolicy "+
			"(admissionregistration.k8s.io/v1), GA in 1.30. Upgrade the cluster or remove them.", v))
	}
	switch {
	case s.ServicePolicy == nil:
		off := false
		s.ServicePolicy = &hardening.ServicePolicyInput{Enabled: &off}
		resp.Diagnostics.AddAttributeWarning(path.Root("service_policy"), "The Services policy is off on this cluster",
			fmt.Sprintf("The cluster runs Kubernetes %s; service_policy uses ValidatingAdmissionPolicy (1.30+), so tenants can "+
				"create Services with externalIPs or of type ExternalName. Upgrade the cluster, or set "+
				"service_policy = { enabled = false } to silence this warning.", v))
	case s.ServicePolicy.Enabled == nil || *s.ServicePolicy.Enabled:
		resp.Diagnostics.AddAttributeError(path.Root("service_policy"), "service_policy needs Kubernetes 1.30 or newer",
			fmt.Sprintf("The cluster runs Kubernetes %s; service_policy uses ValidatingAdmissionPolicy "+
				"(admissionregistration.k8s.io/v1), GA in 1.30. Upgrade the cluster or set service_policy = { enabled = false }.", v))
	}
	switch {
	case s.TamperProtection == nil:
		off := false
		s.TamperProtection = &off
		resp.Diagnostics.AddAttributeWarning(path.Root("tamper_protection"), "Tamper protection is off on this cluster",
			fmt.Sprintf("The cluster runs Kubernetes %s; tamper_protection uses ValidatingAdmissionPolicy (1.30+), so it is off "+
				"and the namespace's tenants can change what this resource set up until the next apply repairs it. "+
				"Upgrade the cluster, or set tamper_protection = false to silence this warning.", v))
	case *s.TamperProtection:
		resp.Diagnostics.AddAttributeError(path.Root("tamper_protection"), "tamper_protection needs Kubernetes 1.30 or newer",
			fmt.Sprintf("The cluster runs Kubernetes %s; tamper_protection uses ValidatingAdmissionPolicy "+
				"(admissionregistration.k8s.io/v1), GA in 1.30. Upgrade the cluster or set tamper_protection = false.", v))
	}
}

// policySupport is what admissionPolicySupport found: the cluster's version, whether it could be
// read and parsed (known), and why the cluster cannot run the shared policies (nil: it can).
type policySupport struct {
	version     string
	known       bool
	unsupported error
}

// admissionPolicySupport is the one check of whether the cluster serves ValidatingAdmissionPolicy
// v1 (GA in Kubernetes 1.30), which every shared policy needs. The client reads the version once
// per process.
func admissionPolicySupport(ctx context.Context, client cluster) policySupport {
	v, err := client.ServerVersion(ctx)
	if err != nil {
		tflog.Warn(ctx, "cannot read the server version to check admission policy support", map[string]any{"error": err.Error()})
		return policySupport{}
	}
	parsed, err := releases.ParseVersion(v)
	if err != nil {
		return policySupport{version: v}
	}
	return policySupport{version: v, known: true, unsupported: hardening.ImagePolicySupported(parsed.Major, parsed.Minor, v)}
}
