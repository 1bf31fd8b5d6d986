package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
)

func TestClusterPostureSchema(t *testing.T) {
	ctx := context.Background()
	var sr datasource.SchemaResponse
	NewClusterPostureDataSource().Schema(ctx, datasource.SchemaRequest{}, &sr)
	if d := sr.Schema.ValidateImplementation(ctx); d.HasError() {
		t.Fatal(diagTexts(d))
	}
	for _, c := range posture.Checks() {
		if !strings.Contains(sr.Schema.MarkdownDescription, "| `"+c.ID+"` | ") {
			t.Errorf("the description does not list %s", c.ID)
		}
	}
	for name, a := range sr.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("%s has no description", name)
		}
	}
	// The finding object type in the schema is the one Read builds.
	list, ok := sr.Schema.Attributes["findings"].GetType().(types.ListType)
	if !ok {
		t.Fatalf("findings is a %T, want a list", sr.Schema.Attributes["findings"].GetType())
	}
	findings := list.ElemType
	if want := (types.ObjectType{AttrTypes: clusterPostureFindingAttrTypes}); !findings.Equal(want) {
		t.Errorf("findings element type %s, Read builds %s", findings, want)
	}
	if got, want := sr.Schema.Attributes["summary"].GetType(), (types.ObjectType{AttrTypes: clusterPostureSummaryAttrTypes}); !got.Equal(want) {
		t.Errorf("summary type %s, Read builds %s", got, want)
	}
}

func TestClusterPostureGateMessage(t *testing.T) {
	fs := posture.Evaluate(posture.Snapshot{
		ServerVersion: "v1.37.2",
		Anonymous:     posture.AnonymousProbe{StatusCode: 200, URL: "https://k8s.example.com/api/v1/namespaces"},
		Provider:      posture.ProviderFacts{Host: "https://k8s.example.com", Scheme: "https", Insecure: true},
	}, posture.Options{})
	gate := posture.AtOrAbove(fs, posture.SeverityHigh)
	if got, want := clusterPostureGateSummary(gate, posture.SeverityHigh), `Cluster posture: 1 critical, 1 high finding(s) at or above fail_on = "high"`; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	detail := clusterPostureGateDetail(gate, posture.SeverityHigh)
	if !regexp.MustCompile(`(?s)^- HRD-8001 critical Cluster: Anonymous requests can list namespaces.*\n  Fix: Start kube-apiserver with --anonymous-auth=false.*` +
		`\n- HRD-3001 high Provider: The provider is configured with insecure = true.*fail_on = "high" stops the run`).MatchString(detail) {
		t.Errorf("detail:\n%s", detail)
	}
}

// Configuration errors are caught before anything is read.
func TestAccClusterPosture_invalidConfig(t *testing.T) {
	testAccPreCheck(t)
	for _, tc := range []struct{ body, want string }{
		{`fail_on = "severe"`, `(?s)fail_on.*value must be one of`},
		{`as_of = "yesterday"`, `(?s)as_of.*invalid date "yesterday"`},
		{`namespaces = { include = ["team-["] }`, `(?s)Invalid namespace pattern.*"team-\[" is not a valid namespace pattern`},
		{`namespaces = { exclude = [""] }`, `(?s)Invalid namespace pattern.*empty namespace pattern`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "data \"hardened_cluster_posture\" \"test\" {\n  " + tc.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(wrapTolerant(tc.want)),
				}},
			})
		})
	}
}
