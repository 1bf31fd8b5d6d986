package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The function needs no cluster, so these run with `go test` alone (terraform CLI on PATH).

func TestVersionSupportFunction_verdicts(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
output "eol" {
  value = provider::hardened::version_support("1.34.2", "2026-11-26")
}
output "current" {
  value = provider::hardened::version_support("v1.37.2", "2026-11-26")
}
# EKS 1.31 on 2026-06-01: upstream end of life since 2025-11-11, but in EKS extended support.
output "eks" {
  value = provider::hardened::version_support("v1.31.2-eks-7f9249a", "2026-06-01")
}
output "eks_upstream" {
  value = provider::hardened::version_support("v1.31.2-eks-7f9249a", "2026-06-01", "kubernetes")
}
output "eks_last_day" {
  value = provider::hardened::version_support("1.31", "2026-11-26", "eks")
}
output "gke" {
  value = provider::hardened::version_support("v1.33.5-gke.1308000", "2026-08-03")
}
output "aks" {
  value = provider::hardened::version_support("1.31.4", "2025-11-01", "aks")
}
output "newer" {
  value = provider::hardened::version_support("1.40", "2026-11-26")
}
# plantimestamp() style input: the UTC date of 2026-11-27T01:00:00+02:00 is 2026-11-26.
output "rfc3339" {
  value = provider::hardened::version_support("1.35.3", "2026-11-27T01:00:00+02:00")
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("eol", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":                           knownvalue.StringExact("1.34.2@2026-11-26"),
					"distribution":                 knownvalue.StringExact("kubernetes"),
					"end_of_standard_support_date": knownvalue.StringExact("2026-10-27"),
					"end_of_extended_support_date": knownvalue.Null(),
					"version":                      knownvalue.StringExact("1.34.2"),
					"minor":                        knownvalue.StringExact("1.34"),
					"status":                       knownvalue.StringExact("end_of_life"),
					"supported":                    knownvalue.Bool(false),
					"release_date":                 knownvalue.StringExact("2025-08-27"),
					"maintenance_date":             knownvalue.StringExact("2026-08-27"),
					"end_of_life_date":             knownvalue.StringExact("2026-10-27"),
					"days_until_end_of_life":       knownvalue.Int64Exact(-30),
					"latest_patch":                 knownvalue.StringExact("1.34.12"),
					"patches_behind":               knownvalue.Int64Exact(10),
					"patch_current":                knownvalue.Bool(false),
					"supported_minors": knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1.35"), knownvalue.StringExact("1.36"), knownvalue.StringExact("1.37"),
					}),
					"newest_minor":  knownvalue.StringExact("1.37"),
					"minors_behind": knownvalue.Int64Exact(3),
					"upgrade_path":  knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("1.35")}),
					"data_as_of":    knownvalue.StringExact("2026-11-26"),
					"message":       knownvalue.StringRegexp(regexp.MustCompile(`reached end of life on 2026-10-27.*1\.35\.8 or newer`)),
				})),
				statecheck.ExpectKnownOutputValue("current", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"version":                knownvalue.StringExact("1.37.2"),
					"status":                 knownvalue.StringExact("supported"),
					"supported":              knownvalue.Bool(true),
					"patch_current":          knownvalue.Bool(true),
					"days_until_end_of_life": knownvalue.Int64Exact(336),
					"upgrade_path":           knownvalue.ListSizeExact(0),
					"minors_behind":          knownvalue.Int64Exact(0),
				})),
				statecheck.ExpectKnownOutputValue("eks", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"distribution":                 knownvalue.StringExact("eks"),
					"version":                      knownvalue.StringExact("1.31.2"),
					"minor":                        knownvalue.StringExact("1.31"),
					"status":                       knownvalue.StringExact("extended_support"),
					"supported":                    knownvalue.Bool(true),
					"release_date":                 knownvalue.StringExact("2024-09-26"),
					"end_of_standard_support_date": knownvalue.StringExact("2025-11-26"),
					"end_of_extended_support_date": knownvalue.StringExact("2026-11-26"),
					"end_of_life_date":             knownvalue.StringExact("2026-11-26"),
					"days_until_end_of_life":       knownvalue.Int64Exact(178),
					"maintenance_date":             knownvalue.Null(),
					"latest_patch":                 knownvalue.Null(),
					"patch_current":                knownvalue.Null(),
					"upgrade_path": knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1.32"), knownvalue.StringExact("1.33"),
					}),
					"data_as_of": knownvalue.StringExact("2026-08-21"),
					"message":    knownvalue.StringRegexp(regexp.MustCompile(`extended support until 2026-11-26.*billed`)),
				})),
				statecheck.ExpectKnownOutputValue("eks_upstream", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"distribution": knownvalue.StringExact("kubernetes"),
					"status":       knownvalue.StringExact("end_of_life"),
					"supported":    knownvalue.Bool(false),
				})),
				statecheck.ExpectKnownOutputValue("eks_last_day", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"distribution": knownvalue.StringExact("eks"),
					"status":       knownvalue.StringExact("end_of_life"),
					"supported":    knownvalue.Bool(false),
					"upgrade_path": knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("1.32"), knownvalue.StringExact("1.33"), knownvalue.StringExact("1.34"),
					}),
				})),
				statecheck.ExpectKnownOutputValue("gke", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"distribution":                 knownvalue.StringExact("gke"),
					"status":                       knownvalue.StringExact("extended_support"),
					"end_of_standard_support_date": knownvalue.StringExact("2026-08-03"),
					"end_of_extended_support_date": knownvalue.StringExact("2027-06-03"),
				})),
				statecheck.ExpectKnownOutputValue("aks", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"distribution":                 knownvalue.StringExact("aks"),
					"status":                       knownvalue.StringExact("extended_support"),
					"end_of_extended_support_date": knownvalue.StringExact("2026-11-30"),
					"upgrade_path":                 knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("1.32")}),
				})),
				statecheck.ExpectKnownOutputValue("newer", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"version":                knownvalue.StringExact("1.40"),
					"status":                 knownvalue.StringExact("newer_than_data"),
					"supported":              knownvalue.Bool(true),
					"release_date":           knownvalue.Null(),
					"end_of_life_date":       knownvalue.Null(),
					"days_until_end_of_life": knownvalue.Null(),
					"latest_patch":           knownvalue.Null(),
				})),
				statecheck.ExpectKnownOutputValue("rfc3339", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"id":     knownvalue.StringExact("1.35.3@2026-11-26"),
					"status": knownvalue.StringExact("supported"),
				})),
			},
		}},
	})
}

func TestVersionSupportFunction_errors(t *testing.T) {
	cases := map[string]struct{ call, want string }{
		"not a version":        {`"banana", "2026-11-26"`, `invalid Kubernetes version "banana".*expected a Kubernetes version such as "v1.37.2"`},
		"major not 1":          {`"2.1.0", "2026-11-26"`, `major version must be 1`},
		"no minor":             {`"1", "2026-11-26"`, `a minor version is required`},
		"day first":            {`"1.37.2", "26/11/2026"`, `invalid date "26/11/2026".*expected a date such as "2026-11-26"`},
		"impossible date":      {`"1.37.2", "2026-02-30"`, `invalid date "2026-02-30".*RFC 3339`},
		"unknown distribution": {`"1.37.2", "2026-11-26", "openshift"`, `unknown distribution "openshift": expected one of kubernetes, eks, gke, aks`},
		"two distributions":    {`"1.37.2", "2026-11-26", "eks", "gke"`, `at most one distribution may be given, got 2`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "output \"x\" {\n  value = provider::hardened::version_support(" + tc.call + ")\n}\n",
					ExpectError: regexp.MustCompile(`(?s)` + wrapTolerant(tc.want)),
				}},
			})
		})
	}
}
