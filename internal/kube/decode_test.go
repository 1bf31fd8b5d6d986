package kube

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// TestObservedLive: an import reads the provider's objects by their fixed names, the legacy
// per-namespace policies of its own namespace only, and reports what cannot be decoded by ID.
func TestObservedLive(t *testing.T) {
	quota := tObj("v1", "ResourceQuota", "team", hardening.ResourceQuotaName, tManaged)
	quota.Object["spec"] = map[string]any{"hard": map[string]any{"pods": "7"}}
	broken := tObj("rbac.authorization.k8s.io/v1", "RoleBinding", "team", "hardened-access-view", tManaged)
	broken.Object["subjects"] = "not a list"
	obs := &Observed{
		Namespace: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team"}},
		Managed: map[string]*unstructured.Unstructured{
			"ResourceQuota/" + hardening.ResourceQuotaName: quota,
			"ResourceQuota/someone-elses":                  tObj("v1", "ResourceQuota", "team", "someone-elses", tManaged),
			"NetworkPolicy/hardened-default-deny":          tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "hardened-default-deny", tManaged),
			hardening.LegacyTamperPolicyID("team"):         tObj("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "", "hardened-tamper.team", tManaged),
			hardening.LegacyImagePolicyID("other"):         tObj("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "", "hardened-images.other", tManaged),
			"RoleBinding/hardened-access-view":             broken,
		},
	}
	l, errs := obs.Live()
	if l.ResourceQuota == nil || l.ResourceQuota.Spec.Hard.Pods().String() != "7" {
		t.Errorf("ResourceQuota = %+v, want the provider's named quota", l.ResourceQuota)
	}
	if l.Policies["hardened-default-deny"] == nil {
		t.Errorf("Policies = %v", l.Policies)
	}
	if !l.LegacyTamperProtection || l.LegacyImagePolicy != nil {
		t.Errorf("legacy tamper = %v, legacy image policy = %v: only this namespace's legacy objects count", l.LegacyTamperProtection, l.LegacyImagePolicy)
	}
	if len(errs) != 1 || errs["RoleBinding/hardened-access-view"] == nil {
		t.Errorf("errors = %v, want the undecodable RoleBinding by its ID", errs)
	}
}

// TestObservedForeignObjects: the tenant's objects and the labelled ones no longer wanted are
// judged, in that order; wanted ones and other kinds are not.
func TestObservedForeignObjects(t *testing.T) {
	obs := &Observed{
		Namespace: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team"}},
		Managed: map[string]*unstructured.Unstructured{
			"NetworkPolicy/hardened-default-deny": tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "hardened-default-deny", tManaged),
			"NetworkPolicy/hardened-allow-dns":    tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "hardened-allow-dns", tManaged),
			"ResourceQuota/hardened-quota":        tObj("v1", "ResourceQuota", "team", "hardened-quota", tManaged),
		},
		Others: []*unstructured.Unstructured{
			tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "tenant-allow-all", nil),
			tObj("rbac.authorization.k8s.io/v1", "RoleBinding", "team", "by-hand", nil),
		},
	}
	policies, bindings, errs := obs.ForeignObjects([]string{"NetworkPolicy/hardened-default-deny", "ResourceQuota/hardened-quota"})
	var names []string
	for _, p := range policies {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "tenant-allow-all,hardened-allow-dns" {
		t.Errorf("policies = %v, want the tenant's, then the labelled one no longer wanted", names)
	}
	if len(bindings) != 1 || bindings[0].Name != "by-hand" || len(errs) != 0 {
		t.Errorf("bindings = %v, errors = %v", bindings, errs)
	}
}

// TestObservedLegacyTamperExempt reads the identity an earlier release's guard exempts.
func TestObservedLegacyTamperExempt(t *testing.T) {
	guard := tObj("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "", "hardened-tamper.team", tManaged)
	guard.Object["spec"] = map[string]any{"matchConditions": []any{map[string]any{
		"name": "not-exempt", "expression": `!(request.userInfo.username in ["system:serviceaccount:kube-system:namespace-controller", "ci-runner"])`,
	}}}
	obs := &Observed{Namespace: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team"}},
		Managed: map[string]*unstructured.Unstructured{hardening.LegacyTamperPolicyID("team"): guard}}
	if got := obs.LegacyTamperExempt(); got != "ci-runner" {
		t.Errorf("LegacyTamperExempt = %q, want ci-runner", got)
	}
	obs.Managed = map[string]*unstructured.Unstructured{}
	if got := obs.LegacyTamperExempt(); got != "" {
		t.Errorf("without a legacy guard: %q", got)
	}
}
