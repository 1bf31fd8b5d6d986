package kube

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// TestSharedPoliciesWrittenOncePerContent: an apply of many namespaces writes the shared admission
// policies once, writes them again when their content changes, and writes every namespace's own
// objects each time.
func TestSharedPoliciesWrittenOncePerContent(t *testing.T) {
	c, dyn := tFakeClient()
	patches := map[string]int{}
	dyn.PrependReactor("patch", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p, ok := a.(k8stesting.PatchAction)
		if !ok {
			t.Fatalf("%T", a)
		}
		patches[a.GetResource().Resource+"/"+p.GetName()]++
		// An apply answers with the object as stored: here, exactly what was applied.
		var u unstructured.Unstructured
		if err := u.UnmarshalJSON(p.GetPatch()); err != nil {
			t.Fatal(err)
		}
		return true, &u, nil
	})
	objects := func(ns, action string) []hardening.Object {
		_, objs, err := hardening.Desired(hardening.NamespaceSpec{Name: ns, Runner: hardening.RunnerIdentity{Users: []string{"ci"}},
			ImagePolicy: &hardening.ImagePolicyInput{AllowedRegistries: []string{"registry.example.com"}, Action: &action}})
		if err != nil {
			t.Fatal(err)
		}
		var out []hardening.Object
		for _, o := range objs {
			if hardening.IsShared(o.ID()) || o.Kind == "ServiceAccount" {
				out = append(out, o)
			}
		}
		return out
	}
	for _, ns := range []string{"a", "b", "c"} {
		for _, o := range objects(ns, hardening.ImageActionDeny) {
			if _, err := c.Apply(context.Background(), o, ns, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := patches["validatingadmissionpolicies/hardened-tamper"]; got != 1 {
		t.Errorf("the shared tamper policy was written %d times for 3 namespaces, want 1", got)
	}
	if got := patches["serviceaccounts/default"]; got != 3 {
		t.Errorf("each namespace's default ServiceAccount must be written: %d writes for 3 namespaces", got)
	}
	for _, o := range objects("d", hardening.ImageActionWarn) {
		if _, err := c.Apply(context.Background(), o, "d", false); err != nil {
			t.Fatal(err)
		}
	}
	if got := patches["validatingadmissionpolicybindings/hardened-images-warn"]; got != 1 {
		t.Errorf("a binding not written before must be written: %d", got)
	}
	if got := patches["validatingadmissionpolicies/hardened-images"]; got != 1 {
		t.Errorf("the image policy's content did not change, yet it was written %d times", got)
	}
}

// TestNewerWriter: an older release refuses to rewrite what a newer one wrote; builds that are
// not releases are never compared.
func TestNewerWriter(t *testing.T) {
	for _, c := range []struct{ live, ours, want string }{
		{"0.3.0", "0.2.0", "0.3.0"},
		{"0.3.0", "0.3.0", ""},
		{"0.3.0", "0.3.1", ""},
		{"1.0.0", "0.9.9", "1.0.0"},
		{"", "0.2.0", ""},
		{"0.3.0", "test", ""},
		{"dev", "0.2.0", ""},
	} {
		live := map[string]string{}
		if c.live != "" {
			live[ProviderVersionAnnotation] = c.live
		}
		if got := NewerWriter(live, c.ours); got != c.want {
			t.Errorf("NewerWriter(live %q, ours %q) = %q, want %q", c.live, c.ours, got, c.want)
		}
	}
}
