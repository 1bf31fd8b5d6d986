package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/audit"
)

var (
	_ datasource.DataSource                   = &AuditPolicyDataSource{}
	_ datasource.DataSourceWithValidateConfig = &AuditPolicyDataSource{}
)

// AuditPolicyDataSource is hardened_audit_policy: an audit.k8s.io/v1 Policy for kube-apiserver
// (practice 10, audit logging), rendered by internal/audit. It never needs a cluster.
type AuditPolicyDataSource struct{}

// NewAuditPolicyDataSource returns the data source.
func NewAuditPolicyDataSource() datasource.DataSource { return &AuditPolicyDataSource{} }

func (d *AuditPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_policy"
}

// The rule table of each profile is in the page body (templates/data-sources/audit_policy.md.tmpl),
// not in the description; internal/audit's TestProfileRuleTables and TestProfileLevels hold the code
// to it.
func (d *AuditPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	strList := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Renders a Kubernetes audit policy (`audit.k8s.io/v1` `Policy`) for kube-apiserver's " +
			"`--audit-policy-file`, for control planes you run yourself (kubeadm, k3s, Talos, kops, bare metal). Needs no " +
			"cluster: managed services (EKS, GKE, AKS) configure auditing their own way. Every profile keeps the bodies " +
			"of Secrets, ConfigMaps and tokens out of the log and records changes to RBAC and admission policies in full.",
		Attributes: map[string]schema.Attribute{
			"profile": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "How much is logged: `minimal` (changes only, without bodies), `standard` (the " +
					"default: every request, without bodies) or `verbose` (changes with their request bodies, reads and " +
					"watches without). The rules of each profile are listed in the data source's documentation.",
			},
			"extra_rules": schema.ListNestedAttribute{
				Optional: true,
				MarkdownDescription: "Your own rules, placed after the two safety rules (credentials at Metadata; RBAC and " +
					"admission changes at RequestResponse) and before the noise filters and the profile's catch-all. A rule " +
					"matches a request when every selector that is set matches; an unset selector matches everything. A rule " +
					"at level `Request` or `RequestResponse` may not name `secrets`, `configmaps`, `serviceaccounts/token` or " +
					"`tokenreviews`: their bodies carry credentials, and the first rule keeps them at Metadata anyway.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"level": schema.StringAttribute{
						Required: true,
						MarkdownDescription: "`None` (not logged), `Metadata` (who, what, when, the response code; no bodies), " +
							"`Request` (and the request body) or `RequestResponse` (and the response body).",
					},
					"users": strList("User names the rule applies to, as the API server authenticates them " +
						"(`alice@example.com`, `system:serviceaccount:ci:deployer`)."),
					"user_groups": strList("Groups the rule applies to (`system:serviceaccounts:ci`, `platform-admins`); " +
						"a request matches when its user is in any of them."),
					"verbs": strList("Request verbs: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, " +
						"`deletecollection`, `proxy` for API resources; `get`, `head`, `options`, `post`, `put`, `patch`, " +
						"`delete` for other paths (`non_resource_urls`). RBAC-only verbs such as `bind` or `escalate` never " +
						"occur in requests."),
					"namespaces": strList("Namespaces the rule applies to. Only requests for API resources can match a " +
						"rule with namespaces."),
					"resources": schema.ListNestedAttribute{
						Optional:            true,
						MarkdownDescription: "API resources the rule applies to, per API group.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"group": schema.StringAttribute{
								Optional: true,
								MarkdownDescription: "API group without a version: `apps`, `rbac.authorization.k8s.io`; unset or " +
									"`\"\"` for the core group (pods, secrets), `*` for every group.",
							},
							"resources": strList("Resources of the group, lower-case plural as in the API path: `deployments`, " +
								"a subresource `pods/exec`, `*/status`, `pods/*`, or `*`. Unset: every resource of the group."),
						}},
					},
					"non_resource_urls": strList("Paths that are not API resources: `/healthz`, `/apis*` (a trailing `*` " +
						"matches any suffix), `*` for all. Cannot be combined with `resources` or `namespaces` in one rule."),
				}},
			},
			"omit_stages": schema.ListAttribute{
				Optional: true, Computed: true, ElementType: types.StringType,
				MarkdownDescription: "Stages for which no event is written, for every rule: `RequestReceived`, " +
					"`ResponseStarted`, `ResponseComplete`, `Panic`. Default `[\"RequestReceived\"]` (the same request is " +
					"logged again at ResponseComplete); `[]` omits none.",
			},
			"yaml": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "The policy document, with a comment above each rule. Write it to the file " +
					"kube-apiserver reads with `--audit-policy-file`.",
			},
			"rules_count": schema.Int64Attribute{Computed: true, MarkdownDescription: "The number of rules in the policy, extra rules included."},
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "SHA-256 of `yaml` (hex): it changes exactly when the policy does, for triggering an API server restart.",
			},
		},
	}
}

func (d *AuditPolicyDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m auditPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, unknown, diags := m.params(ctx)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	// The detail starts with the attribute path: terraform shows only the data block's line for an
	// error inside extra_rules.
	for _, fe := range audit.Validate(p) {
		if !unknown.under(fe.Path) { // judged when the value is known
			resp.Diagnostics.AddAttributeError(fieldErrorPath(fe.Path), "Invalid hardened_audit_policy configuration", fe.Error())
		}
	}
}

func (d *AuditPolicyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m auditPolicyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, _, diags := m.params(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, fe := range audit.Validate(p) {
		resp.Diagnostics.AddAttributeError(fieldErrorPath(fe.Path), "Invalid hardened_audit_policy configuration", fe.Error())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	for _, w := range audit.Warnings(p) {
		resp.Diagnostics.AddAttributeWarning(fieldErrorPath(w.Path), "Audit policy setting does not do what it seems", w.Error())
	}
	doc, pol, err := audit.Render(p)
	if err != nil {
		resp.Diagnostics.AddError("Cannot render the audit policy", err.Error())
		return
	}
	stages := make([]string, len(pol.OmitStages))
	for i, s := range pol.OmitStages {
		stages[i] = string(s)
	}
	m.Profile = types.StringValue(p.Profile)
	m.OmitStages, diags = types.ListValueFrom(ctx, types.StringType, stages)
	resp.Diagnostics.Append(diags...)
	sum := sha256.Sum256([]byte(doc))
	m.ID = types.StringValue(hex.EncodeToString(sum[:]))
	m.YAML = types.StringValue(doc)
	m.RulesCount = types.Int64Value(int64(len(pol.Rules)))
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
