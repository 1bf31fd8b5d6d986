package hardening

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestValidateServicePolicy(t *testing.T) {
	off, on := false, true
	bad := "Allow"
	for _, c := range []struct {
		name string
		in   *ServicePolicyInput
		want string // "" when valid; else a fragment of the error
	}{
		{"unset", nil, ""},
		{"defaults", &ServicePolicyInput{}, ""},
		{"ranges", &ServicePolicyInput{AllowedExternalIPCIDRs: []string{"192.0.2.0/28", "2001:db8::/64"}}, ""},
		{"not a range", &ServicePolicyInput{AllowedExternalIPCIDRs: []string{"192.0.2.300/28"}}, "allowed_external_ip_cidrs"},
		{"twice", &ServicePolicyInput{AllowedExternalIPCIDRs: []string{"192.0.2.0/28", "192.0.2.0/28"}}, "listed twice"},
		{"action", &ServicePolicyInput{Action: &bad}, "use Deny, Warn or Audit"},
		{"off", &ServicePolicyInput{Enabled: &off}, ""},
		{"off with settings", &ServicePolicyInput{Enabled: &off, AllowExternalName: &on}, "remove its other settings"},
	} {
		errs := validateServicePolicy(c.in)
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		all := strings.Join(got, "; ")
		if (c.want == "") != (len(errs) == 0) || !strings.Contains(all, c.want) {
			t.Errorf("%s: %q, want %q", c.name, all, c.want)
		}
	}
}

// What a namespace carries is what adoption reads back, and the policy reads it from there.
func TestServicePolicyRoundTrip(t *testing.T) {
	for _, p := range []ServicePolicy{
		{Action: "Deny", RequireLoadBalancerSourceRanges: true},
		{Action: "Warn", AllowedExternalIPCIDRs: []string{"192.0.2.0/28", "198.51.100.7/32"}, AllowExternalName: true},
	} {
		l, a := servicePolicyMetadata(p)
		got := ServicePolicyFromNamespace(l, a)
		if got == nil || got.Action != p.Action || !slices.Equal(got.AllowedExternalIPCIDRs, p.AllowedExternalIPCIDRs) ||
			got.AllowExternalName != p.AllowExternalName || got.RequireLoadBalancerSourceRanges != p.RequireLoadBalancerSourceRanges {
			t.Errorf("%+v read back as %+v", p, got)
		}
	}
	if ServicePolicyFromNamespace(map[string]string{"team": "a"}, nil) != nil {
		t.Error("a namespace without the label has no Services policy")
	}
	objs := servicePolicyObjects("Warn")
	if len(objs) != 2 || objs[0].ID() != "ValidatingAdmissionPolicy/hardened-services" || objs[1].ID() != "ValidatingAdmissionPolicyBinding/hardened-services-warn" {
		t.Errorf("objects %v", ManagedIDs(objs))
	}
}

// Adoption writes the default policy as unset and keeps a configured one.
func TestAdoptServicePolicy(t *testing.T) {
	live := func(p ServicePolicy) Live {
		l, a := servicePolicyMetadata(p)
		return Live{Namespace: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "a", Labels: l, Annotations: a}}}
	}
	if got := adoptServicePolicy(live(ServicePolicy{Action: DefaultServiceAction, RequireLoadBalancerSourceRanges: true})); got != nil {
		t.Errorf("the default policy adopted as %+v", got)
	}
	got := adoptServicePolicy(live(ServicePolicy{Action: "Warn", AllowExternalName: true}))
	if got == nil || *got.Action != "Warn" || !*got.AllowExternalName || *got.RequireLoadBalancerSourceRanges {
		t.Errorf("a configured policy adopted as %+v", got)
	}
}
