package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

var (
	_ resource.Resource                   = &NamespaceResource{}
	_ resource.ResourceWithConfigure      = &NamespaceResource{}
	_ resource.ResourceWithImportState    = &NamespaceResource{}
	_ resource.ResourceWithModifyPlan     = &NamespaceResource{}
	_ resource.ResourceWithValidateConfig = &NamespaceResource{}
)

const (
	defaultCreateTimeout = 5 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
	// importedKey marks state that came from import, so the first Read adopts the live labels.
	importedKey = "imported"
)

// NamespaceResource is hardened_namespace.
type NamespaceResource struct {
	data *providerData
}

// NewNamespaceResource returns the resource.
func NewNamespaceResource() resource.Resource { return &NamespaceResource{} }

func (r *NamespaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_namespace"
}

func (r *NamespaceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	d, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	r.data = d
}

// ValidateConfig runs every hardening rule at plan time and reports each at its attribute.
func (r *NamespaceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, req.Config.Raw, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, unknown, diags := m.spec(ctx)
	resp.Diagnostics.Append(diags...)
	if m.Name.IsUnknown() {
		s.Name = "unknown-yet"
	}
	waiting := m.unknownPaths()
	for _, fe := range hardening.Validate(s) {
		// Values known only after apply (another resource's id, each.key) are judged then: an error
		// about an unknown value, or about its relation to another (an empty list that is only not
		// known yet), waits. Everything known is judged now.
		if unknown && (len(fe.Path) > 0 && fe.Path[0] == "limit_range" || waiting.covers(fe)) {
			continue
		}
		if reportedBySchema(fe.Path, s) {
			continue // the attribute's own validator already said it, once is enough
		}
		resp.Diagnostics.AddAttributeError(fieldErrorPath(fe.Path), "Invalid hardened_namespace configuration", fe.Msg)
	}
}

// ModifyPlan shows the effective values: what the preset fills in, the objects that will be
// owned and the compliance verdicts. It also enforces deletion_protection at plan time.
func (r *NamespaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.modifyPlan(ctx, req.Config, req.State, req.Private, &resp.Plan, &resp.Diagnostics)
}

