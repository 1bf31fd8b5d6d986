package audit

import (
	"errors"
	"fmt"
	"strings"
)

// The profiles.
const (
	ProfileMinimal  = "minimal"
	ProfileStandard = "standard"
	ProfileVerbose  = "verbose"
	DefaultProfile  = ProfileStandard
)

// Profiles lists the profiles, least logging first.
var Profiles = []string{ProfileMinimal, ProfileStandard, ProfileVerbose}

// DefaultOmitStages is used when Params.OmitStages is nil: RequestReceived repeats what
// ResponseComplete records moments later, for every request.
var DefaultOmitStages = []Stage{StageRequestReceived}

// WriteVerbs are the request verbs that change objects.
var WriteVerbs = []string{"create", "update", "patch", "delete", "deletecollection"}

// ResourceVerbs are the verbs kube-apiserver gives requests for API resources; NonResourceVerbs
// those of other paths (/healthz, /version, discovery): the lower-case HTTP method. Audit rules
// match these request verbs, not RBAC's authorization verbs (bind, escalate, impersonate, use).
var (
	ResourceVerbs    = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "proxy"}
	NonResourceVerbs = []string{"get", "head", "options", "post", "put", "patch", "delete"}
)

// Protected are the resources whose request and response bodies are never logged: they carry
// credentials (Secret data, ServiceAccount tokens from the TokenRequest API, the bearer tokens
// sent to TokenReview) or, for ConfigMaps, often configuration that embeds them. Every profile's
// first rule logs them at Metadata; extra rules cannot raise them.
var Protected = []GroupResources{
	{Group: "", Resources: []string{"secrets", "configmaps", "serviceaccounts/token"}},
	{Group: "authentication.k8s.io", Resources: []string{"tokenreviews"}},
}

// Audited are the resources whose changes are always logged with both bodies: who changed
// RBAC, and who changed the admission policies and webhooks that enforce everything else.
var Audited = []GroupResources{
	{Group: "rbac.authorization.k8s.io", Resources: []string{"clusterrolebindings", "clusterroles", "rolebindings", "roles"}},
	{Group: "admissionregistration.k8s.io", Resources: []string{
		"mutatingadmissionpolicies", "mutatingadmissionpolicybindings", "mutatingwebhookconfigurations",
		"validatingadmissionpolicies", "validatingadmissionpolicybindings", "validatingwebhookconfigurations",
	}},
}

// Params are the inputs of a policy; the field names in validation errors are the Terraform
// attribute names of hardened_audit_policy.
type Params struct {
	// Profile is minimal, standard or verbose (DefaultProfile); it is not defaulted here.
	Profile string
	// ExtraRules go after the two safety rules and before the profile's noise filters and catch-all.
	ExtraRules []ExtraRule
	// OmitStages are the stages never written; nil means DefaultOmitStages, empty means none.
	OmitStages []string
}

// ExtraRule is a user rule.
type ExtraRule struct {
	Level           string
	Users           []string
	UserGroups      []string
	Verbs           []string
	Namespaces      []string
	Resources       []ResourceSelector
	NonResourceURLs []string
}

// ResourceSelector selects resources of one API group; no resources means all of the group.
type ResourceSelector struct {
	Group     string
	Resources []string
}

// Build returns the policy for p, or the validation errors.
func Build(p Params) (Policy, error) {
	if errs := Validate(p); len(errs) > 0 {
		msgs := make([]error, len(errs))
		for i, e := range errs {
			msgs[i] = e
		}
		return Policy{}, errors.Join(msgs...)
	}
	pol := Policy{APIVersion: APIVersion, Kind: Kind, OmitStages: DefaultOmitStages}
	if p.OmitStages != nil {
		pol.OmitStages = make([]Stage, len(p.OmitStages))
		for i, s := range p.OmitStages {
			pol.OmitStages[i] = Stage(s)
		}
	}
	pol.Rules = append(pol.Rules, safetyRules()...)
	for i, x := range p.ExtraRules {
		pol.Rules = append(pol.Rules, x.rule(i))
	}
	pol.Rules = append(pol.Rules, noiseRules(p.Profile)...)
	pol.Rules = append(pol.Rules, catchAll(p.Profile)...)
	return pol, nil
}

// safetyRules come first in every profile, so nothing after them can change what they decide.
func safetyRules() []PolicyRule {
	return []PolicyRule{
		{
			Level:     LevelMetadata,
			Resources: cloneGroups(Protected),
			Comment: "Never log the bodies of Secrets, ConfigMaps, ServiceAccount tokens or TokenReviews: who did what, when, " +
				"but not the data. This rule is first so no later rule can raise them.",
		},
		{
			Level:     LevelRequestResponse,
			Verbs:     clone(WriteVerbs),
			Resources: cloneGroups(Audited),
			Comment: "Changes (create, update, patch, delete, deletecollection) to RBAC and to admission policies and webhooks, " +
				"with the request and response bodies.",
		},
	}
}

