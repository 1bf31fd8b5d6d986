package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/kubehardening/terraform-provider-hardened/internal/audit"
)

// Plan-time errors through the real terraform CLI: each names the attribute (terraform quotes the
// line of a top-level one; the detail starts with the path) and says what would be valid.
func TestAccAuditPolicy_validation(t *testing.T) {
	testAccPreCheck(t)
	cases := []struct {
		name, body, want string
	}{
		{"profile", `profile = "paranoid"`,
			`(?s)Invalid hardened_audit_policy configuration.*profile = "paranoid".*profile: "paranoid" is not a profile. Valid profiles: minimal, standard, verbose.`},
		{"level", `extra_rules = [{ level = "Full" }]`,
			`(?s)Invalid hardened_audit_policy configuration.*extra_rules\[0\].level: "Full" is not an audit level. Valid levels: None, Metadata, Request, RequestResponse.`},
		{"secrets raised", `extra_rules = [{
    level     = "RequestResponse"
    resources = [{ resources = ["pods", "secrets"] }]
  }]`,
			`(?s)Invalid hardened_audit_policy configuration.*extra_rules\[0\].resources\[0\].resources\[1\]: "secrets" with level RequestResponse asks to log the bodies of secrets, which carry credentials.*Remove "secrets" from this rule`},
		{"tokenreviews raised", `extra_rules = [{
    level     = "Request"
    resources = [{ group = "authentication.k8s.io", resources = ["tokenreviews"] }]
  }]`,
			`(?s)extra_rules\[0\].resources\[0\].resources\[0\]: "tokenreviews" with level Request asks to log the bodies of tokenreviews`},
		{"verb", `extra_rules = [{ level = "None", verbs = ["get", "escalate"] }]`,
			`(?s)extra_rules\[0\].verbs\[1\]: "escalate" is an RBAC authorization verb, never the verb of a request.*Valid verbs: get, list, watch, create, update, patch, delete, deletecollection, proxy`},
		{"stage", `omit_stages = ["RequestReceived", "ResponseSent"]`,
			`(?s)omit_stages = \["RequestReceived", "ResponseSent"\].*omit_stages\[1\]: "ResponseSent" is not an audit stage. Valid stages: RequestReceived, ResponseStarted, ResponseComplete, Panic.`},
		{"empty user", `extra_rules = [{ level = "None", users = [""] }]`,
			`(?s)extra_rules\[0\].users\[0\]: must not be empty: give a user name, or leave users unset to match every user name.`},
		{"urls with namespaces", `extra_rules = [{
    level             = "None"
    namespaces        = ["default"]
    non_resource_urls = ["/healthz"]
  }]`,
			`(?s)extra_rules\[0\].non_resource_urls: a rule cannot match both API resources \(resources, namespaces\) and other paths \(non_resource_urls\): split it into two rules.`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "data \"hardened_audit_policy\" \"p\" {\n  " + c.body + "\n}\n",
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(wrapTolerant(c.want)),
				}},
			})
		})
	}
}

// Extra rules and omit_stages through terraform, one of them known only at apply time: the YAML
// is exactly what internal/audit renders.
func TestAccAuditPolicy_extraRules(t *testing.T) {
	testAccPreCheck(t)
	addr := "data.hardened_audit_policy.p"
	want, pol, err := audit.Render(audit.Params{Profile: "verbose", OmitStages: []string{"RequestReceived", "Panic"}, ExtraRules: []audit.ExtraRule{
		{Level: "RequestResponse", Namespaces: []string{"payments"}, Verbs: []string{"create", "update", "patch", "delete"},
			Resources: []audit.ResourceSelector{{Group: "apps", Resources: []string{"deployments"}}, {Group: "", Resources: []string{"pods/exec"}}}},
		{Level: "None", Users: []string{"system:serviceaccount:monitoring:prometheus"}},
		{Level: "Metadata", Resources: []audit.ResourceSelector{{Group: "cert-manager.io", Resources: []string{"certificates"}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(want))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
# Known only after apply: the data source is validated again, and read, once it is.
resource "terraform_data" "scraper" {
  input = "system:serviceaccount:monitoring:prometheus"
}

data "hardened_audit_policy" "p" {
  profile     = "verbose"
  omit_stages = ["RequestReceived", "Panic"]
  extra_rules = [
    {
      level      = "RequestResponse"
      namespaces = ["payments"]
      verbs      = ["create", "update", "patch", "delete"]
      resources = [
        { group = "apps", resources = ["deployments"] },
        { resources = ["pods/exec"] },
      ]
    },
    { level = "None", users = [terraform_data.scraper.output] },
    { level = "Metadata", resources = [{ group = "cert-manager.io", resources = ["certificates"] }] },
  ]
}

output "policy" {
  value = data.hardened_audit_policy.p.yaml
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("policy", knownvalue.StringExact(want)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("rules_count"), knownvalue.Int64Exact(int64(len(pol.Rules)))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(hex.EncodeToString(sum[:]))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("omit_stages"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("RequestReceived"), knownvalue.StringExact("Panic")})),
			},
		}},
	})
}

