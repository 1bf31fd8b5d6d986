package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
)

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
	if support := admissionPolicySupport(ctx, client); !support.known || support.unsupported != nil {
		return
	}
	// Nor where the plan warns about the cluster (no Gateway API route served, pods that must set
	// their pull policy): a fast plan would not say it.
	if (len(res.Hostnames) > 0 && !servesGatewayRoutes(ctx, client)) || len(pullRefusalWarning(res)) > 0 {
		return
	}
	stampPlanFingerprint(ctx, r.data.fingerprintVersion, config, state, private, diags)
}
