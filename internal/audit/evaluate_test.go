package audit

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// tRequest is what kube-apiserver's policy checker sees of a request.
type tRequest struct {
	user        string
	groups      []string
	verb        string
	resource    bool // a request for an API resource (otherwise a path such as /healthz)
	group       string
	res, sub    string
	namespace   string
	name        string
	path        string
	description string
}

func (r tRequest) String() string {
	if r.description != "" {
		return r.description
	}
	if !r.resource {
		return r.verb + " " + r.path
	}
	res := r.res
	if r.sub != "" {
		res += "/" + r.sub
	}
	return fmt.Sprintf("%s %s %s.%s ns=%q", r.user, r.verb, r.group, res, r.namespace)
}

// tEvaluate mirrors k8s.io/apiserver/pkg/audit/policy/checker.go (v0.37.2): the first matching
// rule decides; no match means None.
func tEvaluate(p Policy, r tRequest) (Level, int) {
	for i, rule := range p.Rules {
		if tRuleMatches(rule, r) {
			return rule.Level, i
		}
	}
	return LevelNone, -1
}

func tRuleMatches(rule PolicyRule, r tRequest) bool {
	if len(rule.Users) > 0 && !slices.Contains(rule.Users, r.user) {
		return false
	}
	if len(rule.UserGroups) > 0 && !slices.ContainsFunc(r.groups, func(g string) bool { return slices.Contains(rule.UserGroups, g) }) {
		return false
	}
	if len(rule.Verbs) > 0 && !slices.Contains(rule.Verbs, r.verb) {
		return false
	}
	if len(rule.Namespaces) > 0 || len(rule.Resources) > 0 {
		if !r.resource {
			return false
		}
		if len(rule.Namespaces) > 0 && !slices.Contains(rule.Namespaces, r.namespace) {
			return false
		}
		if len(rule.Resources) == 0 {
			return true
		}
		combined := r.res
		if r.sub != "" {
			combined += "/" + r.sub
		}
		for _, gr := range rule.Resources {
			if gr.Group != r.group && gr.Group != "*" {
				continue
			}
			if len(gr.Resources) == 0 {
				return true
			}
			for _, res := range gr.Resources {
				if len(gr.ResourceNames) > 0 && !slices.Contains(gr.ResourceNames, r.name) {
					continue
				}
				if res == combined || res == "*" ||
					(r.sub != "" && strings.HasPrefix(res, "*/") && r.sub == strings.TrimPrefix(res, "*/")) ||
					(strings.HasSuffix(res, "/*") && r.res == strings.TrimSuffix(res, "/*")) {
					return true
				}
			}
		}
		return false
	}
	if len(rule.NonResourceURLs) > 0 {
		if r.resource {
			return false
		}
		for _, spec := range rule.NonResourceURLs {
			if spec == "*" || spec == r.path || (strings.HasSuffix(spec, "*") && strings.HasPrefix(r.path, strings.TrimRight(spec, "*"))) {
				return true
			}
		}
		return false
	}
	return true
}

func tBuild(t *testing.T, p Params) Policy {
	t.Helper()
	pol, err := Build(p)
	if err != nil {
		t.Fatalf("Build(%+v): %v", p, err)
	}
	return pol
}

func admin(verb, group, res, ns, name string) tRequest {
	return tRequest{user: "alice", groups: []string{"system:masters", "system:authenticated"}, verb: verb, resource: true,
		group: group, res: res, namespace: ns, name: name}
}

func sub(r tRequest, s string) tRequest { r.sub = s; return r }

func as(r tRequest, user string, groups ...string) tRequest {
	r.user, r.groups = user, groups
	return r
}

func nonResourceGet(path string) tRequest {
	return tRequest{user: "alice", groups: []string{"system:authenticated"}, verb: "get", path: path}
}

