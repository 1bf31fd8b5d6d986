package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// unknownPaths lists the configuration values not known until apply, as validation paths: the
// resource and the manifests data source collect them with namespaceModel.unknownPaths, the audit
// data source while it reads its parameters.
type unknownPaths [][]any

// under says whether p is an unknown value or inside one.
func (u unknownPaths) under(p []any) bool {
	for _, pre := range u {
		if len(pre) <= len(p) && slices.Equal(p[:len(pre)], pre) {
			return true
		}
	}
	return false
}

// unknownPaths finds the unknown values of a configuration: whole attributes, list elements and
// the attributes of nested objects (access entries, network_policy, image_policy...).
func (m namespaceModel) unknownPaths() unknownPaths {
	var out unknownPaths
	var walk func(path []any, v attr.Value)
	walk = func(path []any, v attr.Value) {
		if v == nil || v.IsNull() {
			return
		}
		if v.IsUnknown() {
			out = append(out, append([]any(nil), path...))
			return
		}
		switch x := v.(type) {
		case types.List:
			for i, e := range x.Elements() {
				walk(append(path, i), e)
			}
		case types.Map:
			for k, e := range x.Elements() {
				walk(append(path, fielderr.MapKey(k)), e)
			}
		case types.Object:
			for k, e := range x.Attributes() {
				walk(append(path, k), e)
			}
		}
	}
	for name, v := range map[string]attr.Value{
		"labels": m.Labels, "annotations": m.Annotations, "environment": m.Environment, "pod_security": m.PodSecurity,
		"resource_quota": m.ResourceQuota, "limit_range": m.LimitRange, "network_policy": m.NetworkPolicy,
		"access": m.Access, "image_policy": m.ImagePolicy, "service_policy": m.ServicePolicy,
		"allowed_storage_classes": m.AllowedStorageClasses, "allowed_priority_classes": m.AllowedPriorityClasses,
		"max_preempting_priority": m.MaxPreemptingPriority, "allowed_hostnames": m.AllowedHostnames,
	} {
		walk([]any{name}, v)
	}
	return out
}

// covers says whether a validation error may be caused by a value not known yet: its path and an
// unknown value's path are one inside the other, or its message names the unknown attribute.
func (u unknownPaths) covers(fe fielderr.Error) bool {
	for _, p := range u {
		n := min(len(p), len(fe.Path))
		same := true
		for i := 0; i < n; i++ {
			if fmt.Sprint(p[i]) != fmt.Sprint(fe.Path[i]) {
				same = false
				break
			}
		}
		if same {
			return true
		}
		for _, step := range p {
			if name, ok := step.(string); ok && len(p) > 1 && strings.Contains(fe.Msg, name) && name != p[0] {
				return true
			}
		}
	}
	return false
}
