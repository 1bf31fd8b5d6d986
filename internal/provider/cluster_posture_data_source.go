package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

var (
	_ datasource.DataSource              = &ClusterPostureDataSource{}
	_ datasource.DataSourceWithConfigure = &ClusterPostureDataSource{}
)

// ClusterPostureDataSource is hardened_cluster_posture: the live cluster judged against the ten
// practices. Reading is in internal/kube, judging in internal/posture; this is translation only.
type ClusterPostureDataSource struct {
	data *providerData
	now  func() time.Time // the clock for the default as_of; replaced in tests
}

// NewClusterPostureDataSource returns the data source.
func NewClusterPostureDataSource() datasource.DataSource {
	return &ClusterPostureDataSource{now: time.Now}
}

type clusterPostureModel struct {
	Namespaces      types.Object `tfsdk:"namespaces"`
	FailOn          types.String `tfsdk:"fail_on"`
	AsOf            types.String `tfsdk:"as_of"`
	Distribution    types.String `tfsdk:"distribution"`
	ExcludeSubjects types.List   `tfsdk:"exclude_subjects"`
	Excluded        types.List   `tfsdk:"excluded"`
	ID              types.String `tfsdk:"id"`
	ServerVersion   types.String `tfsdk:"server_version"`
	Passed          types.Bool   `tfsdk:"passed"`
	Summary         types.Object `tfsdk:"summary"`
	Findings        types.List   `tfsdk:"findings"`
}

type clusterPostureSubjectModel struct {
	Kind      types.String `tfsdk:"kind"`
	Name      types.String `tfsdk:"name"`
	Namespace types.String `tfsdk:"namespace"`
}

type clusterPostureExclusionModel struct {
	clusterPostureFindingModel
	Reason types.String `tfsdk:"reason"`
}

type clusterPostureNamespacesModel struct {
	Include types.List `tfsdk:"include"`
	Exclude types.List `tfsdk:"exclude"`
}

type clusterPostureFindingModel struct {
	ID          types.String `tfsdk:"id"`
	Practice    types.Int64  `tfsdk:"practice"`
	Severity    types.String `tfsdk:"severity"`
	Status      types.String `tfsdk:"status"`
	Kind        types.String `tfsdk:"kind"`
	Namespace   types.String `tfsdk:"namespace"`
	Name        types.String `tfsdk:"name"`
	Message     types.String `tfsdk:"message"`
	Remediation types.String `tfsdk:"remediation"`
	References  []string     `tfsdk:"references"`
}

// The object types of the findings and the summary, read once from the schema.
var (
	clusterPostureFindingAttrTypes  = nestedAttrTypes(clusterPostureSchema().Attributes, "findings")
	clusterPostureSummaryAttrTypes  = nestedAttrTypes(clusterPostureSchema().Attributes, "summary")
	clusterPostureExcludedAttrTypes = nestedAttrTypes(clusterPostureSchema().Attributes, "excluded")
)

func (d *ClusterPostureDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cluster_posture"
}