// The level each profile gives typical requests: the rule table, checked by behaviour.
func TestProfileLevels(t *testing.T) {
	const N, M, Q, RR = LevelNone, LevelMetadata, LevelRequest, LevelRequestResponse
	cases := []struct {
		req                        tRequest
		minimal, standard, verbose Level
	}{
		// 1. Credentials: Metadata whatever the verb, in every profile.
		{admin("create", "", "secrets", "default", "db"), M, M, M},
		{admin("get", "", "secrets", "default", "db"), M, M, M},
		{admin("list", "", "secrets", "default", ""), M, M, M},
		{admin("watch", "", "secrets", "", ""), M, M, M},
		{admin("patch", "", "configmaps", "default", "app"), M, M, M},
		{admin("delete", "", "configmaps", "default", "app"), M, M, M},
		{sub(admin("create", "", "serviceaccounts", "default", "builder"), "token"), M, M, M},
		{admin("create", "authentication.k8s.io", "tokenreviews", "", ""), M, M, M},
		// 2. RBAC and admission changes: both bodies; reads fall through to the catch-all.
		{admin("patch", "rbac.authorization.k8s.io", "rolebindings", "default", "x"), RR, RR, RR},
		{admin("create", "rbac.authorization.k8s.io", "clusterrolebindings", "", "x"), RR, RR, RR},
		{admin("delete", "rbac.authorization.k8s.io", "roles", "default", "x"), RR, RR, RR},
		{admin("update", "rbac.authorization.k8s.io", "clusterroles", "", "x"), RR, RR, RR},
		{admin("deletecollection", "rbac.authorization.k8s.io", "rolebindings", "default", ""), RR, RR, RR},
		{admin("create", "admissionregistration.k8s.io", "validatingadmissionpolicies", "", "x"), RR, RR, RR},
		{admin("patch", "admissionregistration.k8s.io", "validatingadmissionpolicybindings", "", "x"), RR, RR, RR},
		{admin("update", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "x"), RR, RR, RR},
		{admin("delete", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "x"), RR, RR, RR},
		{admin("get", "rbac.authorization.k8s.io", "rolebindings", "default", "x"), N, M, M},
		{admin("list", "admissionregistration.k8s.io", "validatingwebhookconfigurations", "", ""), N, M, M},
		// 3. Noise.
		{nonResourceGet("/healthz"), N, N, N},
		{nonResourceGet("/healthz/etcd"), N, N, N},
		{nonResourceGet("/readyz"), N, N, N},
		{nonResourceGet("/livez/ping"), N, N, N},
		{nonResourceGet("/version"), N, N, N},
		{nonResourceGet("/metrics"), N, N, N},
		{as(admin("watch", "discovery.k8s.io", "endpointslices", "", ""), "system:kube-proxy", "system:authenticated"), N, N, N},
		{as(admin("watch", "", "services", "", ""), "system:kube-proxy", "system:authenticated"), N, N, N},
		{as(admin("update", "coordination.k8s.io", "leases", "kube-system", "kube-controller-manager"), "system:kube-controller-manager"), N, N, N},
		{as(admin("get", "coordination.k8s.io", "leases", "kube-system", "kube-controller-manager"), "system:kube-controller-manager"), N, N, N},
		{as(admin("update", "coordination.k8s.io", "leases", "kube-system", "apiserver-x"), "system:apiserver", "system:masters"), N, N, N},
		{as(admin("update", "coordination.k8s.io", "leases", "kube-node-lease", "node-1"), "system:node:node-1", "system:nodes"), N, N, N},
		{admin("create", "", "events", "default", ""), N, N, M},
		{admin("patch", "events.k8s.io", "events", "default", "e"), N, N, M},
		{admin("watch", "", "pods", "", ""), N, N, M},
		{admin("watch", "apps", "deployments", "default", ""), N, N, M},
		// Somebody else's lease change is not noise.
		{admin("update", "coordination.k8s.io", "leases", "kube-system", "kube-controller-manager"), M, M, Q},
		// 4. Catch-all.
		{admin("create", "", "pods", "default", "p"), M, M, Q},
		{admin("delete", "apps", "deployments", "default", "d"), M, M, Q},
		{admin("deletecollection", "", "pods", "default", ""), M, M, Q},
		{admin("get", "", "pods", "default", "p"), N, M, M},
		{admin("list", "", "namespaces", "", ""), N, M, M},
		{sub(admin("create", "", "pods", "default", "p"), "exec"), M, M, Q},
		{nonResourceGet("/apis"), N, M, M},
	}
	for _, profile := range Profiles {
		pol := tBuild(t, Params{Profile: profile})
		for _, c := range cases {
			want := map[string]Level{ProfileMinimal: c.minimal, ProfileStandard: c.standard, ProfileVerbose: c.verbose}[profile]
			if got, i := tEvaluate(pol, c.req); got != want {
				rule := "no rule"
				if i >= 0 {
					rule = fmt.Sprintf("rule %d (%s)", i+1, pol.Rules[i].Describe())
				}
				t.Errorf("%s: %s: got %s from %s, want %s", profile, c.req, got, rule, want)
			}
		}
	}
}

