package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

var _ function.Function = &VersionSupportFunction{}

// VersionSupportFunction is provider::hardened::version_support: the same verdict as the
// hardened_version_support data source, computed from its arguments alone (no cluster, no clock).
type VersionSupportFunction struct{}

// NewVersionSupportFunction returns the function.
func NewVersionSupportFunction() function.Function { return &VersionSupportFunction{} }

func (f *VersionSupportFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "version_support"
}

func (f *VersionSupportFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Support status of a Kubernetes version on a given date",
		MarkdownDescription: "Evaluates a Kubernetes version against the release data embedded in the provider (release, " +
			"maintenance and end of life dates of each minor, and its latest patch) on the date `as_of`, and returns the " +
			"same results as the `hardened_version_support` data source. It is pure: it reads no cluster and no clock, so " +
			"pass the date yourself, for example `plantimestamp()` (stable for the whole plan) or " +
			"`formatdate(\"YYYY-MM-DD\", timestamp())`.\n\n" +
			"`status` is one of:" + versionSupportStatusList + "\n" +
			"Unlike the data source, a function cannot emit warnings, so there is no `warn_days` argument: the " +
			"verdict uses the data source's default window of 60 days, and the 60-day end-of-life warning, the " +
			"stale-data and the pre-release warnings are not reported. Compare `days_until_end_of_life` (for example " +
			"`< 60`) and `data_as_of` yourself, or use the data source to get them as warnings.\n\n" +
			"A third, optional argument names the distribution whose calendar judges the version (`kubernetes`, " +
			"`eks`, `gke` or `aks`); without it the distribution is detected from the version's suffix (`-eks-`, " +
			"`-gke.`), else `kubernetes`. AKS reports plain versions: pass `\"aks\"` for them.\n\n" +
			"The returned object has these attributes:\n\n" + functionResultDocs(),
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "version",
				MarkdownDescription: "A Kubernetes version as clusters report it or as written in configuration: `v1.37.2`, " +
					"`1.37`, `v1.31.2-eks-7f9249a`, `v1.30.4-gke.1348000`, `v1.29.8+k3s1`, `v1.33.0-rc.1`. Distribution " +
					"suffixes are ignored.",
			},
			function.StringParameter{
				Name: "as_of",
				MarkdownDescription: "The date to evaluate support on: `YYYY-MM-DD` or an RFC 3339 timestamp such as " +
					"`plantimestamp()` returns, which is reduced to its UTC date.",
			},
		},
		VariadicParameter: function.StringParameter{
			Name: "distribution",
			MarkdownDescription: "Optional: `kubernetes`, `eks`, `gke` or `aks`. At most one; detected from the " +
				"version when omitted.",
		},
		Return: function.ObjectReturn{AttributeTypes: versionSupportAttrTypes},
	}
}

func (f *VersionSupportFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var version, asOf string
	var dists []string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &version, &asOf, &dists))
	if resp.Error != nil {
		return
	}
	if len(dists) > 1 {
		resp.Error = function.NewArgumentFuncError(3, fmt.Sprintf("at most one distribution may be given, got %d: "+
			"pass one of %s", len(dists), strings.Join(releases.Distributions, ", ")))
		return
	}
	v, err := releases.ParseVersion(version)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	day, err := parseAsOfDate(asOf)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(1, err.Error())
		return
	}
	dist, _ := releases.DetectDistribution(v, "")
	if len(dists) == 1 {
		dist = dists[0]
		if !slices.Contains(releases.Distributions, dist) {
			resp.Error = function.NewArgumentFuncError(2, fmt.Sprintf("unknown distribution %q: expected one of %s",
				dist, strings.Join(releases.Distributions, ", ")))
			return
		}
	}
	res, _, diags := evaluateVersionSupport(ctx, dist, v, day, versionSupportWarnDays)
	resp.Error = function.FuncErrorFromDiags(ctx, diags)
	if resp.Error != nil {
		return
	}
	obj, diags := types.ObjectValueFrom(ctx, versionSupportAttrTypes, res)
	resp.Error = function.FuncErrorFromDiags(ctx, diags)
	if resp.Error != nil {
		return
	}
	resp.Error = resp.Result.Set(ctx, obj)
}

// functionResultDocs lists the returned attributes with the data source's descriptions.
func functionResultDocs() string {
	names := make([]string, 0, len(versionSupportResultDescriptions))
	for name := range versionSupportResultDescriptions {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		desc := versionSupportResultDescriptions[name]
		if name == "status" {
			desc = "Support status on `as_of`, one of the values above."
		}
		b.WriteString("  - `" + name + "`: " + desc + "\n")
	}
	return b.String()
}
