package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// versionSupportWarnDays is how many days before end of life a version starts to draw a warning: the
// data source's default for warn_days, and the fixed window of the version_support function.
const versionSupportWarnDays = 60

const asOfLayout = "2006-01-02"

// versionSupportResult holds the results shared by the hardened_version_support data source and
// the provider::hardened::version_support function, so both expose exactly the same attributes.
type versionSupportResult struct {
	ID                 types.String `tfsdk:"id"`
	Distribution       types.String `tfsdk:"distribution"`
	Version            types.String `tfsdk:"version"`
	Minor              types.String `tfsdk:"minor"`
	Status             types.String `tfsdk:"status"`
	Supported          types.Bool   `tfsdk:"supported"`
	ReleaseDate        types.String `tfsdk:"release_date"`
	MaintenanceDate    types.String `tfsdk:"maintenance_date"`
	EndOfLifeDate      types.String `tfsdk:"end_of_life_date"`
	DaysUntilEndOfLife types.Int64  `tfsdk:"days_until_end_of_life"`
	EndOfStandard      types.String `tfsdk:"end_of_standard_support_date"`
	EndOfExtended      types.String `tfsdk:"end_of_extended_support_date"`
	LatestPatch        types.String `tfsdk:"latest_patch"`
	PatchesBehind      types.Int64  `tfsdk:"patches_behind"`
	PatchCurrent       types.Bool   `tfsdk:"patch_current"`
	SupportedMinors    types.List   `tfsdk:"supported_minors"`
	NewestMinor        types.String `tfsdk:"newest_minor"`
	MinorsBehind       types.Int64  `tfsdk:"minors_behind"`
	UpgradePath        types.List   `tfsdk:"upgrade_path"`
	DataAsOf           types.String `tfsdk:"data_as_of"`
	Message            types.String `tfsdk:"message"`
}

// versionSupportAttrTypes is the object type of versionSupportResult, the function's return type.
var versionSupportAttrTypes = map[string]attr.Type{
	"id":                           types.StringType,
	"distribution":                 types.StringType,
	"end_of_standard_support_date": types.StringType,
	"end_of_extended_support_date": types.StringType,
	"version":                      types.StringType,
	"minor":                        types.StringType,
	"status":                       types.StringType,
	"supported":                    types.BoolType,
	"release_date":                 types.StringType,
	"maintenance_date":             types.StringType,
	"end_of_life_date":             types.StringType,
	"days_until_end_of_life":       types.Int64Type,
	"latest_patch":                 types.StringType,
	"patches_behind":               types.Int64Type,
	"patch_current":                types.BoolType,
	"supported_minors":             types.ListType{ElemType: types.StringType},
	"newest_minor":                 types.StringType,
	"minors_behind":                types.Int64Type,
	"upgrade_path":                 types.ListType{ElemType: types.StringType},
	"data_as_of":                   types.StringType,
	"message":                      types.StringType,
}

