package posture

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// HRD-7003: a namespace of the provider whose quota (written by an earlier release, or edited)
// leaves a kind unbounded; other namespaces are not held to the presets.
func TestQuotaIncomplete(t *testing.T) {
	s := clean()
	managed := map[string]string{hardening.ManagedByLabel: hardening.ManagedByValue, "pod-security.kubernetes.io/enforce": "restricted"}
	s.Namespaces = append(s.Namespaces, ns("team-old", managed), ns("plain", restricted))
	for _, n := range []string{"team-old", "plain"} {
		q := completeQuota()
		delete(q.Hard, "replicationcontrollers")
		delete(q.Hard, "requests.ephemeral-storage")
		s.ResourceQuotas = append(s.ResourceQuotas, corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: "q", Namespace: n}, Spec: q})
		s.LimitRanges = append(s.LimitRanges, corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{Name: "l", Namespace: n}})
		s.NetworkPolicies = append(s.NetworkPolicies, denyAll(n, networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress))
	}
	fs := Evaluate(s, Options{AsOf: asOf})
	got := slices.DeleteFunc(keys(fs), func(k string) bool { return strings.HasPrefix(k, "HRD-100") })
	if want := []string{"HRD-7003 failed medium Namespace team-old/team-old"}; !slices.Equal(got, want) {
		t.Fatalf("findings %v, want %v", got, want)
	}
	i := slices.IndexFunc(fs, func(f Finding) bool { return f.ID == CheckQuotaIncomplete })
	if !strings.HasSuffix(fs[i].Message, "leaves unbounded: requests.ephemeral-storage, replicationcontrollers.") {
		t.Errorf("message %q", fs[i].Message)
	}
}

// HRD-5004 and HRD-5005: Services that reach past their namespace, in any selected namespace; a
// ClusterIP Service with a selector is not a finding.
func TestServicesReachingOut(t *testing.T) {
	s := clean()
	ips := service("team-a", "intercept", corev1.ServiceTypeClusterIP, nil)
	ips.Spec.ExternalIPs = []string{"10.0.0.10", "10.0.0.11"}
	alias := service("team-a", "alias", corev1.ServiceTypeExternalName, nil)
	alias.Spec.ExternalName = "payments.other.svc.cluster.local"
	s.Services = append(s.Services, ips, alias, service("team-a", "web", corev1.ServiceTypeClusterIP, nil))
	fs := Evaluate(s, Options{AsOf: asOf})
	got := slices.DeleteFunc(keys(fs), func(k string) bool { return strings.HasPrefix(k, "HRD-100") })
	want := []string{"HRD-5004 failed high Service team-a/intercept", "HRD-5005 failed medium Service team-a/alias"}
	if !slices.Equal(got, want) {
		t.Fatalf("findings %v, want %v", got, want)
	}
	if !strings.Contains(fs[0].Message+fs[1].Message, "10.0.0.10, 10.0.0.11") || !strings.Contains(fs[0].Message+fs[1].Message, `"payments.other.svc.cluster.local"`) {
		t.Errorf("messages %q / %q", fs[0].Message, fs[1].Message)
	}
	if fs := Evaluate(s, Options{AsOf: asOf, Exclude: []string{"team-a"}}); slices.ContainsFunc(fs, func(f Finding) bool { return f.Kind == "Service" }) {
		t.Error("an excluded namespace's Services are not judged")
	}
}
