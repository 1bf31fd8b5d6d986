package provider

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// foreignKey holds, in private state, what the last refresh found others added to the namespace,
// so the plan's compliance is judged on the same live facts as the state's (no perpetual diff).
const foreignKey = "foreign"

type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateWriter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func foreignFrom(ctx context.Context, p privateState) (hardening.Foreign, diag.Diagnostics) {
	var f hardening.Foreign
	if p == nil {
		return f, nil
	}
	b, diags := p.GetKey(ctx, foreignKey)
	if len(b) > 0 {
		_ = json.Unmarshal(b, &f) // unreadable: judge as if nothing foreign, the next refresh rewrites it
	}
	return f, diags
}

func setForeign(ctx context.Context, p privateWriter, f hardening.Foreign) diag.Diagnostics {
	if f.Empty() {
		return p.SetKey(ctx, foreignKey, nil)
	}
	b, _ := json.Marshal(f)
	return p.SetKey(ctx, foreignKey, b)
}

// judgeForeign collects the NetworkPolicies and RoleBindings in the namespace that are not the
// resource's (the tenant's own, and labelled ones the configuration does not want, until apply
// prunes them) and judges them against the resolved configuration.
func judgeForeign(res hardening.Resolved, objs []hardening.Object, obs *kube.Observed) (hardening.Foreign, diag.Diagnostics) {
	var diags diag.Diagnostics
	want := map[string]bool{}
	for _, o := range objs {
		want[o.ID()] = true
	}
	candidates := append([]*unstructured.Unstructured(nil), obs.Others...)
	for _, id := range sortedKeys(obs.Managed) {
		if !want[id] {
			candidates = append(candidates, obs.Managed[id])
		}
	}
	var policies []networkingv1.NetworkPolicy
	var bindings []rbacv1.RoleBinding
	for _, u := range candidates {
		var err error
		switch u.GetKind() {
		case "NetworkPolicy":
			var np networkingv1.NetworkPolicy
			err = runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &np)
			policies = append(policies, np)
		case "RoleBinding":
			var rb rbacv1.RoleBinding
			err = runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &rb)
			bindings = append(bindings, rb)
		}
		if err != nil {
			diags.AddWarning("Cannot judge "+u.GetKind()+"/"+u.GetName(), err.Error())
		}
	}
	return hardening.ForeignFindings(res, policies, bindings), diags
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
