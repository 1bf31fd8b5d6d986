package audit

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

func TestValidate(t *testing.T) {
	rule := func(x ExtraRule) Params {
		return Params{Profile: "standard", ExtraRules: []ExtraRule{{Level: "Metadata"}, x}}
	}
	res := func(group string, r ...string) []ResourceSelector {
		return []ResourceSelector{{Group: "apps", Resources: []string{"deployments"}}, {Group: group, Resources: r}}
	}
	cases := []struct {
		name string
		in   Params
		path []any  // nil: valid
		want string // in the message
	}{
		{"defaults", Params{Profile: "standard"}, nil, ""},
		{"minimal", Params{Profile: "minimal"}, nil, ""},
		{"verbose with everything", Params{Profile: "verbose", OmitStages: []string{"RequestReceived", "Panic"}, ExtraRules: []ExtraRule{
			{Level: "RequestResponse", Users: []string{"alice"}, UserGroups: []string{"devs"}, Verbs: []string{"create", "proxy"},
				Namespaces: []string{"payments"}, Resources: []ResourceSelector{{Group: "apps", Resources: []string{"deployments", "deployments/scale", "*/status", "pods/*"}}, {Group: "*"}, {}}},
			{Level: "None", NonResourceURLs: []string{"/apis*", "*", "/openapi/v3"}, Verbs: []string{"get", "head", "options", "post"}},
			{Level: "Request", Resources: []ResourceSelector{{Group: "", Resources: []string{"*", "pods", "services/proxy"}}}},
			{Level: "Metadata", Resources: []ResourceSelector{{Group: "", Resources: []string{"secrets"}}}},
			{Level: "None", Resources: []ResourceSelector{{Group: "", Resources: []string{"configmaps"}}}},
		}}, nil, ""},
		{"no omitted stage", Params{Profile: "standard", OmitStages: []string{}}, nil, ""},

		{"empty profile", Params{}, []any{"profile"}, "must not be empty. Valid profiles: minimal, standard, verbose"},
		{"unknown profile", Params{Profile: "paranoid"}, []any{"profile"}, `"paranoid" is not a profile. Valid profiles: minimal, standard, verbose.`},
		{"profile case", Params{Profile: "Verbose"}, []any{"profile"}, `"Verbose" is not a profile`},

		{"empty stage", Params{Profile: "standard", OmitStages: []string{"Panic", ""}}, []any{"omit_stages", 1}, "must not be empty. Valid stages: RequestReceived, ResponseStarted, ResponseComplete, Panic."},
		{"unknown stage", Params{Profile: "standard", OmitStages: []string{"ResponseSent"}}, []any{"omit_stages", 0}, `"ResponseSent" is not an audit stage. Valid stages: RequestReceived`},
		{"stage case", Params{Profile: "standard", OmitStages: []string{"requestreceived"}}, []any{"omit_stages", 0}, "did you mean RequestReceived? names are case-sensitive"},
		{"stage twice", Params{Profile: "standard", OmitStages: []string{"Panic", "Panic"}}, []any{"omit_stages", 1}, `"Panic" is listed twice`},

		{"empty level", rule(ExtraRule{}), []any{"extra_rules", 1, "level"}, "must not be empty. Valid levels: None, Metadata, Request, RequestResponse."},
		{"unknown level", rule(ExtraRule{Level: "Full"}), []any{"extra_rules", 1, "level"}, `"Full" is not an audit level. Valid levels: None, Metadata, Request, RequestResponse.`},
		{"level case", rule(ExtraRule{Level: "metadata"}), []any{"extra_rules", 1, "level"}, "did you mean Metadata?"},

		{"empty user", rule(ExtraRule{Level: "None", Users: []string{"alice", ""}}), []any{"extra_rules", 1, "users", 1}, "must not be empty: give a user name, or leave users unset"},
		{"spaced user", rule(ExtraRule{Level: "None", Users: []string{" alice"}}), []any{"extra_rules", 1, "users", 0}, "leading or trailing spaces"},
		{"empty group", rule(ExtraRule{Level: "None", UserGroups: []string{""}}), []any{"extra_rules", 1, "user_groups", 0}, "leave user_groups unset to match every group"},

		{"empty verb", rule(ExtraRule{Level: "None", Verbs: []string{""}}), []any{"extra_rules", 1, "verbs", 0}, "leave verbs unset to match every verb"},
		{"verb wildcard", rule(ExtraRule{Level: "None", Verbs: []string{"*"}}), []any{"extra_rules", 1, "verbs", 0}, "no verb wildcard"},
		{"rbac verb", rule(ExtraRule{Level: "None", Verbs: []string{"get", "escalate"}}), []any{"extra_rules", 1, "verbs", 1}, `"escalate" is an RBAC authorization verb`},
		{"unknown verb", rule(ExtraRule{Level: "None", Verbs: []string{"read"}}), []any{"extra_rules", 1, "verbs", 0},
			`"read" is not a request verb. Valid verbs: get, list, watch, create, update, patch, delete, deletecollection, proxy for API resources; get, head, options, post, put, patch, delete for other paths`},
		{"verb case", rule(ExtraRule{Level: "None", Verbs: []string{"GET"}}), []any{"extra_rules", 1, "verbs", 0}, "did you mean get?"},

		{"empty namespace", rule(ExtraRule{Level: "None", Namespaces: []string{""}}), []any{"extra_rules", 1, "namespaces", 0}, "leave namespaces unset"},
		{"bad namespace", rule(ExtraRule{Level: "None", Namespaces: []string{"Kube_System"}}), []any{"extra_rules", 1, "namespaces", 0}, `"Kube_System" is not a namespace name`},

		{"group with version", rule(ExtraRule{Level: "None", Resources: res("apps/v1", "deployments")}), []any{"extra_rules", 1, "resources", 1, "group"}, `"apps/v1" is not an API group name`},
		{"empty resource", rule(ExtraRule{Level: "None", Resources: res("", "")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, "leave resources unset to match every resource of the group"},
		{"kind not resource", rule(ExtraRule{Level: "None", Resources: res("apps", "Deployment")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, `"Deployment" is not a resource. Use the lower-case plural`},
		{"star star", rule(ExtraRule{Level: "None", Resources: res("apps", "*/*")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, `"*/*" is not a resource`},

		{"request secrets", rule(ExtraRule{Level: "Request", Resources: res("", "pods", "secrets")}), []any{"extra_rules", 1, "resources", 1, "resources", 1},
			`"secrets" with level Request asks to log the bodies of secrets, which carry credentials`},
		{"requestresponse configmaps", rule(ExtraRule{Level: "RequestResponse", Resources: res("", "configmaps")}), []any{"extra_rules", 1, "resources", 1, "resources", 0},
			"Every profile's first rule logs secrets, configmaps, serviceaccounts/token, tokenreviews at Metadata"},
		{"tokenreviews", rule(ExtraRule{Level: "RequestResponse", Resources: res("authentication.k8s.io", "tokenreviews")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, "bodies of tokenreviews"},
		{"any group secrets", rule(ExtraRule{Level: "Request", Resources: res("*", "secrets")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, "bodies of secrets"},
		{"secrets subresources", rule(ExtraRule{Level: "Request", Resources: res("", "secrets/*")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, "bodies of secrets"},
		{"token subresource", rule(ExtraRule{Level: "RequestResponse", Resources: res("", "*/token")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, "bodies of serviceaccounts/token"},
		{"serviceaccount subresources", rule(ExtraRule{Level: "RequestResponse", Resources: res("", "serviceaccounts/*")}), []any{"extra_rules", 1, "resources", 1, "resources", 0}, "bodies of serviceaccounts/token"},

		{"empty url", rule(ExtraRule{Level: "None", NonResourceURLs: []string{""}}), []any{"extra_rules", 1, "non_resource_urls", 0}, "must not be empty"},
		{"relative url", rule(ExtraRule{Level: "None", NonResourceURLs: []string{"healthz"}}), []any{"extra_rules", 1, "non_resource_urls", 0}, `must begin with "/"`},
		{"inner wildcard", rule(ExtraRule{Level: "None", NonResourceURLs: []string{"/apis/*/v1"}}), []any{"extra_rules", 1, "non_resource_urls", 0}, "wildcard may only be the last character"},
		{"urls and resources", rule(ExtraRule{Level: "None", NonResourceURLs: []string{"/healthz"}, Namespaces: []string{"default"}}), []any{"extra_rules", 1, "non_resource_urls"}, "split it into two rules"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			errs := Validate(c.in)
			_, buildErr := Build(c.in)
			if c.path == nil {
				if len(errs) > 0 || buildErr != nil {
					t.Fatalf("want valid, got %v / %v", errs, buildErr)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("want exactly one error at %v, got %d: %v", c.path, len(errs), errs)
			}
			if !reflect.DeepEqual(errs[0].Path, c.path) || !strings.Contains(errs[0].Msg, c.want) {
				t.Errorf("got %v\nwant at %v a message containing %q", errs[0], c.path, c.want)
			}
			if buildErr == nil || !strings.Contains(buildErr.Error(), c.want) {
				t.Errorf("Build: got %v, want the validation error", buildErr)
			}
		})
	}
}

func TestFieldErrorString(t *testing.T) {
	e := fielderr.Error{Path: []any{"extra_rules", 2, "resources", 0, "resources", 1}, Msg: "bad"}
	if got := e.Error(); got != "extra_rules[2].resources[0].resources[1]: bad" {
		t.Errorf("got %q", got)
	}
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name  string
		in    Params
		paths []string
		want  string
	}{
		{"none", Params{Profile: "standard", ExtraRules: []ExtraRule{{Level: "None", Users: []string{"bot"}}}}, nil, ""},
		{"catch-all extra", Params{Profile: "standard", ExtraRules: []ExtraRule{{Level: "None", Users: []string{"bot"}}, {Level: "Request"}}},
			[]string{"[extra_rules 1]"}, "level Request applies to all of them, and the profile's noise filters and catch-all never apply"},
		{"none on secrets", Params{Profile: "standard", ExtraRules: []ExtraRule{{Level: "None", Resources: []ResourceSelector{{Resources: []string{"pods", "secrets"}}}}}},
			[]string{"[extra_rules 0 resources 0 resources 1]"}, "Level None has no effect on secrets"},
		{"omit ResponseComplete", Params{Profile: "standard", OmitStages: []string{"RequestReceived", "ResponseComplete"}},
			[]string{"[omit_stages 1]"}, "misses nearly every request"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws := Warnings(c.in)
			var paths []string
			for _, w := range ws {
				paths = append(paths, fmt.Sprint(w.Path))
				if !strings.Contains(w.Msg, c.want) {
					t.Errorf("warning %v does not contain %q", w, c.want)
				}
			}
			if !reflect.DeepEqual(paths, c.paths) {
				t.Errorf("warnings at %v, want %v (%v)", paths, c.paths, ws)
			}
		})
	}
}
