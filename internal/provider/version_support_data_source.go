package provider

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

var (
	_ datasource.DataSource              = &VersionSupportDataSource{}
	_ datasource.DataSourceWithConfigure = &VersionSupportDataSource{}
)

// VersionSupportDataSource is hardened_version_support.
type VersionSupportDataSource struct {
	data *providerData
	now  func() time.Time // the clock for the default as_of; replaced in tests
}

// NewVersionSupportDataSource returns the data source.
func NewVersionSupportDataSource() datasource.DataSource {
	return &VersionSupportDataSource{now: time.Now}
}

// versionSupportDataSourceModel is the data source's configuration and state.
type versionSupportDataSourceModel struct {
	AsOf                types.String `tfsdk:"as_of"`
	WarnDays            types.Int64  `tfsdk:"warn_days"`
	FailWhenUnsupported types.Bool   `tfsdk:"fail_when_unsupported"`
	versionSupportResult
}

func (d *VersionSupportDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_version_support"
}

func (d *VersionSupportDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData)
	resp.Diagnostics.Append(diags...)
	d.data = data
}

func (d *VersionSupportDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"version": schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "The Kubernetes version to check, as clusters report it or as written in configuration: " +
				"`v1.37.2`, `1.37`, `v1.31.2-eks-7f9249a`, `v1.30.4-gke.1348000`, `v1.29.8+k3s1`, `v1.33.0-rc.1`. " +
				"When unset, the version of the cluster the provider is configured for is read from its API server " +
				"(`GET /version`). After the read it holds the normalised version: no leading `v`, no distribution " +
				"suffix (`1.31.2`).",
			Validators: []validator.String{stringCheck{"Kubernetes version", checkKubernetesVersion}},
		},
		"distribution": schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Whose support calendar to judge the version by: `kubernetes` (upstream), `eks` " +
				"(Amazon EKS), `gke` (Google Kubernetes Engine) or `aks` (Azure Kubernetes Service). When unset it is " +
				"detected: from the version's suffix (`-eks-`, `-gke.`), and, when the version is read from the cluster, " +
				"from the API server's host (`*.eks.amazonaws.com`, `*.azmk8s.io`, `*.gke.goog`); otherwise `kubernetes`. " +
				"AKS reports plain versions, so set `aks` when checking an AKS version by hand. After the read it holds the " +
				"distribution used.",
			Validators: []validator.String{stringvalidator.OneOf(releases.Distributions...)},
		},
		"as_of": schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "The date to evaluate support on, `YYYY-MM-DD` (an RFC 3339 timestamp is also accepted " +
				"and reduced to its UTC date). Defaults to today's date in UTC, which makes the result change over time: " +
				"set it to pin a verdict, for example in tests.",
			Validators: []validator.String{stringCheck{"as_of date", checkAsOfDate}},
		},
		"warn_days": schema.Int64Attribute{
			Optional: true, Computed: true,
			MarkdownDescription: fmt.Sprintf("Warn when the minor reaches end of life within this many days (default "+
				"`%d`). `0` disables that warning; warnings about stale release data, versions outside the data and "+
				"pre-releases are always given.", versionSupportWarnDays),
			Validators: []validator.Int64{int64validator.AtLeast(0)},
		},
		"fail_when_unsupported": schema.BoolAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "When `true`, reading the data source fails with an error, stopping the plan, if the " +
				"version is not supported (`status` is `end_of_life` or `unreleased`); the error says what to upgrade " +
				"to. `extended_support` is supported and only warns: gate on `status` to refuse it too. Default " +
				"`false`: the verdict is only reported, for use in `check` blocks and preconditions.",
		},
	}
	for name, desc := range versionSupportResultDescriptions {
		if _, ok := attrs[name]; ok {
			continue
		}
		attrs[name] = computedResultAttribute(name, desc)
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Whether a Kubernetes version is still supported, judged at plan time against support " +
			"calendars embedded in the provider: upstream Kubernetes (release, maintenance and end of life dates of " +
			"each minor, its latest patch) and the managed distributions EKS, GKE and AKS (standard and extended " +
			"support), with the minors to upgrade through. Without `version` it checks the cluster the provider is " +
			"configured for, and detects its distribution.\n\n`status` is one of:" + versionSupportStatusList + "\n" +
			"Warnings are reported when end of life is within `warn_days`, when the release data is more than " +
			fmt.Sprint(releases.StaleAfterDays) + " days older than `as_of` (upgrade the provider for newer data), for " +
			"versions outside the data and for pre-releases. Set `fail_when_unsupported` to stop the plan on an " +
			"unsupported version, or use the results in `check` blocks and preconditions. The same verdict is " +
			"available without a cluster as the `provider::hardened::version_support` function.",
		Attributes: attrs,
	}
}

