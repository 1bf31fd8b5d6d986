package audit

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// rbacOnlyVerbs are authorization verbs that never appear as the verb of a request.
var rbacOnlyVerbs = []string{"bind", "escalate", "impersonate", "use", "approve", "sign", "attest"}

var resourcePattern = regexp.MustCompile(`^(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)(/(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?))?$`)

// Validate checks every input, reporting each problem at its attribute with what would be valid.
func Validate(p Params) []fielderr.Error {
	var errs []fielderr.Error
	add := func(msg string, path ...any) { errs = append(errs, fielderr.Error{Path: path, Msg: msg}) }

	switch {
	case p.Profile == "":
		add("must not be empty. Valid profiles: "+joinNames(Profiles)+"; leave profile unset for "+DefaultProfile+".", "profile")
	case !slices.Contains(Profiles, p.Profile):
		add(fmt.Sprintf("%q is not a profile. Valid profiles: %s.", p.Profile, joinNames(Profiles)), "profile")
	}

	seen := map[string]bool{}
	for i, s := range p.OmitStages {
		switch {
		case s == "":
			add("must not be empty. Valid stages: "+joinNames(Stages)+".", "omit_stages", i)
		case !slices.Contains(Stages, Stage(s)):
			add(fmt.Sprintf("%q is not an audit stage%s. Valid stages: %s.", s, caseHint(s, Stages), joinNames(Stages)), "omit_stages", i)
		case seen[s]:
			add(fmt.Sprintf("%q is listed twice.", s), "omit_stages", i)
		}
		seen[s] = true
	}

	for i, x := range p.ExtraRules {
		errs = append(errs, x.validate(i)...)
	}
	return errs
}

func (x ExtraRule) validate(i int) []fielderr.Error {
	var errs []fielderr.Error
	at := func(path ...any) []any { return append([]any{"extra_rules", i}, path...) }
	add := func(msg string, path ...any) { errs = append(errs, fielderr.Error{Path: at(path...), Msg: msg}) }

	switch {
	case x.Level == "":
		add("must not be empty. Valid levels: "+joinNames(Levels)+".", "level")
	case !slices.Contains(Levels, Level(x.Level)):
		add(fmt.Sprintf("%q is not an audit level%s. Valid levels: %s.", x.Level, caseHint(x.Level, Levels), joinNames(Levels)), "level")
	}

	checkNames := func(attr, what string, vals []string) {
		for k, v := range vals {
			switch {
			case v == "":
				add(fmt.Sprintf("must not be empty: give a %s, or leave %s unset to match every %s.", what, attr, what), attr, k)
			case strings.TrimSpace(v) != v:
				add(fmt.Sprintf("%q has leading or trailing spaces, so it would never match a %s.", v, what), attr, k)
			}
		}
	}
	checkNames("users", "user name", x.Users)
	checkNames("user_groups", "group", x.UserGroups)

	for k, v := range x.Verbs {
		switch {
		case v == "":
			add("must not be empty: give a verb, or leave verbs unset to match every verb.", "verbs", k)
		case v == "*":
			add(`audit rules have no verb wildcard: leave verbs unset to match every verb.`, "verbs", k)
		case slices.Contains(rbacOnlyVerbs, v):
			add(fmt.Sprintf("%q is an RBAC authorization verb, never the verb of a request, so the rule would never match. "+
				"Valid verbs: %s (resources), %s (other paths).", v, joinNames(ResourceVerbs), joinNames(NonResourceVerbs)), "verbs", k)
		case !slices.Contains(ResourceVerbs, v) && !slices.Contains(NonResourceVerbs, v):
			add(fmt.Sprintf("%q is not a request verb%s. Valid verbs: %s for API resources; %s for other paths "+
				"(non_resource_urls).", v, caseHint(v, append(slices.Clone(ResourceVerbs), NonResourceVerbs...)),
				joinNames(ResourceVerbs), joinNames(NonResourceVerbs)), "verbs", k)
		}
	}

	for k, ns := range x.Namespaces {
		switch ns {
		case "":
			add("must not be empty: give a namespace name, or leave namespaces unset to match every namespace.", "namespaces", k)
		default:
			if msgs := validation.IsDNS1123Label(ns); len(msgs) > 0 {
				add(fmt.Sprintf("%q is not a namespace name: %s.", ns, strings.Join(msgs, "; ")), "namespaces", k)
			}
		}
	}

	for j, sel := range x.Resources {
		if sel.Group != "" && sel.Group != "*" {
			if msgs := validation.IsDNS1123Subdomain(sel.Group); len(msgs) > 0 {
				add(fmt.Sprintf("%q is not an API group name (like \"apps\" or \"rbac.authorization.k8s.io\", without a version; "+
					"\"\" for the core group, \"*\" for every group): %s.", sel.Group, strings.Join(msgs, "; ")), "resources", j, "group")
			}
		}
		for k, r := range sel.Resources {
			switch {
			case r == "":
				add("must not be empty: give a resource (\"deployments\", \"pods/exec\", \"*\"), or leave resources unset to match "+
					"every resource of the group.", "resources", j, "resources", k)
			case !resourcePattern.MatchString(r) || r == "*/*":
				add(fmt.Sprintf("%q is not a resource. Use the lower-case plural as in the API path: \"deployments\", a subresource "+
					"\"pods/exec\", \"*\" for all, \"*/status\" for a subresource of any resource, \"pods/*\" for all of one's subresources.",
					r), "resources", j, "resources", k)
			}
			if lvl := Level(x.Level); lvl == LevelRequest || lvl == LevelRequestResponse {
				if p, ok := namesProtected(sel.Group, r); ok {
					add(fmt.Sprintf("%q with level %s asks to log the bodies of %s, which carry credentials (Secret data, tokens) "+
						"that must never reach an audit log. Every profile's first rule logs %s at Metadata and, because the "+
						"first matching rule wins, this rule could not raise them anyway. Remove %q from this rule or give it level "+
						"Metadata.", r, lvl, p, protectedList(), r), "resources", j, "resources", k)
				}
			}
		}
	}

	for k, u := range x.NonResourceURLs {
		switch {
		case u == "":
			add("must not be empty: give a path such as \"/healthz\" or \"/apis*\".", "non_resource_urls", k)
		case u == "*":
		case !strings.HasPrefix(u, "/"):
			add(fmt.Sprintf("%q must begin with \"/\" (a path such as \"/healthz\"), or be \"*\" for every path.", u), "non_resource_urls", k)
		case strings.Contains(u[:len(u)-1], "*"):
			add(fmt.Sprintf("%q has a \"*\" before the end: a wildcard may only be the last character (\"/healthz*\").", u), "non_resource_urls", k)
		}
	}
	if len(x.NonResourceURLs) > 0 && (len(x.Resources) > 0 || len(x.Namespaces) > 0) {
		add("a rule cannot match both API resources (resources, namespaces) and other paths (non_resource_urls): "+
			"split it into two rules.", "non_resource_urls")
	}
	return errs
}

