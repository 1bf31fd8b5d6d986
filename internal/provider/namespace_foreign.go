package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

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
// Objects of the provider's names that someone else wrote are a plan error.
func plannedForeign(ctx context.Context, p privateState, res hardening.Resolved, objs []hardening.Object) (hardening.Foreign, diag.Diagnostics) {
	var f hardening.Foreign
	if p == nil {
		return f, nil
	}
	b, diags := p.GetKey(ctx, othersKey)
	var others hardening.Others
	if len(b) > 0 && json.Unmarshal(b, &others) == nil {
		wanted := hardening.ManagedIDs(objs)
		if squatted := others.Squatted(wanted); len(squatted) > 0 {
			summary, detail := squattedError(res.Name, squatted)
			diags.AddError(summary, detail)
		}
		return others.Judge(res, wanted), diags
	}
	b, d := p.GetKey(ctx, foreignKey)
	diags.Append(d...)
	if len(b) > 0 {
		_ = json.Unmarshal(b, &f) // unreadable: judge as if nothing foreign, the next refresh rewrites it
	}
	f.ImagePolicyNotLive, f.ServicePolicyNotLive = "", "" // apply writes the policies as planned
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

// imagePolicyNotLive says why the image policy the state asks for is not what the live cluster
// runs ("" when it is): the namespace's keys, and the shared policy and binding it is bound by, as
// the refresh found them (notAsApplied: object ID -> how it differs). Compliance's practice 2
// rests on this, not on the configuration alone.
func imagePolicyNotLive(res hardening.Resolved, notAsApplied map[string]string, nsLabels, nsAnnotations map[string]string) string {
	if res.ImagePolicy == nil {
		return ""
	}
	return policyNotLive(hardening.ImagePolicyKeysDiffer(*res.ImagePolicy, nsLabels, nsAnnotations),
		hardening.ImagePolicyObjectIDs(res.ImagePolicy.Action), notAsApplied)
}

// servicePolicyNotLive is the same for the Services policy, which compliance's practice 5 rests on.
func servicePolicyNotLive(res hardening.Resolved, notAsApplied map[string]string, nsLabels, nsAnnotations map[string]string) string {
	if res.ServicePolicy == nil {
		return ""
	}
	return policyNotLive(hardening.ServicePolicyKeysDiffer(*res.ServicePolicy, nsLabels, nsAnnotations),
		hardening.ServicePolicyObjectIDs(res.ServicePolicy.Action), notAsApplied)
}

func policyNotLive(keysDiffer string, ids []string, notAsApplied map[string]string) string {
	var why []string
	if keysDiffer != "" {
		why = append(why, "namespace "+keysDiffer)
	}
	for _, id := range ids {
		switch where, ok := notAsApplied[id]; {
		case !ok:
		case where == "is missing":
			why = append(why, id+" is missing")
		default:
			why = append(why, id+": "+where)
		}
	}
	return strings.Join(why, "; ")
}

// squattedError is the plan error for objects the configuration wants that someone else wrote.
func squattedError(namespace string, ids []string) (string, string) {
	var cmds []string
	for _, id := range ids {
		kind, name, _ := strings.Cut(id, "/")
		cmds = append(cmds, fmt.Sprintf("kubectl -n %s delete %s %s", namespace, strings.ToLower(kind), name))
	}
	return "Objects with the provider's names were written by someone else",
		fmt.Sprintf("Namespace %s holds %s, which this configuration would write, but they do not carry %s=%s: someone "+
			"else created them, and they grant or allow what their author chose. Apply would take them over or fail on "+
			"fields that cannot change (a RoleBinding's roleRef). Check who created them, delete them (%s), and plan again.",
			namespace, strings.Join(ids, ", "), hardening.ManagedByLabel, hardening.ManagedByValue, strings.Join(cmds, "; "))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
