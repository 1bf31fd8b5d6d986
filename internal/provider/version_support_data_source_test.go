package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// Acceptance tests: the data source against the real control plane and the real terraform CLI.

func TestAccVersionSupport_liveCluster(t *testing.T) {
	testAccPreCheck(t)
	addr := "data.hardened_version_support.cluster"
	want := liveClusterExpectations(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
data "hardened_version_support" "cluster" {
  as_of = "2026-11-26"
}

# Without as_of the date is today's (UTC).
data "hardened_version_support" "today" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact(want.version)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("minor"), knownvalue.StringExact(want.minor)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact(want.status)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("latest_patch"), knownvalue.StringExact(want.latestPatch)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("supported"), knownvalue.Bool(want.status != releases.StatusEndOfLife && want.status != releases.StatusUnreleased)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(want.version+"@2026-11-26")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("as_of"), knownvalue.StringExact("2026-11-26")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("warn_days"), knownvalue.Int64Exact(60)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("fail_when_unsupported"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("data_as_of"), knownvalue.StringExact("2026-11-26")),
				// A loopback API server reporting a plain version is upstream Kubernetes.
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("distribution"), knownvalue.StringExact("kubernetes")),
				statecheck.ExpectKnownValue("data.hardened_version_support.today", tfjsonpath.New("version"), knownvalue.StringExact(want.version)),
				statecheck.ExpectKnownValue("data.hardened_version_support.today", tfjsonpath.New("as_of"),
					knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`))),
			},
		}},
	})
}

type liveExpectations struct{ version, minor, status, latestPatch string }

// liveClusterExpectations are the brief's values for the default test cluster (v1.37.2); a cluster
// started with HARDENED_TEST_K8S_VERSION is checked against the embedded table instead.
func liveClusterExpectations(t *testing.T) liveExpectations {
	t.Helper()
	if testCluster.Version == "v1.37.2" {
		return liveExpectations{version: "1.37.2", minor: "1.37", status: releases.StatusSupported, latestPatch: "1.37.2"}
	}
	v, err := releases.ParseVersion(testCluster.Version)
	if err != nil {
		t.Fatal(err)
	}
	vd := releases.Embedded().Verdict(v, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), 60)
	return liveExpectations{version: vd.Version, minor: vd.Minor, status: vd.Status, latestPatch: vd.LatestPatch}
}

func TestAccVersionSupport_failWhenUnsupported(t *testing.T) {
	testAccPreCheck(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: `
data "hardened_version_support" "old" {
  version               = "1.30.4"
  as_of                 = "2026-11-26"
  fail_when_unsupported = true
}
`,
				PlanOnly: true,
				ExpectError: regexp.MustCompile(`(?s)` + wrapTolerant(`Kubernetes 1.30.4 is not supported \(end_of_life\)`) +
					`.*` + wrapTolerant(`reached end of life on 2025-07-15`) +
					`.*` + wrapTolerant(`Upgrade to Kubernetes 1.35 \(1.35.8 or a newer patch\)`)),
			},
			{
				// The same version without the flag only reports the verdict.
				Config: `
data "hardened_version_support" "old" {
  version = "1.30.4"
  as_of   = "2026-11-26"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.hardened_version_support.old", tfjsonpath.New("status"), knownvalue.StringExact("end_of_life")),
					statecheck.ExpectKnownValue("data.hardened_version_support.old", tfjsonpath.New("supported"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.hardened_version_support.old", tfjsonpath.New("upgrade_path"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1.31"), knownvalue.StringExact("1.32"), knownvalue.StringExact("1.33"),
						knownvalue.StringExact("1.34"), knownvalue.StringExact("1.35"),
					})),
				},
			},
		},
	})
}