func (d *ClusterPostureDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

// clusterPostureChecksTable is the list of checks for the description, from the check registry.
func clusterPostureChecksTable() string {
	var b strings.Builder
	b.WriteString("| Id | Practice | Severity | Check |\n|---|---|---|---|\n")
	for _, c := range posture.Checks() {
		sev := string(c.Severity)
		if c.ID == posture.CheckAnonymousRequests {
			sev = "critical or low"
		}
		refs := ""
		if len(c.References) > 0 {
			refs = " (" + strings.Join(c.References, ", ") + ")"
		}
		fmt.Fprintf(&b, "| `%s` | %d | %s | %s%s |\n", c.ID, c.Practice, sev, c.Title, refs)
	}
	return b.String()
}

func (d *ClusterPostureDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = clusterPostureSchema()
}

func clusterPostureSchema() schema.Schema {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	patterns := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc,
			Validators: []validator.List{listvalidator.ValueStringsAre(stringCheck{"namespace pattern", posture.ValidatePattern})}}
	}
	return schema.Schema{
		MarkdownDescription: "Reads the live cluster the provider is configured for and reports findings against the ten " +
			"practices of the Kubernetes security checklist: version support, TLS, RBAC, network policies, Pod Security, " +
			"quotas, anonymous access, the Dashboard and audit logging. Each finding names the object, what is wrong and " +
			"how to fix it, with its CIS Benchmark and Kubescape control ids. A check that passes produces no finding.\n\n" +
			"A check the provider's identity is not allowed to evaluate (for example listing ClusterRoleBindings with only " +
			"the `view` role), or that cannot be evaluated on this cluster (the kube-apiserver flags of a managed control " +
			"plane), is reported with `status = \"unknown\"` and a warning instead of failing the read. Reading needs " +
			"get/list on namespaces, networkpolicies, resourcequotas, limitranges, services, serviceaccounts, pods, " +
			"deployments, statefulsets, daemonsets, replicasets, jobs, cronjobs, rolebindings and clusterrolebindings.\n\n" +
			"Set `fail_on` to stop the plan when a finding at or above a severity fails, or use `passed`, `summary` and " +
			"`findings` in `check` blocks and preconditions.\n\n" + clusterPostureChecksTable(),
		Attributes: map[string]schema.Attribute{
			"namespaces": schema.SingleNestedAttribute{Optional: true,
				MarkdownDescription: "Which namespaces the per-namespace checks (`HRD-5001`, `HRD-5002`, `HRD-5004`, " +
					"`HRD-5005`, `HRD-6001`, `HRD-6002`, `HRD-7001` to `HRD-7003`) look at. Default: every namespace. `kube-system`, `kube-public` " +
					"and `kube-node-lease` are always excluded. The cluster-wide checks are not affected.",
				Attributes: map[string]schema.Attribute{
					"include": patterns("Only namespaces matching one of these names or glob patterns (`team-*`, " +
						"`env-?`, `[a-c]*`). Empty or unset: every namespace."),
					"exclude": patterns("Namespaces matching one of these names or glob patterns are skipped, even if " +
						"included."),
				}},
			"fail_on": schema.StringAttribute{Optional: true,
				MarkdownDescription: "A severity: `low`, `medium`, `high` or `critical`. When set, reading fails with one " +
					"error listing every failed finding at or above it, which stops the plan. Findings with " +
					"`status = \"unknown\"` never trip it. Unset: findings are only reported.",
				Validators: []validator.String{stringvalidator.OneOf(clusterPostureSeverityNames()...)}},
			"as_of": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "The date the version checks (`HRD-1001` to `HRD-1003`) are evaluated on, " +
					"`YYYY-MM-DD` (an RFC 3339 timestamp is reduced to its UTC date). Defaults to today's date in UTC.",
				Validators: []validator.String{stringCheck{"as_of date", checkAsOfDate}}},
			"id": str("The API server address the findings are about."),
			"server_version": str("The API server's version as it reports it (`GET /version`), for example `v1.37.2`; " +
				"null when it could not be read."),
			"passed": schema.BoolAttribute{Computed: true,
				MarkdownDescription: "`true` when no finding has `status = \"failed\"` (unknown findings do not count)."},
			"summary": schema.SingleNestedAttribute{Computed: true,
				MarkdownDescription: "How many findings failed at each severity, and how many are unknown.",
				Attributes: map[string]schema.Attribute{
					"critical": count("Failed findings of severity critical."),
					"high":     count("Failed findings of severity high."),
					"medium":   count("Failed findings of severity medium."),
					"low":      count("Failed findings of severity low."),
					"unknown":  count("Findings with status unknown."),
				}},
			"distribution": schema.StringAttribute{Optional: true, Computed: true,
				MarkdownDescription: "Whose support calendar judges the version checks and whose managed bindings and " +
					"namespaces are recognised: `kubernetes`, `eks`, `gke` or `aks`. When unset it is detected from the " +
					"API server's version suffix (`-eks-`, `-gke.`) and host (`*.eks.amazonaws.com`, `*.azmk8s.io`, " +
					"`*.gke.goog`), else `kubernetes`. After the read it holds the distribution used. What each " +
					"distribution manages is listed in the documentation with its source.",
				Validators: []validator.String{stringvalidator.OneOf(releases.Distributions...)}},
			"exclude_subjects": schema.ListNestedAttribute{Optional: true,
				MarkdownDescription: "RBAC subjects whose grants are accepted (a break-glass group, a GitOps controller): " +
					"the RBAC checks (`HRD-4001` to `HRD-4003`) do not report a binding for them. Each finding an " +
					"exclusion hides is listed in `excluded`, so an exclusion never hides silently; a binding's other " +
					"subjects are still reported.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"kind": schema.StringAttribute{Required: true, MarkdownDescription: "`User`, `Group` or `ServiceAccount`.",
						Validators: []validator.String{stringvalidator.OneOf("User", "Group", "ServiceAccount")}},
					"name": schema.StringAttribute{Required: true, MarkdownDescription: "The subject's name exactly as " +
						"bindings name it.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"namespace": schema.StringAttribute{Optional: true, MarkdownDescription: "The ServiceAccount's " +
						"namespace; required for `ServiceAccount`, not allowed for users and groups."},
				}}},
			"excluded": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The findings that were not reported, and why: `reason` is `managed by <vendor> " +
					"(<source>)` for an object the cluster's distribution manages, or `exclude_subjects`. Same order " +
					"and attributes as `findings`. Excluded findings do not count in `passed`, `summary` or `fail_on`.",
				NestedObject: schema.NestedAttributeObject{Attributes: findingAttributes(map[string]schema.Attribute{
					"reason": str("Why the finding is not reported."),
				})}},
			"findings": schema.ListNestedAttribute{Computed: true,
				MarkdownDescription: "The findings, highest severity first, then by check id, namespace and name.",
				NestedObject:        schema.NestedAttributeObject{Attributes: findingAttributes(nil)},
			},
		},
	}
}

