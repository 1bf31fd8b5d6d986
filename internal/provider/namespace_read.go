package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// fromState rebuilds what a state asked for, without today's validation (see hardening.FromState).
// State written before tamper_protection existed had none.
func (m namespaceModel) fromState(ctx context.Context, client cluster, runner hardening.RunnerIdentity) (hardening.Resolved, []hardening.Object, diag.Diagnostics) {
	s, _, diags := m.spec(ctx)
	withClusterFacts(ctx, client, &s)
	if m.TamperProtection.IsNull() {
		off := false
		s.TamperProtection = &off
	}
	s.Runner = runner
	res, objs, err := hardening.FromState(s)
	if err != nil {
		diags.AddError("Cannot rebuild hardened_namespace "+m.Name.ValueString()+" from state", err.Error())
	}
	return res, objs, diags
}

func onlyKeys(m map[string]string, keep map[string]bool) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if keep[k] {
			out[k] = v
		}
	}
	return out
}

func (r *NamespaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.read(ctx, req.State, req.Private, &resp.State, resp.Private, &resp.Diagnostics)
}

// read is Read on the framework's values and interfaces, so the protocol server can also call it
// without the framework's conversions (protocol_read.go).
func (r *NamespaceResource) read(ctx context.Context, current tfsdk.State, private privateState, out *tfsdk.State, outPrivate privateWriter, outDiags *diag.Diagnostics) {
	var state namespaceModel
	outDiags.Append(getNamespace(ctx, current.Raw, &state)...)
	if outDiags.HasError() {
		return
	}
	if r.data != nil && r.data.configUnknown {
		outDiags.AddWarning("Namespace not refreshed",
			"The provider configuration is not known until apply, so "+state.Name.ValueString()+" was not read from the cluster during this plan.")
		return
	}
	client, diags := r.data.client()
	outDiags.Append(diags...)
	if outDiags.HasError() {
		return
	}
	name := state.ID.ValueString()
	if name == "" {
		name = state.Name.ValueString()
	}
	imported, diags := private.GetKey(ctx, importedKey)
	outDiags.Append(diags...)
	isImport := len(imported) > 0
	// From the snapshot, reading every kind costs no extra request.
	kinds, clusterIDs := hardening.RefreshScope(name)
	obs, err := client.Observe(ctx, name, kinds, clusterIDs)
	if apierrors.IsNotFound(err) || (err == nil && obs.Namespace.DeletionTimestamp != nil) {
		tflog.Info(ctx, "namespace is gone or terminating; removing it from state", map[string]any{"name": name})
		out.RemoveResource(ctx)
		return
	}
	if err != nil {
		outDiags.AddError("Cannot read namespace "+name, err.Error())
		return
	}
	ns, live := obs.Namespace, obs.Managed
	userLabels, userAnns := hardening.UserLabels(ns.Labels), hardening.UserAnnotations(ns.Annotations)
	if isImport {
		state.adoptDefaults()
		outDiags.Append(state.adoptLive(ctx, obs)...)
		if userLabels, userAnns, err = appliedMetadata(ctx, client, name, userLabels, userAnns); err != nil {
			outDiags.AddError("Cannot read namespace "+name, err.Error())
			return
		}
	}
	state.ID, state.Name, state.UID = types.StringValue(ns.Name), types.StringValue(ns.Name), types.StringValue(string(ns.UID))
	state.Labels, diags = refreshMap(state.Labels, userLabels, isImport)
	outDiags.Append(diags...)
	state.Annotations, diags = refreshMap(state.Annotations, userAnns, isImport)
	outDiags.Append(diags...)

	identity := r.guardIdentity(ctx, client, obs, state.TamperProtection.ValueBool(), outDiags)
	res, objs, diags := state.fromState(ctx, client, identity)
	outDiags.Append(diags...)
	if outDiags.HasError() {
		return
	}
	nsLive, err := obs.NamespaceObject()
	if err != nil {
		outDiags.AddError("Cannot read namespace "+name, err.Error())
		return
	}
	live["Namespace/"+name] = nsLive
	present, notAsApplied, ok := compareLive(ctx, name, objs, obs, isImport, outDiags)
	if !ok {
		return
	}
	foreign, others, diags := judgeForeign(res, objs, obs)
	outDiags.Append(diags...)
	foreign.ImagePolicyNotLive = imagePolicyNotLive(res, notAsApplied, ns.Labels, ns.Annotations)
	foreign.ServicePolicyNotLive = servicePolicyNotLive(res, notAsApplied, ns.Labels, ns.Annotations)
	for _, f := range append(append([]string(nil), foreign.OpenPolicies...), foreign.EscalatingBindings...) {
		outDiags.AddWarning("Namespace "+name+" weakened by an object Terraform does not manage",
			f+". Terraform does not remove objects it did not create; compliance reports it until it is removed.")
	}
	outDiags.Append(setForeign(ctx, outPrivate, foreign, others)...)
	outDiags.Append(state.setComputed(res, objs, foreign)...)
	// Pod Security labels are shown as they are live, so a changed label is a visible diff.
	state.PodSecurity, diags = livePodSecurity(ns.Labels)
	outDiags.Append(diags...)
	state.ManagedObjects, diags = types.ListValue(types.StringType, present)
	outDiags.Append(diags...)
	// The blast radius belongs to the plan that computed it; once applied or refreshed nothing is pending.
	state.BlastRadius = state.settledBlastRadius()
	outDiags.Append(outPrivate.SetKey(ctx, importedKey, nil)...)
	outDiags.Append(setNamespace(ctx, &out.Raw, &state)...)
}

