package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

var (
	_ resource.Resource                = &NamespaceResource{}
	_ resource.ResourceWithConfigure   = &NamespaceResource{}
	_ resource.ResourceWithImportState = &NamespaceResource{}
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

func (r *NamespaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan namespaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	objs, diags := plan.build(ctx)
	resp.Diagnostics.Append(diags...)
	client, diags := r.data.client()
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
	ns, err := client.ApplyNamespace(ctx, objs.Namespace, false)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create namespace "+name, err.Error())
		return
	}
	plan.ID = types.StringValue(ns.Name)
	plan.UID = types.StringValue(string(ns.UID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *NamespaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state namespaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
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
	ns, err := client.GetNamespace(ctx, name)
	if apierrors.IsNotFound(err) || (err == nil && ns.DeletionTimestamp != nil) {
		tflog.Info(ctx, "namespace is gone or terminating; removing it from state", map[string]any{"name": name})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read namespace "+name, err.Error())
		return
	}
	imported, diags := req.Private.GetKey(ctx, importedKey)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(state.fromLive(ctx, ns, len(imported) > 0)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, nil)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *NamespaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan namespaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	objs, diags := plan.build(ctx)
	resp.Diagnostics.Append(diags...)
	client, diags := r.data.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ns, err := client.ApplyNamespace(ctx, objs.Namespace, false)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update namespace "+plan.Name.ValueString(), err.Error())
		return
	}
	plan.ID = types.StringValue(ns.Name)
	plan.UID = types.StringValue(string(ns.UID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *NamespaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state namespaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
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
	if err := client.DeleteNamespace(ctx, state.Name.ValueString()); err != nil {
		resp.Diagnostics.AddError("Cannot delete namespace "+state.Name.ValueString(), err.Error())
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
