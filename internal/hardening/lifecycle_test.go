package hardening

import (
	"slices"
	"strings"
	"testing"
)

// TestStale: a labelled object the spec no longer wants is pruned; the namespace, the default
// ServiceAccount and the shared admission policies never are, and the order given is kept.
func TestStale(t *testing.T) {
	on := true
	_, objs, err := Desired(NamespaceSpec{Name: "team", TamperProtection: &on})
	if err != nil {
		t.Fatal(err)
	}
	labelled := []string{"Namespace/team", "NetworkPolicy/hardened-old", "ServiceAccount/default",
		"ValidatingAdmissionPolicy/" + TamperPolicyName, "ValidatingAdmissionPolicy/" + ImagePolicyName,
		"NetworkPolicy/" + PolicyDefaultDeny, LegacyImageBindingID("team"), "RoleBinding/hardened-access-edit"}
	want := []string{"NetworkPolicy/hardened-old", LegacyImageBindingID("team"), "RoleBinding/hardened-access-edit"}
	if got := Stale(labelled, objs); !slices.Equal(got, want) {
		t.Errorf("Stale = %v, want %v", got, want)
	}
}

// TestScopes: a refresh reads every namespaced kind and the shared and legacy cluster objects;
// pruning after a create reads only the legacy ones; a destroy deletes only the legacy ones.
func TestScopes(t *testing.T) {
	kinds, ids := RefreshScope("team")
	if !slices.Equal(kinds, NamespacedKinds) || !slices.Equal(ids, ClusterObjectIDs("team")) {
		t.Errorf("RefreshScope = %v %v", kinds, ids)
	}
	kinds, ids = PruneScope("team", false)
	if !slices.Equal(kinds, NamespacedKinds) || !slices.Equal(ids, LegacyClusterObjectIDs("team")) {
		t.Errorf("PruneScope after an update = %v %v", kinds, ids)
	}
	kinds, ids = PruneScope("team", true)
	if kinds != nil || !slices.Equal(ids, LegacyClusterObjectIDs("team")) {
		t.Errorf("PruneScope after a create = %v %v", kinds, ids)
	}
	kinds, ids = DeleteScope("team")
	if kinds != nil || !slices.Equal(ids, LegacyClusterObjectIDs("team")) {
		t.Errorf("DeleteScope = %v %v", kinds, ids)
	}
	for _, id := range ClusterObjectIDs("team") {
		if kind, _, _ := strings.Cut(id, "/"); !IsClusterScopedKind(kind) {
			t.Errorf("%s is read by name outside the namespace but its kind is not cluster-scoped", id)
		}
	}
	for _, kind := range NamespacedKinds {
		if IsClusterScopedKind(kind) {
			t.Errorf("%s is both namespaced and cluster-scoped", kind)
		}
	}
}

// TestDefaults: what a spec leaves unset resolves to the exported defaults the schema uses.
func TestDefaults(t *testing.T) {
	r, err := Resolve(NamespaceSpec{Name: "team", ImagePolicy: &ImagePolicyInput{}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Environment != DefaultEnvironment || r.AutomountServiceAccountToken != DefaultAutomountServiceAccountToken ||
		r.TamperProtection != DefaultTamperProtection || r.ImagePolicy.ForbidLatestTag != DefaultForbidLatestTag ||
		r.ImagePolicy.RequireDigest != DefaultRequireDigest || r.ImagePolicy.Action != DefaultImageAction {
		t.Errorf("resolved %+v, image policy %+v", r, *r.ImagePolicy)
	}
	if sp := r.ServicePolicy; sp == nil || sp.Action != DefaultServiceAction || sp.AllowExternalName != DefaultAllowExternalName ||
		sp.RequireLoadBalancerSourceRanges != DefaultRequireLoadBalancerSources || len(sp.AllowedExternalIPCIDRs) != 0 {
		t.Errorf("the Services policy is on by default with its defaults: %+v", r.ServicePolicy)
	}
	off := false
	noServices := &ServicePolicyInput{Enabled: &off}
	if (NamespaceSpec{TamperProtection: &off, ServicePolicy: noServices}).UsesAdmissionPolicies() {
		t.Error("no image policy, no Services policy and tamper protection off need no admission policies")
	}
	if !(NamespaceSpec{}).UsesAdmissionPolicies() || !(NamespaceSpec{TamperProtection: &off, ImagePolicy: &ImagePolicyInput{}, ServicePolicy: noServices}).UsesAdmissionPolicies() ||
		!(NamespaceSpec{TamperProtection: &off}).UsesAdmissionPolicies() {
		t.Error("tamper protection or the Services policy by default, or an image policy, need admission policies")
	}
	if r, _ := Resolve(NamespaceSpec{Name: "x", ServicePolicy: noServices}); r.ServicePolicy != nil {
		t.Error("enabled = false turns the Services policy off")
	}
}