// The rule table of each profile, in order: what the documentation and the report describe.
func TestProfileRuleTables(t *testing.T) {
	safety := []string{
		"Metadata core:secrets,configmaps,serviceaccounts/token authentication.k8s.io:tokenreviews",
		"RequestResponse verbs=create,update,patch,delete,deletecollection rbac.authorization.k8s.io:clusterrolebindings,clusterroles,rolebindings,roles " +
			"admissionregistration.k8s.io:mutatingadmissionpolicies,mutatingadmissionpolicybindings,mutatingwebhookconfigurations," +
			"validatingadmissionpolicies,validatingadmissionpolicybindings,validatingwebhookconfigurations",
	}
	noise := []string{
		"None urls=/healthz*,/livez*,/readyz*,/version,/metrics",
		"None users=system:kube-proxy verbs=watch",
		"None users=system:apiserver,system:kube-controller-manager,system:kube-scheduler verbs=get,list,update coordination.k8s.io:leases",
		"None groups=system:nodes verbs=get,update namespaces=kube-node-lease coordination.k8s.io:leases",
	}
	cat := func(parts ...[]string) []string { return slices.Concat(parts...) }
	want := map[string][]string{
		ProfileMinimal: cat(safety, noise, []string{
			"None core:events events.k8s.io:events",
			"None verbs=watch",
			"Metadata verbs=create,update,patch,delete,deletecollection",
			"None everything",
		}),
		ProfileStandard: cat(safety, noise, []string{
			"None core:events events.k8s.io:events",
			"None verbs=watch",
			"Metadata everything",
		}),
		ProfileVerbose: cat(safety, noise, []string{
			"Metadata core:events events.k8s.io:events",
			"Request verbs=create,update,patch,delete,deletecollection",
			"Metadata everything",
		}),
	}
	for _, profile := range Profiles {
		pol := tBuild(t, Params{Profile: profile})
		var got []string
		for _, r := range pol.Rules {
			got = append(got, r.Describe())
		}
		if !slices.Equal(got, want[profile]) {
			t.Errorf("%s rules:\n  got  %s\n  want %s", profile, strings.Join(got, "\n       "), strings.Join(want[profile], "\n       "))
		}
		if pol.APIVersion != "audit.k8s.io/v1" || pol.Kind != "Policy" || !slices.Equal(pol.OmitStages, []Stage{StageRequestReceived}) {
			t.Errorf("%s: header %s %s omitStages %v", profile, pol.APIVersion, pol.Kind, pol.OmitStages)
		}
		for i, r := range pol.Rules {
			if r.Comment == "" {
				t.Errorf("%s: rule %d has no comment", profile, i+1)
			}
		}
	}
}

// hostileExtras are valid extra rules that try to log as much as possible.
var hostileExtras = []ExtraRule{
	{Level: "RequestResponse", Resources: []ResourceSelector{{Group: "", Resources: []string{"*"}}}},
	{Level: "RequestResponse", Resources: []ResourceSelector{{Group: "*"}}},
	{Level: "RequestResponse", Namespaces: []string{"default", "kube-system"}},
	{Level: "RequestResponse", Users: []string{"alice"}},
	{Level: "RequestResponse"},
}

// Whatever the profile and the extra rules, credentials are logged at Metadata: the protection
// rule is first, and nothing can be put before it.
func TestProtectedResourcesAlwaysMetadata(t *testing.T) {
	extras := [][]ExtraRule{nil, hostileExtras, {{Level: "None", Users: []string{"alice"}}}}
	for _, profile := range Profiles {
		for n, ex := range extras {
			pol := tBuild(t, Params{Profile: profile, ExtraRules: ex})
			if got := pol.Rules[0].Describe(); got != safetyRules()[0].Describe() {
				t.Fatalf("%s extras #%d: the first rule is %q, not the protection rule", profile, n, got)
			}
			for _, gr := range Protected {
				for _, p := range gr.Resources {
					res, s, _ := strings.Cut(p, "/")
					for _, verb := range ResourceVerbs {
						for _, ns := range []string{"", "default", "kube-system"} {
							r := sub(admin(verb, gr.Group, res, ns, "x"), s)
							if got, i := tEvaluate(pol, r); got != LevelMetadata || i != 0 {
								t.Errorf("%s extras #%d: %s: got %s from rule %d, want Metadata from rule 1", profile, n, r, got, i+1)
							}
						}
					}
				}
			}
			// RBAC changes keep both bodies even under an extra rule that would lower them.
			lowered := tBuild(t, Params{Profile: profile, ExtraRules: []ExtraRule{{Level: "None", Resources: []ResourceSelector{{Group: "*"}}}}})
			if got, _ := tEvaluate(lowered, admin("patch", "rbac.authorization.k8s.io", "rolebindings", "default", "x")); got != LevelRequestResponse {
				t.Errorf("%s: an extra None rule lowered an RBAC change to %s", profile, got)
			}
		}
	}
}