func TestAuditPolicyDataSource_schemaDescriptions(t *testing.T) {
	var sr datasource.SchemaResponse
	NewAuditPolicyDataSource().Schema(t.Context(), datasource.SchemaRequest{}, &sr)
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			if strings.TrimSpace(a.GetMarkdownDescription()) == "" {
				t.Errorf("%s%s has no MarkdownDescription", prefix, name)
			}
			if n, ok := a.(schema.ListNestedAttribute); ok {
				walk(prefix+name+".", n.NestedObject.Attributes)
			}
		}
	}
	walk("", sr.Schema.Attributes)
	// The rule table is in the page body, not the description (which becomes the page's front matter).
	page, err := os.ReadFile(filepath.Join("..", "..", "templates", "data-sources", "audit_policy.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "| 10 | Every other request") {
		t.Error("the data source's documentation template lacks the rule table")
	}
	if strings.Contains(sr.Schema.MarkdownDescription, "|") {
		t.Error("the data source description holds a table: it belongs in templates/data-sources/audit_policy.md.tmpl")
	}
}

// auditConfig builds a configuration value for the data source from the attributes set.
func auditConfig(t *testing.T, set map[string]tftypes.Value) (schema.Schema, tftypes.Value) {
	t.Helper()
	ctx := t.Context()
	var sr datasource.SchemaResponse
	NewAuditPolicyDataSource().Schema(ctx, datasource.SchemaRequest{}, &sr)
	vals := map[string]tftypes.Value{}
	for name, a := range sr.Schema.Attributes {
		vals[name] = tftypes.NewValue(a.GetType().TerraformType(ctx), nil)
	}
	for k, v := range set {
		vals[k] = v
	}
	return sr.Schema, tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), vals)
}

// auditTypes are the terraform types of an extra rule and of a resource selector.
func auditTypes(t *testing.T) (rule, selector tftypes.Object) {
	t.Helper()
	var sr datasource.SchemaResponse
	NewAuditPolicyDataSource().Schema(t.Context(), datasource.SchemaRequest{}, &sr)
	rules, ok1 := sr.Schema.Attributes["extra_rules"].GetType().TerraformType(t.Context()).(tftypes.List)
	rule, ok2 := rules.ElementType.(tftypes.Object)
	selectors, ok3 := rule.AttributeTypes["resources"].(tftypes.List)
	selector, ok4 := selectors.ElementType.(tftypes.Object)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		t.Fatal("unexpected schema types for extra_rules")
	}
	return rule, selector
}

func tfObject(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for k, v := range set {
		vals[k] = v
	}
	return tftypes.NewValue(typ, vals)
}

func tfStrings(vals ...any) tftypes.Value {
	out := make([]tftypes.Value, len(vals))
	for i, v := range vals {
		if tv, ok := v.(tftypes.Value); ok {
			out[i] = tv
		} else {
			out[i] = tftypes.NewValue(tftypes.String, v)
		}
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, out)
}

func readAuditPolicy(t *testing.T, set map[string]tftypes.Value) (*datasource.ReadResponse, auditPolicyModel) {
	t.Helper()
	ctx := t.Context()
	sch, raw := auditConfig(t, set)
	resp := &datasource.ReadResponse{State: tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}}
	NewAuditPolicyDataSource().Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: sch, Raw: raw}}, resp)
	var m auditPolicyModel
	if !resp.Diagnostics.HasError() {
		if d := resp.State.Get(ctx, &m); d.HasError() {
			t.Fatal(d)
		}
	}
	return resp, m
}