// Versions as EKS and GKE report them are judged by the vendor's calendar; an AKS version by hand
// needs distribution = "aks"; distribution = "kubernetes" asks for the upstream verdict.
func TestAccVersionSupport_distributions(t *testing.T) {
	testAccPreCheck(t)
	ds := func(name string) string { return "data.hardened_version_support." + name }
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// An EKS version judged by the upstream calendar stops the plan.
				Config: `
data "hardened_version_support" "upstream" {
  version               = "v1.31.2-eks-7f9249a"
  distribution          = "kubernetes"
  as_of                 = "2026-06-01"
  fail_when_unsupported = true
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)` + wrapTolerant(`Kubernetes 1.31.2 is not supported \(end_of_life\)`)),
			},
			{
				Config: `
data "hardened_version_support" "bad" {
  version      = "1.31"
  distribution = "openshift"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)distribution.*` + wrapTolerant(regexp.QuoteMeta(`value must be one of: ["kubernetes" "eks" "gke" "aks"], got: "openshift"`))),
			},
			{
				Config: `
data "hardened_version_support" "eks" {
  version               = "v1.31.2-eks-7f9249a"
  as_of                 = "2026-06-01"
  fail_when_unsupported = true # extended support is supported
}
data "hardened_version_support" "gke" {
  version = "v1.30.4-gke.1348000"
  as_of   = "2026-06-01"
}
data "hardened_version_support" "aks" {
  version      = "1.31.4"
  distribution = "aks"
  as_of        = "2026-12-07"
}
data "hardened_version_support" "upstream" {
  version      = "v1.31.2-eks-7f9249a"
  distribution = "kubernetes"
  as_of        = "2026-06-01"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds("eks"), tfjsonpath.New("distribution"), knownvalue.StringExact("eks")),
					statecheck.ExpectKnownValue(ds("eks"), tfjsonpath.New("status"), knownvalue.StringExact("extended_support")),
					statecheck.ExpectKnownValue(ds("eks"), tfjsonpath.New("supported"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(ds("eks"), tfjsonpath.New("end_of_standard_support_date"), knownvalue.StringExact("2025-11-26")),
					statecheck.ExpectKnownValue(ds("eks"), tfjsonpath.New("end_of_extended_support_date"), knownvalue.StringExact("2026-11-26")),
					statecheck.ExpectKnownValue(ds("eks"), tfjsonpath.New("upgrade_path"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1.32"), knownvalue.StringExact("1.33"),
					})),
					statecheck.ExpectKnownValue(ds("gke"), tfjsonpath.New("distribution"), knownvalue.StringExact("gke")),
					statecheck.ExpectKnownValue(ds("gke"), tfjsonpath.New("status"), knownvalue.StringExact("extended_support")),
					statecheck.ExpectKnownValue(ds("gke"), tfjsonpath.New("end_of_extended_support_date"), knownvalue.StringExact("2026-07-31")),
					statecheck.ExpectKnownValue(ds("aks"), tfjsonpath.New("status"), knownvalue.StringExact("end_of_life")),
					statecheck.ExpectKnownValue(ds("aks"), tfjsonpath.New("end_of_life_date"), knownvalue.StringExact("2026-11-30")),
					statecheck.ExpectKnownValue(ds("upstream"), tfjsonpath.New("distribution"), knownvalue.StringExact("kubernetes")),
					statecheck.ExpectKnownValue(ds("upstream"), tfjsonpath.New("status"), knownvalue.StringExact("end_of_life")),
				},
			},
		},
	})
}

func TestAccVersionSupport_maintenance(t *testing.T) {
	testAccPreCheck(t)
	addr := "data.hardened_version_support.maint"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// 44 days before 1.35's end of life: maintenance, and a warning (within warn_days = 60),
			// which TestVersionSupportDataSource_warnings checks: the test framework cannot see warnings.
			Config: `
data "hardened_version_support" "maint" {
  version               = "v1.35.3"
  as_of                 = "2027-01-15"
  fail_when_unsupported = true # maintenance is still supported
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("version"), knownvalue.StringExact("1.35.3")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("maintenance")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("supported"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("days_until_end_of_life"), knownvalue.Int64Exact(44)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("maintenance_date"), knownvalue.StringExact("2026-12-28")),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("patches_behind"), knownvalue.Int64Exact(5)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("upgrade_path"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("1.36")})),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("message"), knownvalue.StringRegexp(regexp.MustCompile(`maintenance mode`))),
			},
		}},
	})
}

func TestAccVersionSupport_invalidConfig(t *testing.T) {
	testAccPreCheck(t)
	cases := map[string]struct{ body, want string }{
		"version":   {`version = "banana"`, `Invalid Kubernetes version.*invalid Kubernetes version "banana".*expected a Kubernetes version such as`},
		"as_of":     {`version = "1.37.2"` + "\n  " + `as_of = "2026-13-01"`, `Invalid as_of date.*invalid date "2026-13-01".*YYYY-MM-DD`},
		"warn_days": {`version = "1.37.2"` + "\n  " + `warn_days = -1`, `warn_days.*must be at least 0`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "data \"hardened_version_support\" \"test\" {\n  " + tc.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + wrapTolerant(tc.want)),
				}},
			})
		})
	}
}

// Unit tests: Read called directly, for what the test framework cannot observe (warnings, the
// clock) and without a cluster.

