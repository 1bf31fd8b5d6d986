package provider

import (
	"context"
	"fmt"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

var _ datasource.DataSourceWithValidateConfig = &NamespaceManifestsDataSource{}

// NamespaceManifestsDataSource is hardened_namespace_manifests: the objects hardened_namespace
// would apply, rendered by the same pure code, for GitOps users who never let Terraform touch a
// cluster. It never needs one.
type NamespaceManifestsDataSource struct{}

// NewNamespaceManifestsDataSource returns the data source.
func NewNamespaceManifestsDataSource() datasource.DataSource { return &NamespaceManifestsDataSource{} }

type namespaceManifestsModel struct {
	Name                         types.String `tfsdk:"name"`
	Labels                       types.Map    `tfsdk:"labels"`
	Annotations                  types.Map    `tfsdk:"annotations"`
	Environment                  types.String `tfsdk:"environment"`
	PodSecurity                  types.Object `tfsdk:"pod_security"`
	ResourceQuota                types.Object `tfsdk:"resource_quota"`
	LimitRange                   types.Object `tfsdk:"limit_range"`
	NetworkPolicy                types.Object `tfsdk:"network_policy"`
	Access                       types.List   `tfsdk:"access"`
	ImagePolicy                  types.Object `tfsdk:"image_policy"`
	ServicePolicy                types.Object `tfsdk:"service_policy"`
	AllowedStorageClasses        types.List   `tfsdk:"allowed_storage_classes"`
	AllowedPriorityClasses       types.List   `tfsdk:"allowed_priority_classes"`
	MaxPreemptingPriority        types.Int64  `tfsdk:"max_preempting_priority"`
	AllowedHostnames             types.List   `tfsdk:"allowed_hostnames"`
	AutomountServiceAccountToken types.Bool   `tfsdk:"automount_service_account_token"`
	ID                           types.String `tfsdk:"id"`
	YAML                         types.String `tfsdk:"yaml"`
	Manifests                    types.List   `tfsdk:"manifests"`
	Objects                      types.List   `tfsdk:"objects"`
}

func (m namespaceManifestsModel) asResource() namespaceModel {
	return namespaceModel{Name: m.Name, Labels: m.Labels, Annotations: m.Annotations, Environment: m.Environment,
		PodSecurity: m.PodSecurity, ResourceQuota: m.ResourceQuota, LimitRange: m.LimitRange,
		NetworkPolicy: m.NetworkPolicy, Access: m.Access, ImagePolicy: m.ImagePolicy, ServicePolicy: m.ServicePolicy,
		AllowedStorageClasses: m.AllowedStorageClasses, AllowedPriorityClasses: m.AllowedPriorityClasses,
		MaxPreemptingPriority: m.MaxPreemptingPriority, AllowedHostnames: m.AllowedHostnames,
		AutomountServiceAccountToken: m.AutomountServiceAccountToken,
		// The tamper guard exempts the identity that applies it, which only a live apply knows; a
		// GitOps agent applying these manifests would lock itself out. They are rendered without it.
		TamperProtection: types.BoolValue(false)}
}

func (d *NamespaceManifestsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_namespace_manifests"
}

func (d *NamespaceManifestsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := dataSourceAttributes(namespaceInputAttributes())
	maps.Copy(attributes, map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The namespace name."},
		"yaml": schema.StringAttribute{Computed: true, MarkdownDescription: "All objects as one multi-document YAML stream, namespace first."},
		"manifests": schema.ListAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "One YAML document per object, in the order of `objects`."},
		"objects": schema.ListAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "The objects as `Kind/name`, the same list `hardened_namespace` reports in `managed_objects`."},
	})
	resp.Schema = schema.Schema{
		MarkdownDescription: "Renders the exact objects `hardened_namespace` would apply for the same arguments, as YAML, " +
			"from the same code. Needs no cluster: for GitOps repositories and reviews. The arguments are " +
			"`hardened_namespace`'s, with the same meaning, except that no tamper guard is rendered and, knowing no " +
			"cluster, `image_policy.always_pull_images` is rendered as refusal (pods and templates must set " +
			"`imagePullPolicy: Always`), which works on every cluster, rather than as the MutatingAdmissionPolicy " +
			"`hardened_namespace` writes where the cluster serves it.",
		Attributes: attributes,
	}
}

// dataSourceAttributes converts hardened_namespace's input attributes (namespaceInputAttributes)
// into the data source's: the same names, types, nesting and descriptions. What is required stays
// required and everything else is optional; defaults, plan modifiers and validators stay with the
// resource (ValidateConfig checks the values with the same hardening.Validate).
func dataSourceAttributes(in map[string]rschema.Attribute) map[string]schema.Attribute {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		out[name] = dataSourceAttribute(name, a)
	}
	return out
}

func dataSourceAttribute(name string, a rschema.Attribute) schema.Attribute {
	req, desc := a.IsRequired(), a.GetMarkdownDescription()
	switch a := a.(type) {
	case rschema.StringAttribute:
		return schema.StringAttribute{Required: req, Optional: !req, MarkdownDescription: desc}
	case rschema.BoolAttribute:
		return schema.BoolAttribute{Required: req, Optional: !req, MarkdownDescription: desc}
	case rschema.Int64Attribute:
		return schema.Int64Attribute{Required: req, Optional: !req, MarkdownDescription: desc}
	case rschema.MapAttribute:
		return schema.MapAttribute{Required: req, Optional: !req, ElementType: a.ElementType, MarkdownDescription: desc}
	case rschema.ListAttribute:
		return schema.ListAttribute{Required: req, Optional: !req, ElementType: a.ElementType, MarkdownDescription: desc}
	case rschema.SingleNestedAttribute:
		return schema.SingleNestedAttribute{Required: req, Optional: !req, MarkdownDescription: desc,
			Attributes: dataSourceAttributes(a.Attributes)}
	case rschema.ListNestedAttribute:
		return schema.ListNestedAttribute{Required: req, Optional: !req, MarkdownDescription: desc,
			NestedObject: schema.NestedAttributeObject{Attributes: dataSourceAttributes(a.NestedObject.Attributes)}}
	}
	// A new kind of input attribute on the resource needs a case above; the schema tests call this.
	panic(fmt.Sprintf("hardened_namespace_manifests: no data source form for %s (%T)", name, a))
}

func (d *NamespaceManifestsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m namespaceManifestsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	errs, diags := m.asResource().configErrors(ctx)
	resp.Diagnostics.Append(diags...)
	for _, fe := range errs {
		resp.Diagnostics.AddAttributeError(fieldErrorPath(fe.Path), "Invalid hardened_namespace_manifests configuration", fe.Msg)
	}
}

func (d *NamespaceManifestsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m namespaceManifestsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, _, diags := m.asResource().spec(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	_, objs, err := hardening.Desired(s)
	if err != nil {
		resp.Diagnostics.AddError("Invalid hardened_namespace_manifests configuration", err.Error())
		return
	}
	docs, err := hardening.YAML(objs)
	if err != nil {
		resp.Diagnostics.AddError("Cannot render manifests", err.Error())
		return
	}
	m.ID = m.Name
	m.YAML = types.StringValue(hardening.MultiDocYAML(docs))
	m.Manifests, diags = types.ListValueFrom(ctx, types.StringType, docs)
	resp.Diagnostics.Append(diags...)
	m.Objects, diags = types.ListValueFrom(ctx, types.StringType, hardening.ManagedIDs(objs))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