// versionSupportResultDescriptions documents each result once for the data source schema and the
// function's description.
var versionSupportResultDescriptions = map[string]string{
	"id":           "The normalised version and the evaluation date, `VERSION@YYYY-MM-DD` (for example `1.37.2@2026-11-26`).",
	"version":      "The normalised version: no leading `v`, no distribution suffix (`v1.31.2-eks-7f9249a` becomes `1.31.2`); pre-release tags are kept (`1.33.0-rc.1`).",
	"minor":        "The version's minor, `MAJOR.MINOR` (for example `1.37`).",
	"status":       "Support status on the evaluation date: " + versionSupportStatusList,
	"distribution": "Whose support calendar judged the version: `kubernetes` (upstream), `eks`, `gke` or `aks`.",
	"supported": "`true` when `status` is `supported`, `extended_support`, `maintenance` or `newer_than_data`; " +
		"`false` for `end_of_life` and `unreleased`.",
	"release_date":     "Release date of the minor (`YYYY-MM-DD`); null when the minor is not in the release data.",
	"maintenance_date": "Date the minor enters maintenance mode, critical fixes only (`YYYY-MM-DD`); null when unknown.",
	"end_of_life_date": "End of life date of the minor (`YYYY-MM-DD`): the end of all support the distribution gives it, " +
		"extended support included; null when unknown. On that day the minor is already end of life.",
	"end_of_standard_support_date": "End of the minor's standard support (`YYYY-MM-DD`). Upstream it is `end_of_life_date`; " +
		"vendors with an extended tier end standard support first. Null when unknown.",
	"end_of_extended_support_date": "End of the vendor's extended support for the minor (EKS extended support, GKE " +
		"Extended channel, AKS long-term support), `YYYY-MM-DD`; null upstream and where the vendor offers none.",
	"days_until_end_of_life": "Whole days from the evaluation date to `end_of_life_date`, negative once it has passed; " +
		"null when unknown.",
	"latest_patch": "Latest patch release of the minor in the release data (for example `1.37.2`); null when unknown, " +
		"and for managed distributions, which patch their control planes themselves.",
	"patches_behind": "How many patch releases the version is behind `latest_patch` (0 when the version names no patch " +
		"or `latest_patch` is null).",
	"patch_current": "`true` when the version names a patch, is not a pre-release, and is the latest patch of its minor; " +
		"null for managed distributions.",
	"supported_minors": "Minors released on or before the evaluation date and not yet end of life, oldest first.",
	"newest_minor":     "Newest minor released on or before the evaluation date; null when none is.",
	"minors_behind":    "How many minors the version is behind `newest_minor` (never negative).",
	"upgrade_path": "For `end_of_life`, `extended_support` and `maintenance` versions, the minors to upgrade through one " +
		"at a time (control planes upgrade one minor at a time) to reach the oldest minor in full (standard) support, " +
		"following the distribution's available minors; empty otherwise.",
	"data_as_of": "Date the embedded calendar of `distribution` is current to (`YYYY-MM-DD`). Newer provider releases " +
		"carry newer data.",
	"message": "One human-readable sentence summarising the verdict, including what to upgrade to.",
}

// versionSupportStatusList is the status documentation shared by the data source and the function.
const versionSupportStatusList = "\n" +
	"  - `supported`: released and receiving regular patch releases;\n" +
	"  - `maintenance`: in the last weeks before end of life, critical fixes only; plan the upgrade (upstream only);\n" +
	"  - `extended_support`: a managed distribution's paid or limited tier after standard support (EKS extended " +
	"support, GKE Extended channel, AKS long-term support); supported, with a warning naming its end and what it costs;\n" +
	"  - `end_of_life`: no more fixes of any kind (also for minors older than the release data);\n" +
	"  - `newer_than_data`: a release newer than the embedded data; treated as supported, with a warning that the " +
	"data may be out of date;\n" +
	"  - `unreleased`: not released on the evaluation date (or a pre-release of a minor newer than the data).\n"

// parseAsOfDate accepts a calendar date (YYYY-MM-DD) or an RFC 3339 timestamp, as plantimestamp() and
// timestamp() return, and reduces it to its UTC date.
func parseAsOfDate(s string) (time.Time, error) {
	in := strings.TrimSpace(s)
	if t, err := time.Parse(asOfLayout, in); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, in); err == nil {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, fmt.Errorf("invalid date %s: expected a date such as \"2026-11-26\" (YYYY-MM-DD) or an RFC 3339 "+
		"timestamp such as \"2026-11-26T09:30:00Z\" (what plantimestamp() and timestamp() return)", quoteAsOfInput(s))
}

// checkAsOfDate is parseAsOfDate as a validation check.
func checkAsOfDate(s string) error {
	_, err := parseAsOfDate(s)
	return err
}

// checkKubernetesVersion is releases.ParseVersion as a validation check.
func checkKubernetesVersion(s string) error {
	_, err := releases.ParseVersion(s)
	return err
}

// quoteAsOfInput quotes user input for an error message without letting a huge value flood it.
func quoteAsOfInput(s string) string {
	const keep = 40
	if r := []rune(s); len(r) > keep {
		return fmt.Sprintf("%q...", string(r[:keep]))
	}
	return fmt.Sprintf("%q", s)
}

