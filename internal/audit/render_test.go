package audit

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// update rewrites the golden files: go test ./internal/audit -run TestGolden -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var tGolden = []struct {
	name string
	p    Params
}{
	{"minimal", Params{Profile: ProfileMinimal}},
	{"standard", Params{Profile: ProfileStandard}},
	{"verbose", Params{Profile: ProfileVerbose}},
	{"standard_extra_rules", Params{Profile: ProfileStandard, OmitStages: []string{"RequestReceived", "Panic"}, ExtraRules: []ExtraRule{
		{Level: "RequestResponse", Namespaces: []string{"payments"}, Verbs: []string{"create", "update", "patch", "delete"},
			Resources: []ResourceSelector{{Group: "apps", Resources: []string{"deployments", "statefulsets"}}, {Group: "", Resources: []string{"pods/exec"}}}},
		{Level: "None", Users: []string{"system:serviceaccount:monitoring:prometheus"}, Verbs: []string{"get", "list"}},
		{Level: "Metadata", UserGroups: []string{"system:serviceaccounts:ci"}},
		{Level: "None", NonResourceURLs: []string{"/openapi/*"}},
	}}},
}

func TestGolden(t *testing.T) {
	for _, g := range tGolden {
		t.Run(g.name, func(t *testing.T) {
			got, _, err := Render(g.p)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", g.name+".yaml")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendered policy (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
			}
			if again, _, _ := Render(g.p); again != got {
				t.Error("a second rendering differs from the first")
			}
		})
	}
}

// The document parses back (strictly: no field the API does not have) into the policy that was
// built, and apart from the comments it is exactly what yaml.Marshal makes of it.
func TestRenderParsesBack(t *testing.T) {
	for _, g := range tGolden {
		t.Run(g.name, func(t *testing.T) {
			doc, built, err := Render(g.p)
			if err != nil {
				t.Fatal(err)
			}
			var parsed Policy
			if err := yaml.UnmarshalStrict([]byte(doc), &parsed); err != nil {
				t.Fatalf("the rendered YAML does not parse: %v\n%s", err, doc)
			}
			for i := range built.Rules {
				built.Rules[i].Comment = ""
			}
			if !reflect.DeepEqual(parsed, built) {
				t.Errorf("parsed policy differs from the built one:\n got  %+v\n want %+v", parsed, built)
			}
			plain, err := yaml.Marshal(built)
			if err != nil {
				t.Fatal(err)
			}
			if stripComments(doc) != string(plain) {
				t.Errorf("without comments the document differs from yaml.Marshal:\n--- got\n%s\n--- want\n%s", stripComments(doc), plain)
			}

			// Generic checks on the document as the API server reads it.
			var m map[string]any
			if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
				t.Fatal(err)
			}
			if m["apiVersion"] != "audit.k8s.io/v1" || m["kind"] != "Policy" {
				t.Errorf("apiVersion %v kind %v", m["apiVersion"], m["kind"])
			}
			rules, _ := m["rules"].([]any)
			if len(rules) != len(built.Rules) || len(rules) == 0 {
				t.Fatalf("%d rules in the document, %d built", len(rules), len(built.Rules))
			}
			first, _ := rules[0].(map[string]any)
			if first["level"] != "Metadata" || !strings.Contains(strings.Join(strings.Fields(doc), " "), "- secrets - configmaps") {
				t.Errorf("first rule is %v", first)
			}
			// The core group is written out: `group: ""`, not left to a default.
			if !strings.Contains(doc, `- group: ""`) {
				t.Error(`the core group is not rendered as group: ""`)
			}
		})
	}
}

func TestRenderOmitStages(t *testing.T) {
	doc, _, err := Render(Params{Profile: "standard", OmitStages: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(doc, "omitStages") {
		t.Errorf("omit_stages = [] should render no omitStages:\n%s", doc)
	}
	if _, _, err := Render(Params{Profile: "loud"}); err == nil || !strings.Contains(err.Error(), `profile: "loud" is not a profile`) {
		t.Errorf("invalid params: got %v", err)
	}
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(doc, "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}