// modifyPlan is ModifyPlan on the framework's values and interfaces, so the protocol server can
// also call it without the framework's conversions (protocol_plan.go). plan is read and written.
func (r *NamespaceResource) modifyPlan(ctx context.Context, config tfsdk.Config, state tfsdk.State, private privateState, plan *tfsdk.Plan, outDiags *diag.Diagnostics) {
	req := struct {
		Config  tfsdk.Config
		Plan    tfsdk.Plan
		State   tfsdk.State
		Private privateState
	}{config, *plan, state, private}
	resp := struct {
		Plan        *tfsdk.Plan
		Diagnostics *diag.Diagnostics
	}{plan, outDiags}
	if req.Plan.Raw.IsNull() {
		var state namespaceModel
		resp.Diagnostics.Append(getNamespace(ctx, req.State.Raw, &state)...)
		if state.DeletionProtection.ValueBool() {
			resp.Diagnostics.AddAttributeError(path.Root("deletion_protection"), "Namespace is protected from deletion",
				fmt.Sprintf("hardened_namespace %q has deletion_protection = true. Set it to false and apply before destroying. "+
					"If Terraform plans to replace it because it is tainted (a create that failed half way), keep it instead: "+
					"terraform untaint <address>, then apply again to finish it.", state.Name.ValueString()))
		}
		return
	}
	var planned, configured namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, req.Plan.Raw, &planned)...)
	resp.Diagnostics.Append(getNamespace(ctx, req.Config.Raw, &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var prior *namespaceModel
	if !req.State.Raw.IsNull() {
		var state namespaceModel
		resp.Diagnostics.Append(getNamespace(ctx, req.State.Raw, &state)...)
		prior = &state
		if state.DeletionProtection.ValueBool() && !planned.Name.IsUnknown() && planned.Name.ValueString() != state.Name.ValueString() {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Namespace is protected from deletion",
				fmt.Sprintf("Renaming replaces namespace %q, and it has deletion_protection = true.", state.Name.ValueString()))
			return
		}
	}
	// The spec comes from the configuration, where null means "preset"; plan values for
	// Optional+Computed attributes are unknown at this point.
	s, unknown, diags := configured.spec(ctx)
	resp.Diagnostics.Append(diags...)
	if unknown || resp.Diagnostics.HasError() {
		planned.setUnknownComputed()
		if configured.TamperProtection.IsNull() {
			planned.TamperProtection = types.BoolUnknown()
		}
		resp.Diagnostics.Append(setNamespace(ctx, &resp.Plan.Raw, &planned)...)
		return
	}
	if s.UsesAdmissionPolicies() {
		check := &resource.ModifyPlanResponse{}
		r.checkAdmissionPoliciesSupported(ctx, &s, check)
		resp.Diagnostics.Append(check.Diagnostics...)
		if resp.Diagnostics.HasError() {
			return
		}
		resp.Diagnostics.Append(r.checkGatewayRoutes(ctx, s)...)
		if r.data != nil && !r.data.configUnknown {
			if client, d := r.data.client(); !d.HasError() {
				withClusterFacts(ctx, client, &s)
			}
		}
	}
	if (s.TamperProtection == nil || *s.TamperProtection) && r.data != nil && r.data.runner != nil && !r.data.configUnknown {
		// A declared runner is checked when the plan is made, not half way through an apply.
		if client, d := r.data.client(); !d.HasError() {
			_, d = r.data.runnerFor(ctx, client)
			resp.Diagnostics.Append(d...)
			if resp.Diagnostics.HasError() {
				return
			}
		}
	}
	res, objs, err := hardening.Desired(s)
	if err != nil {
		return // ValidateConfig reported it at the attribute.
	}
	resp.Diagnostics.Append(pullRefusalWarning(res)...)
	foreign, diags := plannedForeign(ctx, req.Private, res, objs)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(planned.setComputed(res, objs, foreign)...)
	r.setBlastRadius(ctx, prior, req.State, &planned, objs, resp.Plan, resp.Diagnostics)
	resp.Diagnostics.Append(setNamespace(ctx, &resp.Plan.Raw, &planned)...)
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
	if r.data == nil || r.data.configUnknown {
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

// desired rebuilds the objects from a plan. With tamper protection the guard exempts the identity
// the API server says Terraform runs as.
func (m namespaceModel) desired(ctx context.Context, data *providerData, client cluster) (hardening.Resolved, []hardening.Object, diag.Diagnostics) {
	s, _, diags := m.spec(ctx)
	if diags.HasError() {
		return hardening.Resolved{}, nil, diags
	}
	if m.TamperProtection.ValueBool() {
		runner, d := data.runnerFor(ctx, client)
		diags.Append(d...)
		if diags.HasError() {
			return hardening.Resolved{}, nil, diags
		}
		s.Runner = runner
	}
	withClusterFacts(ctx, client, &s)
	res, objs, err := hardening.Desired(s)
	if err != nil {
		diags.AddError("Invalid hardened_namespace configuration", err.Error())
	}
	return res, objs, diags
}

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

func (r *NamespaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, req.Plan.Raw, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client, diags := r.data.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, objs, diags := plan.desired(ctx, r.data, client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := plan.Name.ValueString()
	existing, err := client.GetNamespace(ctx, name)
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		resp.Diagnostics.AddError("Cannot read namespace "+name, err.Error())
		return
	case existing.DeletionTimestamp != nil:
		// A namespace from a previous destroy is still terminating: wait instead of failing.
		tflog.Info(ctx, "waiting for the terminating namespace to go before creating it again", map[string]any{"name": name})
		if err := client.WaitNamespaceGone(ctx, name); err != nil {
			resp.Diagnostics.AddError("Namespace "+name+" is still terminating", err.Error())
			return
		}
	default:
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Namespace already exists",
			fmt.Sprintf("Namespace %q already exists in the cluster and is not managed by this configuration. "+
				"Adopt it with: terraform import <address> %s", name, name))
		return
	}
	r.apply(ctx, client, &plan, objs, true, &resp.Diagnostics)
	if plan.UID.IsUnknown() {
		return // The namespace itself was not created: nothing to track.
	}
	// Even after a partial failure the namespace exists and is tracked, so the next apply
	// converges instead of finding an unmanaged namespace.
	resp.Diagnostics.Append(setNamespace(ctx, &resp.State.Raw, &plan)...)
	r.recordPlanFingerprint(ctx, client, res, req.Config, settledState(ctx, resp.State, plan), resp.Private, &resp.Diagnostics)
}

// apply writes the tamper guard, the namespace, waits for the default ServiceAccount when asked,
// writes everything inside the namespace concurrently, binds the image policy, then prunes every
// live object carrying the managed-by label that is no longer desired. A namespace just created
// holds nothing stale, so then only the cluster-scoped objects (left by an earlier namespace of
// the same name deleted out of band) are read.
func (r *NamespaceResource) apply(ctx context.Context, client cluster, plan *namespaceModel, objs []hardening.Object, created bool, diags *diag.Diagnostics) {
	name := plan.Name.ValueString()
	force := plan.ForceConflicts.ValueBool()
	tflog.Debug(ctx, "applying namespace objects with server-side apply", map[string]any{
		"namespace": name, "objects": hardening.ManagedIDs(objs), "force_conflicts": force, "field_manager": client.FieldManager()})
	guard, nsObj, inside, last := hardening.ApplyOrder(objs)
	if err := client.ApplyEach(ctx, name, guard, force); err != nil {
		diags.AddError("Cannot apply the tamper protection of namespace "+name, err.Error())
		return
	}
	// Objects inside the namespace are judged against a cached copy of the namespace that takes a
	// moment to follow a change to it, so refusals are retried for a short while.
	var ns *unstructured.Unstructured
	err := kube.RetryWhile(ctx, guardRefusal, func() (err error) {
		ns, err = client.Apply(ctx, nsObj, "", force)
		return err
	})
	if err != nil {
		diags.AddError("Cannot apply namespace "+name, explainGuardRefusal(err, name))
		return
	}
	plan.ID = types.StringValue(name)
	plan.UID = types.StringValue(string(ns.GetUID()))
	// What to prune is read while the desired objects are written: the stale objects are those
	// not desired, which the writes do not touch, so the read costs no round trip of its own.
	// The default ServiceAccount is among the writes: server-side apply creates it when the
	// controller manager has not yet, so there is nothing to wait for
	// (wait_for_default_service_account only says it exists when apply returns).
	kinds, clusterIDs := hardening.PruneScope(name, created)
	var live []string
	var liveErr error
	read := make(chan struct{})
	go func() {
		defer close(read)
		live, liveErr = client.LiveManagedIDs(ctx, name, kinds, clusterIDs)
	}()
	for _, batch := range [][]hardening.Object{inside, last} {
		err := kube.RetryWhile(ctx, guardRefusal, func() error { return client.ApplyEach(ctx, name, batch, force) })
		if err != nil {
			<-read
			diags.AddError("Cannot apply the objects of namespace "+name, explainGuardRefusal(err, name))
			return
		}
	}
	<-read
	if liveErr != nil {
		diags.AddError("Cannot list the objects of namespace "+name+" to prune", liveErr.Error())
		return
	}
	for _, id := range hardening.PruneOrder(hardening.Stale(live, objs)) {
		kind, objName, _ := strings.Cut(id, "/")
		ns := name
		if hardening.IsClusterScopedKind(kind) {
			ns = ""
		}
		tflog.Debug(ctx, "pruning an object no longer desired", map[string]any{"namespace": name, "object": id})
		if err := client.Delete(ctx, kind, ns, objName); err != nil {
			if legacyRefused(name, id, err, diags) {
				continue
			}
			diags.AddError("Cannot remove "+id+" from namespace "+name, err.Error())
		}
	}
}

// reportedBySchema: values outside a fixed set are refused by the schema's OneOf validators, at
// the same attribute; the pure core's error about the same value would repeat it.
func reportedBySchema(p []any, s hardening.NamespaceSpec) bool {
	at := func(want ...string) bool {
		if len(p) != len(want) {
			return false
		}
		for i := range want {
			if fmt.Sprint(p[i]) != want[i] {
				return false
			}
		}
		return true
	}
	outside := func(v *string, set []string) bool { return v != nil && !slices.Contains(set, *v) }
	switch {
	case at("environment"):
		return s.Environment != "" && !slices.Contains(hardening.Environments, s.Environment)
	case at("pod_security", "enforce"):
		return outside(s.PodSecurity.Enforce, hardening.Levels)
	case at("pod_security", "audit"):
		return outside(s.PodSecurity.Audit, hardening.Levels)
	case at("pod_security", "warn"):
		return outside(s.PodSecurity.Warn, hardening.Levels)
	case at("image_policy", "action"):
		return s.ImagePolicy != nil && outside(s.ImagePolicy.Action, hardening.ImageActions)
	case at("service_policy", "action"):
		return s.ServicePolicy != nil && outside(s.ServicePolicy.Action, hardening.ImageActions)
	}
	return false
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

// legacyRefused turns RBAC refusing to delete an earlier release's per-namespace admission policy
// into a warning: an identity confined to the shared policies' names (examples/least-privilege)
// may not delete it, and it must not block the apply or destroy that replaces it.
func legacyRefused(namespace, id string, err error, diags *diag.Diagnostics) bool {
	if !apierrors.IsForbidden(err) || !slices.Contains(hardening.LegacyClusterObjectIDs(namespace), id) {
		return false
	}
	diags.AddWarning("Earlier admission policy left in place",
		fmt.Sprintf("%s (written for namespace %s by a release before 0.2) could not be deleted: %s. It still judges the namespace "+
			"as it was configured then; delete it as a cluster admin: kubectl delete %s",
			id, namespace, err, strings.ToLower(strings.Replace(id, "/", " ", 1))))
	return true
}

func guardRefusal(err error) bool { return err != nil && hardening.IsTamperRefusal(err.Error()) }

func (r *NamespaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	r.read(ctx, req.State, req.Private, &resp.State, resp.Private, &resp.Diagnostics)
}

// read is Read on the framework's values and interfaces, so the protocol server can also call it
// without the framework's conversions (protocol_read.go).
func (r *NamespaceResource) read(ctx context.Context, current tfsdk.State, private privateState, out *tfsdk.State, outPrivate privateWriter, outDiags *diag.Diagnostics) {
	resp := struct {
		State       *tfsdk.State
		Private     privateWriter
		Diagnostics *diag.Diagnostics
	}{out, outPrivate, outDiags}
	var state namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, current.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data != nil && r.data.configUnknown {
		resp.Diagnostics.AddWarning("Namespace not refreshed",
			"The provider configuration is not known until apply, so "+state.Name.ValueString()+" was not read from the cluster during this plan.")
		return
	}
	client, diags := r.data.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := state.ID.ValueString()
	if name == "" {
		name = state.Name.ValueString()
	}
	imported, diags := private.GetKey(ctx, importedKey)
	resp.Diagnostics.Append(diags...)
	isImport := len(imported) > 0
	// From the snapshot, reading every kind costs no extra request.
	kinds, clusterIDs := hardening.RefreshScope(name)
	obs, err := client.Observe(ctx, name, kinds, clusterIDs)
	if apierrors.IsNotFound(err) || (err == nil && obs.Namespace.DeletionTimestamp != nil) {
		tflog.Info(ctx, "namespace is gone or terminating; removing it from state", map[string]any{"name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read namespace "+name, err.Error())
		return
	}
	ns, live := obs.Namespace, obs.Managed
	userLabels, userAnns := hardening.UserLabels(ns.Labels), hardening.UserAnnotations(ns.Annotations)
	if isImport {
		state.adoptDefaults()
		resp.Diagnostics.Append(state.adoptLive(ctx, obs)...)
		// Only the labels and annotations an earlier apply of this provider set are the
		// configuration's; what other tools added stays theirs (and out of the plan).
		full, err := client.GetNamespace(ctx, name)
		if err != nil {
			resp.Diagnostics.AddError("Cannot read namespace "+name, err.Error())
			return
		}
		labels, anns := kube.AppliedMetadataKeys(full.ManagedFields, client.FieldManager())
		userLabels, userAnns = onlyKeys(userLabels, labels), onlyKeys(userAnns, anns)
	}
	state.ID, state.Name, state.UID = types.StringValue(ns.Name), types.StringValue(ns.Name), types.StringValue(string(ns.UID))
	state.Labels, diags = refreshMap(state.Labels, userLabels, isImport)
	resp.Diagnostics.Append(diags...)
	state.Annotations, diags = refreshMap(state.Annotations, userAnns, isImport)
	resp.Diagnostics.Append(diags...)

	identity := r.guardIdentity(ctx, client, obs, state.TamperProtection.ValueBool(), resp.Diagnostics)
	res, objs, diags := state.fromState(ctx, client, identity)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	nsLive, err := obs.NamespaceObject()
	if err != nil {
		resp.Diagnostics.AddError("Cannot read namespace "+name, err.Error())
		return
	}
	live["Namespace/"+name] = nsLive
	// Objects missing or changed outside Terraform drop out of managed_objects, and labelled objects
	// the configuration does not want join it: the plan then shows the difference, and the warning
	// says what changed.
	var present []attr.Value
	notAsApplied := map[string]string{} // object ID -> how it differs from what apply writes
	for _, o := range objs {
		body, err := hardening.Unstructured(o)
		if err != nil {
			resp.Diagnostics.AddError("Cannot render "+o.ID(), err.Error())
			return
		}
		l, ok := live[o.ID()]
		if !ok {
			notAsApplied[o.ID()] = "is missing"
			if !isImport {
				resp.Diagnostics.AddWarning("Object deleted outside Terraform",
					fmt.Sprintf("%s in namespace %s no longer exists; apply recreates it.", o.ID(), name))
			}
			continue
		}
		if where, differs := kube.Drift(body, l.Object); differs {
			notAsApplied[o.ID()] = where
			tflog.Debug(ctx, "drift detected", map[string]any{"namespace": name, "object": o.ID(), "where": where})
			if !isImport {
				resp.Diagnostics.AddWarning("Object changed outside Terraform",
					fmt.Sprintf("%s in namespace %s: %s; apply restores it.", o.ID(), name, where))
			}
			continue
		}
		present = append(present, types.StringValue(o.ID()))
	}
	foreign, others, diags := judgeForeign(res, objs, obs)
	resp.Diagnostics.Append(diags...)
	foreign.ImagePolicyNotLive = imagePolicyNotLive(res, notAsApplied, ns.Labels, ns.Annotations)
	foreign.ServicePolicyNotLive = servicePolicyNotLive(res, notAsApplied, ns.Labels, ns.Annotations)
	for _, f := range append(append([]string(nil), foreign.OpenPolicies...), foreign.EscalatingBindings...) {
		resp.Diagnostics.AddWarning("Namespace "+name+" weakened by an object Terraform does not manage",
			f+". Terraform does not remove objects it did not create; compliance reports it until it is removed.")
	}
	resp.Diagnostics.Append(setForeign(ctx, resp.Private, foreign, others)...)
	resp.Diagnostics.Append(state.setComputed(res, objs, foreign)...)
	// Pod Security labels are shown as they are live, so a changed label is a visible diff.
	state.PodSecurity, diags = livePodSecurity(ns.Labels)
	resp.Diagnostics.Append(diags...)
	for _, id := range hardening.Stale(obs.ManagedIDs(), objs) {
		resp.Diagnostics.AddWarning("Object claims to be managed by Terraform",
			fmt.Sprintf("%s in namespace %s carries %s=%s but is not part of this configuration; apply deletes it.",
				id, name, hardening.ManagedByLabel, hardening.ManagedByValue))
		present = append(present, types.StringValue(id))
	}
	state.ManagedObjects, diags = types.ListValue(types.StringType, present)
	resp.Diagnostics.Append(diags...)
	// The blast radius belongs to the plan that computed it; once applied or refreshed nothing is pending.
	state.BlastRadius = state.settledBlastRadius()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, nil)...)
	resp.Diagnostics.Append(setNamespace(ctx, &resp.State.Raw, &state)...)
}

func (r *NamespaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(getNamespace(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client, diags := r.data.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	res, objs, diags := plan.desired(ctx, r.data, client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, client, &plan, objs, false, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setNamespace(ctx, &resp.State.Raw, &plan)...)
	r.recordPlanFingerprint(ctx, client, res, req.Config, settledState(ctx, resp.State, plan), resp.Private, &resp.Diagnostics)
}

// recordPlanFingerprint lets the next plan that changes nothing skip the framework
// (protocol_plan.go, plan_fingerprint.go). On a cluster without admission policies every plan may warn about them,
// so there it records nothing.
func (r *NamespaceResource) recordPlanFingerprint(ctx context.Context, client cluster, res hardening.Resolved, config tfsdk.Config, state tfsdk.State, private interface {
	privateState
	privateWriter
}, diags *diag.Diagnostics) {
	v, err := client.ServerVersion(ctx)
	if err != nil {
		return
	}
	parsed, err := releases.ParseVersion(v)
	if err != nil || hardening.ImagePolicySupported(parsed.Major, parsed.Minor, v) != nil {
		return
	}
	// Nor where the plan warns about the cluster (no Gateway API route served, pods that must set
	// their pull policy): a fast plan would not say it.
	if (len(res.Hostnames) > 0 && !servesGatewayRoutes(ctx, client)) || len(pullRefusalWarning(res)) > 0 {
		return
	}
	stampPlanFingerprint(ctx, r.data.fingerprintVersion, config, state, private, diags)
}

func (r *NamespaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state namespaceModel
	resp.Diagnostics.Append(getNamespace(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DeletionProtection.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("deletion_protection"), "Namespace is protected from deletion",
			fmt.Sprintf("hardened_namespace %q has deletion_protection = true. Set it to false and apply before destroying.", state.Name.ValueString()))
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client, diags := r.data.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A declared runner_identity holds for destroy too: another identity would be refused by the
	// guard half way (after the legacy policies are gone).
	if r.data != nil && r.data.runner != nil && state.TamperProtection.ValueBool() {
		_, d := r.data.runnerFor(ctx, client)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	// Namespaced objects go with the namespace; deleting them one by one first would only cost
	// requests. The shared admission policies serve other namespaces and stay (they select by a
	// label that leaves with the namespace). An earlier release's per-namespace policies do not go
	// with it: those that exist are deleted first, bindings first, whatever state says. Only live
	// ones are deleted, as an identity may hold delete on no other admission policies than its own.
	name := state.Name.ValueString()
	kinds, clusterIDs := hardening.DeleteScope(name)
	legacy, err := client.LiveManagedIDs(ctx, name, kinds, clusterIDs)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the admission policies of namespace "+name, err.Error())
		return
	}
	for _, id := range hardening.PruneOrder(legacy) {
		kind, objName, _ := strings.Cut(id, "/")
		if err := client.Delete(ctx, kind, "", objName); err != nil && !legacyRefused(name, id, err, &resp.Diagnostics) {
			resp.Diagnostics.AddError("Cannot delete "+id, err.Error())
			return
		}
	}
	tflog.Debug(ctx, "deleting the namespace and waiting until it is gone", map[string]any{"namespace": state.Name.ValueString()})
	if err := client.DeleteNamespace(ctx, state.Name.ValueString()); err != nil {
		resp.Diagnostics.AddError("Cannot delete namespace "+state.Name.ValueString(), explainGuardRefusal(err, name))
	}
}

// ImportState adopts an existing namespace by name.
func (r *NamespaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if err := hardening.ValidateName(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "Import a hardened_namespace by its name: "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), req.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, []byte(`true`))...)
}

// adoptDefaults gives an imported state the schema defaults, as a configuration that leaves them
// unset would have.
func (m *namespaceModel) adoptDefaults() {
	m.AutomountServiceAccountToken = types.BoolValue(hardening.DefaultAutomountServiceAccountToken)
	m.WaitForDefaultServiceAccount = types.BoolValue(defaultWaitForDefaultServiceAccount)
	m.DeletionProtection = types.BoolValue(defaultDeletionProtection)
	m.ForceConflicts = types.BoolValue(defaultForceConflicts)
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

// checkAdmissionPoliciesSupported needs ValidatingAdmissionPolicy v1 (GA in Kubernetes 1.30) for
// image_policy and tamper_protection. Set explicitly on an older cluster, either is a plan-time
// error; tamper_protection left to its default is turned off with a warning. It costs one /version
// request per provider process, made only when the cluster is known.
func (r *NamespaceResource) checkAdmissionPoliciesSupported(ctx context.Context, s *hardening.NamespaceSpec, resp *resource.ModifyPlanResponse) {
	if r.data == nil || r.data.configUnknown {
		return
	}
	client, diags := r.data.client()
	if diags.HasError() {
		return // Create reports the configuration problem with its full explanation.
	}
	v, err := client.ServerVersion(ctx)
	if err != nil {
		tflog.Warn(ctx, "cannot read the server version to check admission policy support", map[string]any{"error": err.Error()})
		return
	}
	parsed, err := releases.ParseVersion(v)
	if err != nil {
		return
	}
	err = hardening.ImagePolicySupported(parsed.Major, parsed.Minor, v)
	if err == nil {
		return
	}
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