func livePodSecurity(labels map[string]string) (types.Object, diag.Diagnostics) {
	ps := hardening.PodSecurityFromLabels(labels)
	strOrNull := func(s string) attr.Value {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	return types.ObjectValue(podSecurityAttrTypes, map[string]attr.Value{
		"enforce": strOrNull(ps.Enforce), "audit": strOrNull(ps.Audit), "warn": strOrNull(ps.Warn), "version": strOrNull(ps.Version),
	})
}

// compareLive maps the live verdict of each object (kube.Verdicts) to managed_objects (present),
// warnings (none on import, where a difference is what the first apply does) and, for compliance,
// how each desired object differs (notAsApplied). ok is false when an object cannot be rendered.
func compareLive(ctx context.Context, name string, objs []hardening.Object, obs *kube.Observed, isImport bool, diags *diag.Diagnostics) (present []attr.Value, notAsApplied map[string]string, ok bool) {
	verdicts, err := kube.Verdicts(objs, obs.Managed, obs.ManagedIDs())
	if err != nil {
		diags.AddError("Cannot render the objects of namespace "+name, err.Error())
		return nil, nil, false
	}
	notAsApplied = map[string]string{}
	for _, v := range verdicts {
		switch v.State {
		case kube.Present:
			present = append(present, types.StringValue(v.ID))
		case kube.Missing:
			notAsApplied[v.ID] = "is missing"
			if !isImport {
				diags.AddWarning("Object deleted outside Terraform",
					fmt.Sprintf("%s in namespace %s no longer exists; apply recreates it.", v.ID, name))
			}
		case kube.Drifted:
			notAsApplied[v.ID] = v.Where
			tflog.Debug(ctx, "drift detected", map[string]any{"namespace": name, "object": v.ID, "where": v.Where})
			if !isImport {
				diags.AddWarning("Object changed outside Terraform",
					fmt.Sprintf("%s in namespace %s: %s; apply restores it.", v.ID, name, v.Where))
			}
		case kube.Stale:
			diags.AddWarning("Object claims to be managed by Terraform",
				fmt.Sprintf("%s in namespace %s carries %s=%s but is not part of this configuration; apply deletes it.",
					v.ID, name, hardening.ManagedByLabel, hardening.ManagedByValue))
			present = append(present, types.StringValue(v.ID))
		}
	}
	return present, notAsApplied, true
}

// appliedMetadata keeps, of an imported namespace's labels and annotations, those an earlier apply
// of this provider set: they are the configuration's; what other tools added stays theirs (and out
// of the plan).
func appliedMetadata(ctx context.Context, client cluster, name string, labels, annotations map[string]string) (map[string]string, map[string]string, error) {
	full, err := client.GetNamespace(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	l, a := kube.AppliedMetadataKeys(full.ManagedFields, client.FieldManager())
	return onlyKeys(labels, l), onlyKeys(annotations, a), nil
}
