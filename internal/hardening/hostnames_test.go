package hardening

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestHostnameAllowed(t *testing.T) {
	owned := []string{"shop.example.com", "shop.example.org"}
	for host, want := range map[string]bool{
		"shop.example.com":           true,
		"www.shop.example.com":       true,
		"*.shop.example.com":         true,
		"*.api.shop.example.com":     true,
		"WWW.Shop.Example.com":       true,
		"shop.example.org":           true,
		"":                           false, // a rule without a host serves every hostname
		"*.example.com":              false, // a wildcard over the owned name
		"example.com":                false,
		"evilshop.example.com":       false, // a suffix match must stop at a dot
		"shop.example.com.evil.io":   false,
		"*":                          false,
		"other.example.net":          false,
		"www.shop.example.community": false,
	} {
		if got := HostnameAllowed(host, owned); got != want {
			t.Errorf("HostnameAllowed(%q) = %t, want %t", host, got, want)
		}
	}
}

func TestValidateHostnames(t *testing.T) {
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"shop.example.com", "api.example.org"}, ""},
		{[]string{"*.shop.example.com"}, `list "shop.example.com"`},
		{[]string{"Shop.example.com"}, "not a DNS name"},
		{[]string{"https://shop.example.com"}, "not a DNS name"},
		{[]string{"com"}, "top-level domain"},
		{[]string{"a.example.com", "a.example.com"}, "listed twice"},
	} {
		errs := validateHostnames(c.names)
		got := ""
		for _, e := range errs {
			got += e.Error()
		}
		if (c.want == "") != (len(errs) == 0) || !strings.Contains(got, c.want) {
			t.Errorf("validateHostnames(%v) = %q, want %q", c.names, got, c.want)
		}
	}
	if errs := validateHostnames([]string{"*.x.example.com"}); len(errs) != 1 || errs[0].Path[0] != "allowed_hostnames" || errs[0].Path[1] != 0 {
		t.Errorf("the error names the element: %+v", errs)
	}
}

// The namespace carries the policy's label and list, and the shared policy comes with it; without
// a list there is neither.
func TestHostnamePolicyObjects(t *testing.T) {
	s := NamespaceSpec{Name: "shop", AllowedHostnames: []string{"shop.example.com", "shop.example.org"}}
	_, objs, err := Desired(s)
	if err != nil {
		t.Fatal(err)
	}
	ns, ok := objs[0].Obj.(*corev1.Namespace)
	if !ok {
		t.Fatalf("the first object is %T", objs[0].Obj)
	}
	if got := HostnamesFromNamespace(ns.Labels, ns.Annotations); strings.Join(got, " ") != "shop.example.com shop.example.org" {
		t.Errorf("hostnames read back from the namespace = %v", got)
	}
	ids := map[string]bool{}
	for _, o := range objs {
		ids[o.ID()] = true
	}
	if !ids["ValidatingAdmissionPolicy/"+HostnamePolicyName] || !ids["ValidatingAdmissionPolicyBinding/"+HostnamePolicyName] {
		t.Errorf("the hostname policy and binding are wanted: %v", ids)
	}
	_, objs, _ = Desired(NamespaceSpec{Name: "shop"})
	for _, o := range objs {
		if o.Name == HostnamePolicyName {
			t.Errorf("without allowed_hostnames there is no %s", o.ID())
		}
	}
}
