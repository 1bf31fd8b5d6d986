package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

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
