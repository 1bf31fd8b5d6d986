package kube

import (
	"fmt"
	"reflect"
	"sort"
)

// Drift reports where live differs from desired. Metadata is compared only where desired sets it
// (labels and annotations other tools add are theirs). Everything else in an object the provider
// owns outright (see ownedWhole) must equal desired exactly: a rule a tenant added, a selector
// narrowed or a subject appended is drift even though the provider never set that field. Other
// kinds (the Namespace, the default ServiceAccount, admission policies) are compared only where
// desired sets a value, because the API server and other controllers fill in the rest.
func Drift(desired, live map[string]any) (string, bool) {
	kind, _ := desired["kind"].(string)
	// Typed clients drop apiVersion and kind from what they return; they are not drift.
	d := make(map[string]any, len(desired))
	for k, v := range desired {
		if k != "apiVersion" && k != "kind" {
			d[k] = v
		}
	}
	if where, differs := drift("", d, live); differs {
		return where, true
	}
	if !ownedWhole[kind] {
		return "", false
	}
	return extra("", desired, live, true)
}

// ownedWhole are the kinds whose content (everything but metadata and status) is the provider's
// alone. Their desired form is written exactly as the API server stores it (LimitRange defaults
// included), so live can be compared both ways.
var ownedWhole = map[string]bool{
	"ResourceQuota": true, "LimitRange": true, "NetworkPolicy": true, "RoleBinding": true, "ConfigMap": true,
	// The shared admission policies and bindings: one selector or rule added switches a policy off
	// or narrows it for every namespace.
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
}

// OwnedWhole reports whether every field but metadata and status of a kind belongs to the provider.
func OwnedWhole(kind string) bool { return ownedWhole[kind] }

// extra finds a value live has that desired does not. Empty maps and lists count as absent.
func extra(path string, desired, live any, top bool) (string, bool) {
	switch l := live.(type) {
	case map[string]any:
		d, _ := desired.(map[string]any)
		keys := make([]string, 0, len(l))
		for k := range l {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if top && (k == "metadata" || k == "status" || k == "apiVersion" || k == "kind") {
				continue
			}
			dv, ok := d[k]
			if !ok || dv == nil {
				if !isEmpty(l[k]) {
					return fmt.Sprintf("%s.%s is %v (not set by Terraform)", path, k, short(l[k])), true
				}
				continue
			}
			if where, differs := extra(path+"."+k, dv, l[k], false); differs {
				return where, true
			}
		}
	case []any:
		d, _ := desired.([]any)
		for i := range l {
			if i >= len(d) {
				return fmt.Sprintf("%s[%d] is %v (not set by Terraform)", path, i, short(l[i])), true
			}
			if where, differs := extra(fmt.Sprintf("%s[%d]", path, i), d[i], l[i], false); differs {
				return where, true
			}
		}
	}
	return "", false
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

func drift(path string, desired, live any) (string, bool) {
	switch d := desired.(type) {
	case map[string]any:
		l, ok := live.(map[string]any)
		if !ok {
			return describe(path, desired, live), true
		}
		keys := make([]string, 0, len(d))
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if where, differs := drift(path+"."+k, d[k], l[k]); differs {
				return where, true
			}
		}
		return "", false
	case []any:
		l, ok := live.([]any)
		if !ok || len(l) != len(d) {
			return describe(path, desired, live), true
		}
		for i := range d {
			if where, differs := drift(fmt.Sprintf("%s[%d]", path, i), d[i], l[i]); differs {
				return where, true
			}
		}
		return "", false
	default:
		if numeric(desired) && numeric(live) {
			if toFloat(desired) != toFloat(live) {
				return describe(path, desired, live), true
			}
			return "", false
		}
		if !reflect.DeepEqual(desired, live) {
			return describe(path, desired, live), true
		}
		return "", false
	}
}

func describe(path string, desired, live any) string {
	if live == nil {
		return fmt.Sprintf("%s is missing (want %v)", path, short(desired))
	}
	return fmt.Sprintf("%s is %v (want %v)", path, short(live), short(desired))
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

func numeric(v any) bool {
	switch v.(type) {
	case int, int32, int64, float64:
		return true
	}
	return false
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int32:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

func drifted(desired, live map[string]any) bool {
	_, differs := Drift(desired, live)
	return differs
}