// readVersionSupport runs Read with only set non-null in the configuration.
func readVersionSupport(t *testing.T, ds *VersionSupportDataSource, set map[string]tftypes.Value) (*datasource.ReadResponse, versionSupportDataSourceModel) {
	t.Helper()
	ctx := context.Background()
	var sr datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sr)
	if sr.Diagnostics.HasError() {
		t.Fatal(sr.Diagnostics)
	}
	typ := sr.Schema.Type().TerraformType(ctx)
	vals := map[string]tftypes.Value{}
	for name, a := range sr.Schema.Attributes {
		vals[name] = tftypes.NewValue(a.GetType().TerraformType(ctx), nil)
	}
	for k, v := range set {
		vals[k] = v
	}
	req := datasource.ReadRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}}
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	ds.Read(ctx, req, resp)
	var m versionSupportDataSourceModel
	if !resp.Diagnostics.HasError() {
		if d := resp.State.Get(ctx, &m); d.HasError() {
			t.Fatal(d)
		}
	}
	return resp, m
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func diagTexts(ds diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%s: %s | %s\n", d.Severity(), d.Summary(), d.Detail())
	}
	return b.String()
}

func TestVersionSupportDataSource_warnings(t *testing.T) {
	ds := newVersionSupportDataSource(t)
	resp, m := readVersionSupport(t, ds, map[string]tftypes.Value{"version": tfString("v1.35.3"), "as_of": tfString("2027-01-15")})
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want exactly one warning, got:\n%s", diagTexts(resp.Diagnostics))
	}
	w := resp.Diagnostics.Warnings()[0]
	if w.Summary() != "Kubernetes 1.35 support" || !strings.Contains(w.Detail(), "1.35 reaches end of life on 2027-02-28 (44 days)") {
		t.Errorf("unexpected warning: %s", diagTexts(resp.Diagnostics))
	}
	if m.Status.ValueString() != releases.StatusMaintenance || m.WarnDays.ValueInt64() != 60 || m.FailWhenUnsupported.ValueBool() {
		t.Errorf("status %s, warn_days %s, fail_when_unsupported %s", m.Status, m.WarnDays, m.FailWhenUnsupported)
	}

	// warn_days below the remaining days silences the end-of-life warning.
	resp, _ = readVersionSupport(t, ds, map[string]tftypes.Value{
		"version": tfString("1.35.3"), "as_of": tfString("2027-01-15"), "warn_days": tftypes.NewValue(tftypes.Number, 30),
	})
	if n := len(resp.Diagnostics); n != 0 {
		t.Errorf("warn_days = 30: want no diagnostics, got:\n%s", diagTexts(resp.Diagnostics))
	}

	// An as_of long after the data's own date warns that the data may be stale.
	resp, _ = readVersionSupport(t, ds, map[string]tftypes.Value{"version": tfString("1.37.2"), "as_of": tfString("2027-06-01")})
	if !strings.Contains(diagTexts(resp.Diagnostics), "release data may be stale: table as of 2026-11-26") {
		t.Errorf("want a stale-data warning, got:\n%s", diagTexts(resp.Diagnostics))
	}
}

func TestVersionSupportDataSource_extendedSupportWarns(t *testing.T) {
	ds := newVersionSupportDataSource(t)
	resp, m := readVersionSupport(t, ds, map[string]tftypes.Value{
		"version": tfString("v1.31.2-eks-7f9249a"), "as_of": tfString("2026-06-01"),
		"fail_when_unsupported": tftypes.NewValue(tftypes.Bool, true),
	})
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("want one warning and no error, got:\n%s", diagTexts(resp.Diagnostics))
	}
	w := resp.Diagnostics.Warnings()[0]
	if w.Summary() != "Amazon EKS 1.31 support" || !strings.Contains(w.Detail(), "extended support, which ends on 2026-11-26 (in 178 days)") ||
		!strings.Contains(w.Detail(), "billed per cluster hour at a higher rate") {
		t.Errorf("unexpected warning: %s", diagTexts(resp.Diagnostics))
	}
	if m.Distribution.ValueString() != releases.DistEKS || m.Status.ValueString() != releases.StatusExtendedSupport {
		t.Errorf("distribution %s, status %s", m.Distribution, m.Status)
	}
}

func TestVersionSupportDataSource_defaultAsOf(t *testing.T) {
	ds := newVersionSupportDataSource(t)
	// 01:00 at UTC+2 is still the previous day in UTC.
	ds.now = func() time.Time { return time.Date(2026, 11, 27, 1, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)) }
	resp, m := readVersionSupport(t, ds, map[string]tftypes.Value{"version": tfString("1.37.2")})
	if resp.Diagnostics.HasError() {
		t.Fatal(diagTexts(resp.Diagnostics))
	}
	if m.AsOf.ValueString() != "2026-11-26" || m.ID.ValueString() != "1.37.2@2026-11-26" {
		t.Errorf("as_of %s, id %s; want 2026-11-26, 1.37.2@2026-11-26", m.AsOf, m.ID)
	}

	// An RFC 3339 as_of is kept as written; the verdict uses its UTC date.
	resp, m = readVersionSupport(t, ds, map[string]tftypes.Value{"version": tfString("1.37.2"), "as_of": tfString("2026-11-27T01:00:00+02:00")})
	if resp.Diagnostics.HasError() || m.AsOf.ValueString() != "2026-11-27T01:00:00+02:00" || m.ID.ValueString() != "1.37.2@2026-11-26" {
		t.Errorf("as_of %s, id %s, diags:\n%s", m.AsOf, m.ID, diagTexts(resp.Diagnostics))
	}
}

