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
// othersKey holds those objects themselves, so a plan judges them against the planned
// configuration; foreignKey alone is what releases before 0.2 wrote.
const (
	foreignKey = "foreign"
	othersKey  = "others"
)

type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

type privateWriter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// plannedForeign judges the objects the last refresh found against the planned configuration;
// without them (private state of an earlier release, or no refresh yet) it repeats its findings.
func plannedForeign(ctx context.Context, p privateState, res hardening.Resolved, objs []hardening.Object) (hardening.Foreign, diag.Diagnostics) {
	var f hardening.Foreign
	if p == nil {
		return f, nil
	}
	b, diags := p.GetKey(ctx, othersKey)
	var others hardening.Others
	if len(b) > 0 && json.Unmarshal(b, &others) == nil {
		return others.Judge(res, hardening.ManagedIDs(objs)), diags
	}
	b, d := p.GetKey(ctx, foreignKey)
	diags.Append(d...)
	if len(b) > 0 {
		_ = json.Unmarshal(b, &f) // unreadable: judge as if nothing foreign, the next refresh rewrites it
	}
	return f, diags
}

func setForeign(ctx context.Context, p privateWriter, f hardening.Foreign, others hardening.Others) diag.Diagnostics {
	var diags diag.Diagnostics
	var fb, ob []byte
	if !f.Empty() {
		fb, _ = json.Marshal(f)
	}
	if !others.Empty() {
		ob, _ = json.Marshal(others)
	}
	diags.Append(p.SetKey(ctx, foreignKey, fb)...)
	diags.Append(p.SetKey(ctx, othersKey, ob)...)
	return diags
}

// judgeForeign judges the NetworkPolicies and RoleBindings in the namespace that are not the
// resource's (the tenant's own, and labelled ones the configuration does not want, until apply
// prunes them) against the resolved configuration.
func judgeForeign(res hardening.Resolved, objs []hardening.Object, obs *kube.Observed) (hardening.Foreign, hardening.Others, diag.Diagnostics) {
	var diags diag.Diagnostics
	policies, bindings, errs := obs.ForeignObjects(hardening.ManagedIDs(objs))
	for _, id := range sortedKeys(errs) {
		diags.AddWarning("Cannot judge "+id, errs[id].Error())
	}
	others := hardening.NewOthers(policies, bindings)
	return others.Judge(res, nil), others, diags
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