// evaluateVersionSupport is the whole verdict for one version on one date, with the embedded data.
func evaluateVersionSupport(ctx context.Context, dist string, v releases.Version, day time.Time, warnDays int) (versionSupportResult, releases.Verdict, diag.Diagnostics) {
	var diags diag.Diagnostics
	vd, err := releases.Judge(dist, v, day, warnDays)
	if err != nil {
		diags.AddAttributeError(path.Root("distribution"), "Invalid distribution", err.Error())
		return versionSupportResult{}, vd, diags
	}
	res, d := resultFromVerdict(ctx, vd, day)
	diags.Append(d...)
	return res, vd, diags
}

// resultFromVerdict maps a verdict onto Terraform values; unknown ("") dates and names become null.
func resultFromVerdict(ctx context.Context, vd releases.Verdict, day time.Time) (versionSupportResult, diag.Diagnostics) {
	var diags diag.Diagnostics
	optional := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	list := func(xs []string) types.List {
		if xs == nil {
			xs = []string{}
		}
		l, d := types.ListValueFrom(ctx, types.StringType, xs)
		diags.Append(d...)
		return l
	}
	days := types.Int64Null()
	if vd.DaysUntilEndOfLife != nil {
		days = types.Int64Value(*vd.DaysUntilEndOfLife)
	}
	res := versionSupportResult{
		ID:                 types.StringValue(vd.Version + "@" + day.UTC().Format(asOfLayout)),
		Version:            types.StringValue(vd.Version),
		Minor:              types.StringValue(vd.Minor),
		Status:             types.StringValue(vd.Status),
		Supported:          types.BoolValue(vd.Supported),
		ReleaseDate:        optional(vd.ReleaseDate),
		MaintenanceDate:    optional(vd.MaintenanceDate),
		EndOfLifeDate:      optional(vd.EndOfLifeDate),
		DaysUntilEndOfLife: days,
		LatestPatch:        optional(vd.LatestPatch),
		PatchesBehind:      types.Int64Value(vd.PatchesBehind),
		PatchCurrent:       types.BoolValue(vd.PatchCurrent),
		Distribution:       types.StringValue(vd.Distribution),
		EndOfStandard:      optional(vd.EndOfStandardSupportDate),
		EndOfExtended:      optional(vd.EndOfExtendedSupportDate),
		SupportedMinors:    list(vd.SupportedMinors),
		NewestMinor:        optional(vd.NewestMinor),
		MinorsBehind:       types.Int64Value(vd.MinorsBehind),
		UpgradePath:        list(vd.UpgradePath),
		DataAsOf:           optional(vd.DataAsOf),
		Message:            types.StringValue(vd.Message),
	}
	if vd.Distribution != releases.DistKubernetes {
		res.PatchCurrent = types.BoolNull() // the vendor patches the control plane; no patch to compare with
	}
	return res, diags
}

// versionUpgradeAdvice says what to move to for a verdict that is not supported: the upgrade path and
// its target's latest patch, or the supported minors when there is no path (unreleased versions).
func versionUpgradeAdvice(vd releases.Verdict) string {
	if n := len(vd.UpgradePath); n > 0 {
		target := vd.UpgradePath[n-1]
		patch := target
		steps := strings.Join(append([]string{vd.Minor}, vd.UpgradePath...), " -> ")
		if vd.Distribution != releases.DistKubernetes {
			return fmt.Sprintf("Upgrade to %s on %s, one minor at a time: %s.", target, vd.Distribution, steps)
		}
		for _, m := range releases.Embedded().Minors {
			if m.Minor == target && m.LatestPatch != "" {
				patch = m.LatestPatch
			}
		}
		return fmt.Sprintf("Upgrade to Kubernetes %s (%s or a newer patch), one minor at a time: %s.",
			target, patch, steps)
	}
	if len(vd.SupportedMinors) > 0 {
		return fmt.Sprintf("Use a released, supported minor instead: %s.", strings.Join(vd.SupportedMinors, ", "))
	}
	return "The release data lists no supported minor on that date; check as_of and the provider version."
}
