package kube

import (
	"fmt"
	"reflect"
	"sort"
)

// Drift reports where live differs from desired, considering only what desired sets: fields
// other managers or the API server add are not drift. Lists must match element by element.
func Drift(desired, live map[string]any) (string, bool) {
	// Typed clients drop apiVersion and kind from what they return; they are not drift.
	d := make(map[string]any, len(desired))
	for k, v := range desired {
		if k != "apiVersion" && k != "kind" {
			d[k] = v
		}
	}
	return drift("", d, live)
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
