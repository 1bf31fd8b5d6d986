package provider

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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

// judgeForeign judges the NetworkPolicies and RoleBindings in the namespace that are not the
// resource's (the tenant's own, and labelled ones the configuration does not want, until apply
// prunes them) against the resolved configuration.
func judgeForeign(res hardening.Resolved, objs []hardening.Object, obs *kube.Observed) (hardening.Foreign, diag.Diagnostics) {
	var diags diag.Diagnostics
	policies, bindings, errs := obs.ForeignObjects(hardening.ManagedIDs(objs))
	for _, id := range sortedKeys(errs) {
		diags.AddWarning("Cannot judge "+id, errs[id].Error())
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
