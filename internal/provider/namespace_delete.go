package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

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