func TestAuditPolicyDataSource_readDefaults(t *testing.T) {
	resp, m := readAuditPolicy(t, nil)
	if resp.Diagnostics.HasError() || len(resp.Diagnostics) > 0 {
		t.Fatal(diagTexts(resp.Diagnostics))
	}
	want, pol, err := audit.Render(audit.Params{Profile: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	resp.Diagnostics.Append(m.OmitStages.ElementsAs(t.Context(), &stages, false)...)
	if m.YAML.ValueString() != want || m.Profile.ValueString() != "standard" || m.RulesCount.ValueInt64() != int64(len(pol.Rules)) ||
		strings.Join(stages, ",") != "RequestReceived" || len(m.ID.ValueString()) != 64 {
		t.Errorf("profile %s, rules_count %s, omit_stages %v, id %s, yaml:\n%s", m.Profile, m.RulesCount, stages, m.ID, m.YAML.ValueString())
	}
	// omit_stages = [] omits nothing and stays an empty list.
	resp, m = readAuditPolicy(t, map[string]tftypes.Value{"omit_stages": tfStrings()})
	if resp.Diagnostics.HasError() || len(m.OmitStages.Elements()) != 0 || m.OmitStages.IsNull() || strings.Contains(m.YAML.ValueString(), "omitStages") {
		t.Errorf("omit_stages = []: %s %s", m.OmitStages, diagTexts(resp.Diagnostics))
	}
}

// Warnings are only visible to a direct call: the test framework does not show them.
func TestAuditPolicyDataSource_warnings(t *testing.T) {
	ruleT, selT := auditTypes(t)
	rules := tftypes.NewValue(tftypes.List{ElementType: ruleT}, []tftypes.Value{
		tfObject(ruleT, map[string]tftypes.Value{"level": tfString("None"), "resources": tftypes.NewValue(tftypes.List{ElementType: selT},
			[]tftypes.Value{tfObject(selT, map[string]tftypes.Value{"resources": tfStrings("secrets")})})}),
		tfObject(ruleT, map[string]tftypes.Value{"level": tfString("Request")}),
	})
	resp, m := readAuditPolicy(t, map[string]tftypes.Value{"profile": tfString("minimal"), "extra_rules": rules})
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 2 {
		t.Fatalf("want two warnings, got:\n%s", diagTexts(resp.Diagnostics))
	}
	texts := diagTexts(resp.Diagnostics)
	for _, want := range []string{"Level None has no effect on secrets", "level Request applies to all of them"} {
		if !strings.Contains(texts, want) {
			t.Errorf("no warning %q in:\n%s", want, texts)
		}
	}
	if m.RulesCount.ValueInt64() != 12 {
		t.Errorf("rules_count %d, want 12", m.RulesCount.ValueInt64())
	}
}

// At validate time values may be unknown: they are judged later, never reported as empty.
func TestAuditPolicyDataSource_validateUnknown(t *testing.T) {
	ctx := t.Context()
	ruleT, selT := auditTypes(t)
	unknownStr := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	rules := tftypes.NewValue(tftypes.List{ElementType: ruleT}, []tftypes.Value{
		tfObject(ruleT, map[string]tftypes.Value{"level": unknownStr, "users": tfStrings(unknownStr, "bot"),
			"resources": tftypes.NewValue(tftypes.List{ElementType: selT}, []tftypes.Value{
				tfObject(selT, map[string]tftypes.Value{"group": unknownStr, "resources": tfStrings("secrets", unknownStr)}),
			})}),
		tftypes.NewValue(ruleT, tftypes.UnknownValue),
		// Known and wrong: still reported, next to the unknown values.
		tfObject(ruleT, map[string]tftypes.Value{"level": tfString("RequestResponse"), "verbs": tfStrings(unknownStr, "bind"),
			"resources": tftypes.NewValue(tftypes.List{ElementType: selT}, []tftypes.Value{
				tfObject(selT, map[string]tftypes.Value{"resources": tfStrings(unknownStr, "configmaps")}),
			})}),
	})
	sch, raw := auditConfig(t, map[string]tftypes.Value{
		"profile": unknownStr, "extra_rules": rules,
		"omit_stages": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue),
	})
	resp := &datasource.ValidateConfigResponse{}
	(&AuditPolicyDataSource{}).ValidateConfig(ctx, datasource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sch, Raw: raw}}, resp)
	var paths []string
	for _, d := range resp.Diagnostics {
		if pd, ok := d.(interface{ Path() path.Path }); ok {
			paths = append(paths, pd.Path().String())
		}
	}
	want := "extra_rules[2].verbs[1] extra_rules[2].resources[0].resources[1]"
	if strings.Join(paths, " ") != want || resp.Diagnostics.ErrorsCount() != 2 {
		t.Errorf("errors at %v, want %s:\n%s", paths, want, diagTexts(resp.Diagnostics))
	}
}
