package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
	AutomountServiceAccountToken types.Bool   `tfsdk:"automount_service_account_token"`
	ID                           types.String `tfsdk:"id"`
	YAML                         types.String `tfsdk:"yaml"`
	Manifests                    types.List   `tfsdk:"manifests"`
	Objects                      types.List   `tfsdk:"objects"`
}

func (m namespaceManifestsModel) asResource() namespaceModel {
	return namespaceModel{Name: m.Name, Labels: m.Labels, Annotations: m.Annotations, Environment: m.Environment,
		PodSecurity: m.PodSecurity, ResourceQuota: m.ResourceQuota, LimitRange: m.LimitRange,
		NetworkPolicy: m.NetworkPolicy, Access: m.Access, ImagePolicy: m.ImagePolicy,
		AutomountServiceAccountToken: m.AutomountServiceAccountToken,
		// The tamper guard exempts the identity that applies it, which only a live apply knows; a
		// GitOps agent applying these manifests would lock itself out. They are rendered without it.
		TamperProtection: types.BoolValue(false)}
}

func (d *NamespaceManifestsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_namespace_manifests"
}

func (d *NamespaceManifestsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, MarkdownDescription: desc}
	}
	strMap := func(desc string) schema.MapAttribute {
		return schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	strList := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	boolean := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Renders the exact objects `hardened_namespace` would apply for the same arguments, as YAML, " +
			"from the same code. Needs no cluster: for GitOps repositories and reviews.",
		Attributes: map[string]schema.Attribute{
			"name":        schema.StringAttribute{Required: true, MarkdownDescription: "Name of the namespace."},
			"labels":      strMap("Labels for the namespace, as on `hardened_namespace`."),
			"annotations": strMap("Annotations for the namespace."),
			"environment": str("Preset: `dev`, `test`, `staging` or `prod` (default)."),
			"pod_security": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: "Pod Security levels, as on `hardened_namespace`.",
				Attributes: map[string]schema.Attribute{"enforce": str("Enforce level."), "audit": str("Audit level."),
					"warn": str("Warn level."), "version": str("Policy version.")}},
			"resource_quota": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: "ResourceQuota overrides.",
				Attributes: map[string]schema.Attribute{"hard": strMap("Quota keys merged over the preset's.")}},
			"limit_range": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: "LimitRange overrides.",
				Attributes: map[string]schema.Attribute{"default_request": strMap("Default requests."), "default": strMap("Default limits."),
					"max": strMap("Maximum limits."), "min": strMap("Minimum requests.")}},
			"network_policy": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: "NetworkPolicy settings, as on `hardened_namespace`.",
				Attributes: map[string]schema.Attribute{
					"deny_ingress": boolean("Deny ingress."), "deny_egress": boolean("Deny egress."), "allow_dns": boolean("Allow DNS."),
					"allow_same_namespace": boolean("Allow the same namespace."), "allow_ingress_from_namespaces": strList("Namespaces allowed in."),
					"allow_ingress_ports": strList("Ingress ports."), "allow_egress_to_namespaces": strList("Namespaces allowed out to."),
					"allow_egress_to_cidrs": strList("CIDRs allowed out to."), "allow_egress_ports": strList("Egress ports."),
				}},
			"access": schema.ListNestedAttribute{Optional: true, MarkdownDescription: "RoleBindings, as on `hardened_namespace`.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"role":  schema.StringAttribute{Required: true, MarkdownDescription: "ClusterRole name."},
					"users": strList("Users."), "groups": strList("Groups."), "service_accounts": strList("`namespace/name`."),
					"allow_cluster_admin": boolean("Allow cluster-admin."),
				}}},
			"image_policy": schema.SingleNestedAttribute{Optional: true, MarkdownDescription: "Image policy, as on `hardened_namespace`.",
				Attributes: map[string]schema.Attribute{
					"allowed_registries": strList("Allowed registries."), "forbid_latest_tag": boolean("Refuse untagged and :latest images (default `true`)."),
					"require_digest": boolean("Require digests (default `false`)."), "action": str("`Deny` (default), `Warn` or `Audit`."),
				}},
			"automount_service_account_token": boolean("Value for the default ServiceAccount (default `false`)."),
			"id":                              schema.StringAttribute{Computed: true, MarkdownDescription: "The namespace name."},
			"yaml":                            schema.StringAttribute{Computed: true, MarkdownDescription: "All objects as one multi-document YAML stream, namespace first."},
			"manifests": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "One YAML document per object, in the order of `objects`."},
			"objects": schema.ListAttribute{Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The objects as `Kind/name`, the same list `hardened_namespace` reports in `managed_objects`."},
		},
	}
}

func (d *NamespaceManifestsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m namespaceManifestsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, unknown, diags := m.asResource().spec(ctx)
	resp.Diagnostics.Append(diags...)
	if unknown {
		return
	}
	for _, fe := range hardening.Validate(s) {
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