func (x ExtraRule) rule(i int) PolicyRule {
	r := PolicyRule{
		Level: Level(x.Level), Users: clone(x.Users), UserGroups: clone(x.UserGroups), Verbs: clone(x.Verbs),
		Namespaces: clone(x.Namespaces), NonResourceURLs: clone(x.NonResourceURLs),
		Comment: fmt.Sprintf("extra_rules[%d] from the configuration.", i),
	}
	for _, s := range x.Resources {
		r.Resources = append(r.Resources, GroupResources{Group: s.Group, Resources: clone(s.Resources)})
	}
	return r
}

// noiseRules drop requests that are frequent and say nothing about who changed what.
func noiseRules(profile string) []PolicyRule {
	rules := []PolicyRule{
		{
			Level:           LevelNone,
			NonResourceURLs: []string{"/healthz*", "/livez*", "/readyz*", "/version", "/metrics"},
			Comment:         "Health probes, version checks and metrics scrapes.",
		},
		{
			Level: LevelNone, Users: []string{"system:kube-proxy"}, Verbs: []string{"watch"},
			Comment: "kube-proxy's watches (endpoints, services) on every node.",
		},
		{
			Level: LevelNone, Users: []string{"system:apiserver", "system:kube-controller-manager", "system:kube-scheduler"},
			Verbs:     []string{"get", "list", "update"},
			Resources: []GroupResources{{Group: "coordination.k8s.io", Resources: []string{"leases"}}},
			Comment:   "Lease renewals (a get then an update, every few seconds) of API server identity and leader election.",
		},
		{
			Level: LevelNone, UserGroups: []string{"system:nodes"}, Verbs: []string{"get", "update"},
			Namespaces: []string{"kube-node-lease"},
			Resources:  []GroupResources{{Group: "coordination.k8s.io", Resources: []string{"leases"}}},
			Comment:    "Kubelet heartbeats (node leases).",
		},
	}
	events := []GroupResources{{Group: "", Resources: []string{"events"}}, {Group: "events.k8s.io", Resources: []string{"events"}}}
	if profile == ProfileVerbose {
		return append(rules, PolicyRule{
			Level: LevelMetadata, Resources: events,
			Comment: "Events: who wrote them, not their bodies (they are readable as Events anyway).",
		})
	}
	return append(rules,
		PolicyRule{Level: LevelNone, Resources: events, Comment: "Events: written by controllers all the time, readable as Events anyway."},
		PolicyRule{Level: LevelNone, Verbs: []string{"watch"}, Comment: "Watches: long-running reads by controllers and informers."},
	)
}

// catchAll decides everything no earlier rule matched.
func catchAll(profile string) []PolicyRule {
	switch profile {
	case ProfileMinimal:
		return []PolicyRule{
			{Level: LevelMetadata, Verbs: clone(WriteVerbs), Comment: "Catch-all (minimal): every other change, without bodies."},
			{Level: LevelNone, Comment: "Catch-all (minimal): reads are not logged."},
		}
	case ProfileVerbose:
		return []PolicyRule{
			{Level: LevelRequest, Verbs: clone(WriteVerbs), Comment: "Catch-all (verbose): every other change, with the request body."},
			{Level: LevelMetadata, Comment: "Catch-all (verbose): every read, without bodies."},
		}
	default:
		return []PolicyRule{{Level: LevelMetadata, Comment: "Catch-all (standard): every other request, without bodies."}}
	}
}

// Describe is a one-line summary of a rule, for documentation and test failures.
func (r PolicyRule) Describe() string {
	var parts []string
	add := func(name string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, name+"="+strings.Join(vals, ","))
		}
	}
	add("users", r.Users)
	add("groups", r.UserGroups)
	add("verbs", r.Verbs)
	add("namespaces", r.Namespaces)
	for _, gr := range r.Resources {
		g := gr.Group
		if g == "" {
			g = "core"
		}
		res := "*"
		if len(gr.Resources) > 0 {
			res = strings.Join(gr.Resources, ",")
		}
		parts = append(parts, g+":"+res)
	}
	add("urls", r.NonResourceURLs)
	if len(parts) == 0 {
		parts = append(parts, "everything")
	}
	return string(r.Level) + " " + strings.Join(parts, " ")
}

func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}

func cloneGroups(gs []GroupResources) []GroupResources {
	out := make([]GroupResources, len(gs))
	for i, g := range gs {
		out[i] = GroupResources{Group: g.Group, Resources: clone(g.Resources), ResourceNames: clone(g.ResourceNames)}
	}
	return out
}