// findingAttributes are the attributes of one finding, plus extra ones.
func findingAttributes(extra map[string]schema.Attribute) map[string]schema.Attribute {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	count := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	}
	attrs := map[string]schema.Attribute{
		"id":       str("The check's stable id, `HRD-<practice><nnn>`: `HRD-5001` is the first check of practice 5 (the checks are listed in the data source's documentation)."),
		"practice": count("The checklist practice, 1 to 10."),
		"severity": str("`low`, `medium`, `high` or `critical`."),
		"status": str("`failed`: the cluster does not satisfy the check. `unknown`: the check could not be " +
			"evaluated; `message` says why."),
		"kind": str("Kind of the object (`Namespace`, `ClusterRoleBinding`, `Service`, ...); `Cluster` for " +
			"cluster-wide findings and unknown ones, `Provider` for the provider's own connection."),
		"namespace": str("Namespace of the object; for a `Namespace` finding, the namespace itself; empty for " +
			"cluster-scoped objects."),
		"name":        str("Name of the object; empty for cluster-wide findings."),
		"message":     str("What is wrong, about this object."),
		"remediation": str("How to fix it."),
		"references": schema.ListAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "CIS Kubernetes Benchmark and Kubescape control ids for the same problem."},
	}
	for k, v := range extra {
		attrs[k] = v
	}
	return attrs
}

func clusterPostureSeverityNames() []string {
	out := make([]string, 0, len(posture.Severities))
	for _, s := range posture.Severities {
		out = append(out, string(s))
	}
	return out
}