// Warnings reports inputs that are valid but do not do what they seem to.
func Warnings(p Params) []fielderr.Error {
	var ws []fielderr.Error
	for i, x := range p.ExtraRules {
		if len(x.Users)+len(x.UserGroups)+len(x.Verbs)+len(x.Namespaces)+len(x.Resources)+len(x.NonResourceURLs) == 0 {
			ws = append(ws, fielderr.Error{Path: []any{"extra_rules", i}, Msg: fmt.Sprintf("This rule selects nothing, so it matches "+
				"every request the two safety rules before it do not: level %s applies to all of them, and the profile's noise "+
				"filters and catch-all never apply.", x.Level)})
		}
		if Level(x.Level) != LevelNone {
			continue
		}
		for j, sel := range x.Resources {
			for k, r := range sel.Resources {
				if p, ok := namesProtected(sel.Group, r); ok {
					ws = append(ws, fielderr.Error{Path: []any{"extra_rules", i, "resources", j, "resources", k}, Msg: fmt.Sprintf(
						"Level None has no effect on %s: the first rule of every profile logs %s at Metadata, and the first "+
							"matching rule wins.", p, protectedList())})
				}
			}
		}
	}
	for i, s := range p.OmitStages {
		if Stage(s) == StageResponseComplete {
			ws = append(ws, fielderr.Error{Path: []any{"omit_stages", i}, Msg: "Omitting ResponseComplete drops the only event most " +
				"requests produce after RequestReceived: with it omitted, the audit log misses nearly every request."})
		}
	}
	return ws
}

// namesProtected reports whether a rule entry for group names a protected resource explicitly
// ("secrets", "secrets/*", "serviceaccounts/token", "*/token"); the bare "*" does not name one.
func namesProtected(group, entry string) (string, bool) {
	if entry == "*" {
		return "", false
	}
	for _, gr := range Protected {
		if group != gr.Group && group != "*" {
			continue
		}
		for _, p := range gr.Resources {
			res, sub, _ := strings.Cut(p, "/")
			if entry == p || (sub != "" && entry == "*/"+sub) || entry == res+"/*" {
				return p, true
			}
		}
	}
	return "", false
}

func protectedList() string {
	var names []string
	for _, gr := range Protected {
		names = append(names, gr.Resources...)
	}
	return strings.Join(names, ", ")
}

func joinNames[T ~string](vals []T) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

// caseHint suggests the valid spelling of a value that differs only in case.
func caseHint[T ~string](v string, valid []T) string {
	for _, ok := range valid {
		if strings.EqualFold(v, string(ok)) {
			return fmt.Sprintf(" (did you mean %s? names are case-sensitive)", ok)
		}
	}
	return ""
}