// Extra rules sit after the two safety rules and before the noise filters and the catch-all.
func TestExtraRulesOrder(t *testing.T) {
	extras := []ExtraRule{
		{Level: "RequestResponse", Namespaces: []string{"payments"}, Resources: []ResourceSelector{{Group: "apps", Resources: []string{"deployments"}}}},
		{Level: "None", Users: []string{"system:serviceaccount:monitoring:prometheus"}},
		{Level: "Request", NonResourceURLs: []string{"/healthz*"}},
	}
	for _, profile := range Profiles {
		plain := tBuild(t, Params{Profile: profile})
		pol := tBuild(t, Params{Profile: profile, ExtraRules: extras})
		if len(pol.Rules) != len(plain.Rules)+len(extras) {
			t.Fatalf("%s: %d rules, want %d", profile, len(pol.Rules), len(plain.Rules)+len(extras))
		}
		for i := range extras {
			if got, want := pol.Rules[2+i].Describe(), extras[i].rule(i).Describe(); got != want {
				t.Errorf("%s: rule %d is %q, want extra_rules[%d] %q", profile, 3+i, got, i, want)
			}
		}
		for i := 2; i < len(plain.Rules); i++ {
			if got, want := pol.Rules[len(extras)+i].Describe(), plain.Rules[i].Describe(); got != want {
				t.Errorf("%s: rule %d is %q, want %q", profile, len(extras)+i+1, got, want)
			}
		}
		// The extra rules decide before the noise filters and the catch-all do...
		for _, c := range []struct {
			req  tRequest
			want Level
		}{
			{admin("get", "apps", "deployments", "payments", "api"), LevelRequestResponse},
			{admin("watch", "apps", "deployments", "payments", ""), LevelRequestResponse},
			{as(admin("create", "", "pods", "default", "p"), "system:serviceaccount:monitoring:prometheus"), LevelNone},
			{nonResourceGet("/healthz"), LevelRequest},
			// ...but not before the safety rules.
			{as(admin("get", "", "secrets", "default", "s"), "system:serviceaccount:monitoring:prometheus"), LevelMetadata},
			{as(admin("patch", "rbac.authorization.k8s.io", "roles", "default", "r"), "system:serviceaccount:monitoring:prometheus"), LevelRequestResponse},
		} {
			if got, _ := tEvaluate(pol, c.req); got != c.want {
				t.Errorf("%s: %s: got %s, want %s", profile, c.req, got, c.want)
			}
		}
	}
}

func TestRulesCountAndOmitStages(t *testing.T) {
	for profile, n := range map[string]int{ProfileMinimal: 10, ProfileStandard: 9, ProfileVerbose: 9} {
		if got := len(tBuild(t, Params{Profile: profile}).Rules); got != n {
			t.Errorf("%s: %d rules, want %d", profile, got, n)
		}
	}
	cases := []struct {
		in   []string
		want []Stage
	}{
		{nil, []Stage{StageRequestReceived}},
		{[]string{}, []Stage{}},
		{[]string{"RequestReceived", "ResponseStarted"}, []Stage{StageRequestReceived, StageResponseStarted}},
		{[]string{"Panic"}, []Stage{StagePanic}},
	}
	for _, c := range cases {
		pol := tBuild(t, Params{Profile: "standard", OmitStages: c.in})
		if !slices.Equal(pol.OmitStages, c.want) {
			t.Errorf("omit_stages %v: got %v, want %v", c.in, pol.OmitStages, c.want)
		}
	}
	// Built policies do not share slices with the package's tables.
	pol := tBuild(t, Params{Profile: "standard"})
	pol.Rules[0].Resources[0].Resources[0] = "changed"
	pol.Rules[1].Verbs[0] = "changed"
	if Protected[0].Resources[0] != "secrets" || WriteVerbs[0] != "create" {
		t.Fatal("Build returned slices shared with Protected or WriteVerbs")
	}
}