func (d *ClusterPostureDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m clusterPostureModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts, diags := m.options(ctx)
	resp.Diagnostics.Append(diags...)
	if m.AsOf.IsNull() || m.AsOf.IsUnknown() {
		now := time.Now
		if d.now != nil {
			now = d.now
		}
		y, mo, dd := now().UTC().Date()
		opts.AsOf = time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC)
		m.AsOf = types.StringValue(opts.AsOf.Format(asOfLayout))
	} else {
		var err error
		if opts.AsOf, err = parseAsOfDate(m.AsOf.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("as_of"), "Invalid as_of date", err.Error())
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, diags := d.data.client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	snap, err := client.ReadPosture(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the cluster's security posture", err.Error())
		return
	}
	opts.Distribution = m.Distribution.ValueString()
	if m.Distribution.IsNull() || m.Distribution.IsUnknown() {
		v, _ := releases.ParseVersion(snap.ServerVersion) // an unreadable version detects nothing from it
		opts.Distribution, _ = releases.DetectDistribution(v, client.Host())
	}
	m.Distribution = types.StringValue(opts.Distribution)
	findings, excluded := posture.EvaluateWithExclusions(snap, opts)
	tflog.Debug(ctx, "evaluated cluster posture", map[string]any{"host": client.Host(), "findings": len(findings),
		"excluded": len(excluded), "distribution": opts.Distribution, "unknown_parts": len(snap.Unknown)})

	resp.Diagnostics.Append(unknownPartsWarning(snap.Unknown)...)
	m.ID = types.StringValue(client.Host())
	resp.Diagnostics.Append(m.setResults(ctx, snap, findings, excluded)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !m.FailOn.IsNull() && !m.FailOn.IsUnknown() {
		threshold, err := posture.ParseSeverity(m.FailOn.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("fail_on"), "Invalid fail_on", err.Error())
			return
		}
		if gate := posture.AtOrAbove(findings, threshold); len(gate) > 0 {
			resp.Diagnostics.AddError(clusterPostureGateSummary(gate, threshold), clusterPostureGateDetail(gate, threshold))
			return
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func findingRow(f posture.Finding) clusterPostureFindingModel {
	refs := slices.Clone(f.References)
	if refs == nil {
		refs = []string{}
	}
	return clusterPostureFindingModel{
		ID: types.StringValue(f.ID), Practice: types.Int64Value(int64(f.Practice)),
		Severity: types.StringValue(string(f.Severity)), Status: types.StringValue(string(f.Status)),
		Kind: types.StringValue(f.Kind), Namespace: types.StringValue(f.Namespace), Name: types.StringValue(f.Name),
		Message: types.StringValue(f.Message), Remediation: types.StringValue(f.Remediation), References: refs,
	}
}

// options turns the namespaces and exclude_subjects arguments into posture options.
func (m clusterPostureModel) options(ctx context.Context) (posture.Options, diag.Diagnostics) {
	var opts posture.Options
	var diags diag.Diagnostics
	if !m.ExcludeSubjects.IsNull() && !m.ExcludeSubjects.IsUnknown() {
		var subjects []clusterPostureSubjectModel
		diags.Append(m.ExcludeSubjects.ElementsAs(ctx, &subjects, false)...)
		for i, x := range subjects {
			sub := posture.Subject{Kind: x.Kind.ValueString(), Name: x.Name.ValueString(), Namespace: x.Namespace.ValueString()}
			if err := posture.ValidateSubject(sub); err != nil {
				diags.AddAttributeError(path.Root("exclude_subjects").AtListIndex(i), "Invalid subject to exclude", err.Error())
				continue
			}
			opts.ExcludeSubjects = append(opts.ExcludeSubjects, sub)
		}
	}
	if m.Namespaces.IsNull() || m.Namespaces.IsUnknown() {
		return opts, diags
	}
	var nm clusterPostureNamespacesModel
	diags.Append(m.Namespaces.As(ctx, &nm, basetypes.ObjectAsOptions{})...)
	if !nm.Include.IsNull() && !nm.Include.IsUnknown() {
		diags.Append(nm.Include.ElementsAs(ctx, &opts.Include, false)...)
	}
	if !nm.Exclude.IsNull() && !nm.Exclude.IsUnknown() {
		diags.Append(nm.Exclude.ElementsAs(ctx, &opts.Exclude, false)...)
	}
	return opts, diags
}

func clusterPostureGateSummary(gate []posture.Finding, threshold posture.Severity) string {
	counts := map[posture.Severity]int{}
	for _, f := range gate {
		counts[f.Severity]++
	}
	var parts []string
	for _, s := range slices.Backward(posture.Severities) {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("Cluster posture: %s finding(s) at or above fail_on = %q", strings.Join(parts, ", "), threshold)
}

func clusterPostureGateDetail(gate []posture.Finding, threshold posture.Severity) string {
	var b strings.Builder
	for _, f := range gate {
		fmt.Fprintf(&b, "- %s\n  Fix: %s\n", f.Describe(), f.Remediation)
	}
	fmt.Fprintf(&b, "\nfail_on = %q stops the run when a check of severity %s or higher fails. Fix the findings above, "+
		"or set fail_on to a higher severity.", threshold, threshold)
	return b.String()
}

// unknownPartsWarning says which reads failed, so which checks are reported unknown.
func unknownPartsWarning(unknown map[posture.Part]string) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(unknown) == 0 {
		return diags
	}
	var lines []string
	for part, reason := range unknown {
		lines = append(lines, fmt.Sprintf("  - %s: %s", part, reason))
	}
	sort.Strings(lines)
	diags.AddWarning("Some posture checks could not be evaluated",
		"These reads failed, so the checks that need them are reported with status = \"unknown\":\n"+
			strings.Join(lines, "\n")+"\n\nGrant the provider's identity get/list on those resources (see the "+
			"hardened_cluster_posture documentation) to evaluate them.")
	return diags
}

// setResults fills the computed attributes from an evaluation.
func (m *clusterPostureModel) setResults(ctx context.Context, snap posture.Snapshot, findings []posture.Finding, excluded []posture.Exclusion) diag.Diagnostics {
	var diags, d diag.Diagnostics
	m.ServerVersion = types.StringNull()
	if _, unknown := snap.Unknown[posture.PartServerVersion]; !unknown && snap.ServerVersion != "" {
		m.ServerVersion = types.StringValue(snap.ServerVersion)
	}
	m.Passed = types.BoolValue(posture.Passed(findings))
	sum := posture.Summarize(findings)
	m.Summary, d = types.ObjectValue(clusterPostureSummaryAttrTypes, map[string]attr.Value{
		"critical": types.Int64Value(int64(sum.Critical)), "high": types.Int64Value(int64(sum.High)),
		"medium": types.Int64Value(int64(sum.Medium)), "low": types.Int64Value(int64(sum.Low)),
		"unknown": types.Int64Value(int64(sum.Unknown)),
	})
	diags.Append(d...)
	rows := make([]clusterPostureFindingModel, 0, len(findings))
	for _, f := range findings {
		rows = append(rows, findingRow(f))
	}
	m.Findings, d = types.ListValueFrom(ctx, types.ObjectType{AttrTypes: clusterPostureFindingAttrTypes}, rows)
	diags.Append(d...)
	xrows := make([]clusterPostureExclusionModel, 0, len(excluded))
	for _, x := range excluded {
		xrows = append(xrows, clusterPostureExclusionModel{clusterPostureFindingModel: findingRow(x.Finding),
			Reason: types.StringValue(x.Reason)})
	}
	m.Excluded, d = types.ListValueFrom(ctx, types.ObjectType{AttrTypes: clusterPostureExcludedAttrTypes}, xrows)
	diags.Append(d...)
	return diags
}