func TestVersionSupportDataSource_failWhenUnsupported(t *testing.T) {
	ds := newVersionSupportDataSource(t)
	cases := []struct {
		version, asOf string
		want          []string // in the error; none means no error
	}{
		{"1.30.4", "2026-11-26", []string{
			"Kubernetes 1.30.4 is not supported (end_of_life)", "reached end of life on 2025-07-15",
			"Upgrade to Kubernetes 1.35 (1.35.8 or a newer patch), one minor at a time: 1.30 -> 1.31 -> 1.32 -> 1.33 -> 1.34 -> 1.35.",
		}},
		{"1.37.0", "2026-08-01", []string{
			"Kubernetes 1.37.0 is not supported (unreleased)", "Use a released, supported minor instead: 1.34, 1.35, 1.36.",
		}},
		{"1.24.17", "2026-11-26", []string{"(end_of_life)", "older than the release data", "Upgrade to Kubernetes 1.35"}},
		{"1.35.3", "2027-01-15", nil}, // maintenance is supported
		{"1.37.2", "2026-11-26", nil},
		{"1.45.0", "2026-11-26", nil}, // newer than the data: supported, with a warning
	}
	for _, tc := range cases {
		resp, _ := readVersionSupport(t, ds, map[string]tftypes.Value{
			"version": tfString(tc.version), "as_of": tfString(tc.asOf), "fail_when_unsupported": tftypes.NewValue(tftypes.Bool, true),
		})
		got := diagTexts(resp.Diagnostics)
		if len(tc.want) == 0 {
			if resp.Diagnostics.HasError() {
				t.Errorf("%s on %s: unexpected error:\n%s", tc.version, tc.asOf, got)
			}
			continue
		}
		if resp.Diagnostics.ErrorsCount() != 1 {
			t.Errorf("%s on %s: want one error, got:\n%s", tc.version, tc.asOf, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s on %s: error lacks %q:\n%s", tc.version, tc.asOf, w, got)
			}
		}
	}
}

func TestVersionSupportDataSource_noCluster(t *testing.T) {
	// Without version the cluster is read; without provider data that is an explanatory error.
	ds := newVersionSupportDataSource(t)
	resp, _ := readVersionSupport(t, ds, map[string]tftypes.Value{"as_of": tfString("2026-11-26")})
	if !strings.Contains(diagTexts(resp.Diagnostics), "Kubernetes cluster not known yet") {
		t.Errorf("got:\n%s", diagTexts(resp.Diagnostics))
	}
}

// TestVersionSupportSchema keeps the data source and the function in step: the same result
// attributes with the same types, and a description on every attribute.
func TestVersionSupportSchema(t *testing.T) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	NewVersionSupportDataSource().Schema(ctx, datasource.SchemaRequest{}, &sr)
	if d := sr.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(diagTexts(d))
	}
	for name, typ := range versionSupportAttrTypes {
		a, ok := sr.Schema.Attributes[name]
		switch {
		case !ok:
			t.Errorf("data source lacks result attribute %s", name)
		case !a.GetType().Equal(typ):
			t.Errorf("%s: data source type %s, function type %s", name, a.GetType(), typ)
		case !a.IsComputed():
			t.Errorf("%s is not computed", name)
		}
	}
	inputs := map[string]bool{"as_of": true, "warn_days": true, "fail_when_unsupported": true, "distribution": true}
	for name, a := range sr.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", name)
		}
		if _, ok := versionSupportAttrTypes[name]; !ok && !inputs[name] {
			t.Errorf("data source attribute %s is neither an input nor a function result", name)
		}
	}
	if len(versionSupportResultDescriptions) != len(versionSupportAttrTypes) {
		t.Errorf("%d descriptions for %d result attributes", len(versionSupportResultDescriptions), len(versionSupportAttrTypes))
	}
}

func newVersionSupportDataSource(t *testing.T) *VersionSupportDataSource {
	t.Helper()
	ds, ok := NewVersionSupportDataSource().(*VersionSupportDataSource)
	if !ok {
		t.Fatalf("NewVersionSupportDataSource returned %T", NewVersionSupportDataSource())
	}
	return ds
}