// computedResultAttribute is the schema of one result attribute.
func computedResultAttribute(name, desc string) schema.Attribute {
	switch versionSupportAttrTypes[name] {
	case types.BoolType:
		return schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
	case types.Int64Type:
		return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
	case types.StringType:
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	default:
		return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
}

func (d *VersionSupportDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m versionSupportDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var v releases.Version
	host := "" // the API server's host, when the version comes from it: it may tell the distribution
	if m.Version.IsNull() {
		client, diags := d.data.client()
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		raw, err := client.ServerVersion(ctx)
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the Kubernetes version of the cluster", err.Error())
			return
		}
		if v, err = releases.ParseVersion(raw); err != nil {
			resp.Diagnostics.AddError("Cannot understand the cluster's Kubernetes version",
				fmt.Sprintf("The API server at %s reports gitVersion %q: %s. Set version to check a version explicitly.",
					client.Host(), raw, err))
			return
		}
		host = client.Host()
		tflog.Debug(ctx, "read the cluster's Kubernetes version", map[string]any{"host": host, "git_version": raw})
	} else {
		var err error
		if v, err = releases.ParseVersion(m.Version.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("version"), "Invalid Kubernetes version", err.Error())
			return
		}
	}

	var day time.Time
	if m.AsOf.IsNull() {
		now := time.Now
		if d.now != nil {
			now = d.now
		}
		y, mo, dd := now().UTC().Date()
		day = time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC)
		m.AsOf = types.StringValue(day.Format(asOfLayout))
	} else {
		var err error
		if day, err = parseAsOfDate(m.AsOf.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("as_of"), "Invalid as_of date", err.Error())
			return
		}
	}
	if m.WarnDays.IsNull() {
		m.WarnDays = types.Int64Value(versionSupportWarnDays)
	}
	if m.FailWhenUnsupported.IsNull() {
		m.FailWhenUnsupported = types.BoolValue(false)
	}
	warnDays := m.WarnDays.ValueInt64()
	if warnDays > math.MaxInt32 {
		warnDays = math.MaxInt32 // beyond any end of life date; keeps int conversion safe everywhere
	}

	dist := m.Distribution.ValueString()
	if m.Distribution.IsNull() || m.Distribution.IsUnknown() {
		var how string
		dist, how = releases.DetectDistribution(v, host)
		tflog.Debug(ctx, "detected the distribution", map[string]any{"distribution": dist, "from": how})
	}

	res, vd, diags := evaluateVersionSupport(ctx, dist, v, day, int(warnDays))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.versionSupportResult = res

	for _, w := range vd.Warnings {
		resp.Diagnostics.AddWarning(versionSupportWarningTitle(vd), w)
	}
	if m.FailWhenUnsupported.ValueBool() && !vd.Supported {
		resp.Diagnostics.AddError(fmt.Sprintf("Kubernetes %s is not supported (%s)", vd.Version, vd.Status),
			vd.Message+"\n\n"+versionUpgradeAdvice(vd)+"\n\nfail_when_unsupported = true stops the run on this verdict.")
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// versionSupportWarningTitle names the minor and, for managed distributions, whose support it is.
func versionSupportWarningTitle(vd releases.Verdict) string {
	if t := releases.Vendor(vd.Distribution); t != nil {
		return t.Name + " " + vd.Minor + " support"
	}
	return "Kubernetes " + vd.Minor + " support"
}
