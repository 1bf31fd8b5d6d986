package hardening

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// The pull policy follows the environment unless configured, and how it is enforced follows the
// cluster: a label and the shared mutating policy where MutatingAdmissionPolicy is served, the
// label alone (read by the image policy) elsewhere.
func TestPullPolicyResolution(t *testing.T) {
	off := false
	images := func(env string, always *bool, mutating bool) NamespaceSpec {
		return NamespaceSpec{Name: "x", Environment: env, MutatingAdmissionPolicy: mutating,
			ImagePolicy: &ImagePolicyInput{AllowedRegistries: []string{"registry.example.com"}, AlwaysPullImages: always}}
	}
	for _, c := range []struct {
		what  string
		spec  NamespaceSpec
		label string
	}{
		{"prod, served", images("prod", nil, true), PullPolicyMutate},
		{"prod, not served", images("prod", nil, false), PullPolicyRefuse},
		{"prod, turned off", images("prod", &off, true), ""},
		{"dev", images("dev", nil, true), ""},
		{"no image policy", NamespaceSpec{Name: "x", MutatingAdmissionPolicy: true}, ""},
	} {
		_, objs, err := Desired(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		ns, ok := objs[0].Obj.(*corev1.Namespace)
		if !ok {
			t.Fatalf("the first object is %T", objs[0].Obj)
		}
		if got := ns.Labels[PullPolicyLabel]; got != c.label {
			t.Errorf("%s: pull policy label %q, want %q", c.what, got, c.label)
		}
		ids := ManagedIDs(objs)
		hasMAP := slices.Contains(ids, "MutatingAdmissionPolicy/"+PullPolicyName) && slices.Contains(ids, "MutatingAdmissionPolicyBinding/"+PullPolicyName)
		if hasMAP != (c.label == PullPolicyMutate) {
			t.Errorf("%s: shared mutating policy wanted: %t, objects %v", c.what, hasMAP, ids)
		}
		p := ImagePolicyFromNamespace(ns.Labels, ns.Annotations)
		if c.spec.ImagePolicy != nil && (p == nil || p.AlwaysPull != (c.label != "") || p.PullMutates != (c.label == PullPolicyMutate)) {
			t.Errorf("%s: read back from the namespace as %+v", c.what, p)
		}
	}
	// A label someone removed, or added where none is wanted, is a policy not in force.
	r, _ := Resolve(images("prod", nil, true))
	if d := ImagePolicyKeysDiffer(*r.ImagePolicy, map[string]string{ImagePolicyLabel: "Deny"},
		map[string]string{AllowedRegistriesAnnotation: "registry.example.com", ImageRulesAnnotation: imageRuleForbidLatest}); !strings.Contains(d, PullPolicyLabel) {
		t.Errorf("a removed pull policy label is not seen: %q", d)
	}
	r, _ = Resolve(images("prod", &off, true))
	if d := ImagePolicyKeysDiffer(*r.ImagePolicy, map[string]string{ImagePolicyLabel: "Deny", PullPolicyLabel: PullPolicyRefuse},
		map[string]string{AllowedRegistriesAnnotation: "registry.example.com", ImageRulesAnnotation: imageRuleForbidLatest}); !strings.Contains(d, "want none") {
		t.Errorf("an added pull policy label is not seen: %q", d)
	}
}

// Import writes always_pull_images only where the live namespace differs from its environment's
// default, so importing a namespace configured with the default plans no change.
func TestAdoptPullPolicy(t *testing.T) {
	for _, c := range []struct {
		env, label string
		want       *bool
	}{
		{"prod", PullPolicyMutate, nil},
		{"prod", "", ptr(false)},
		{"dev", PullPolicyRefuse, ptr(true)},
		{"dev", "", nil},
	} {
		labels := map[string]string{EnvironmentLabel: c.env, ImagePolicyLabel: "Deny"}
		if c.label != "" {
			labels[PullPolicyLabel] = c.label
		}
		l := Live{Namespace: &corev1.Namespace{}}
		l.Namespace.Name, l.Namespace.Labels = "x", labels
		l.Namespace.Annotations = map[string]string{AllowedRegistriesAnnotation: "registry.example.com"}
		got := Adopt(l).ImagePolicy
		if got == nil || (got.AlwaysPullImages == nil) != (c.want == nil) || (c.want != nil && *got.AlwaysPullImages != *c.want) {
			t.Errorf("%s with label %q: adopted %+v, want always_pull_images %v", c.env, c.label, got, c.want)
		}
	}
}
