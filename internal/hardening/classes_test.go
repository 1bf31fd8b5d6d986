package hardening

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestClassPolicyResolveAndRoundTrip(t *testing.T) {
	// prod bounds preempting priorities by default; other environments bound nothing unless asked.
	if r, _ := Resolve(NamespaceSpec{Name: "a"}); r.ClassPolicy == nil || r.ClassPolicy.MaxPreemptingPriority == nil || *r.ClassPolicy.MaxPreemptingPriority != 0 {
		t.Errorf("prod: %+v", r.ClassPolicy)
	}
	if r, _ := Resolve(NamespaceSpec{Name: "a", Environment: EnvDev}); r.ClassPolicy != nil {
		t.Errorf("dev: %+v", r.ClassPolicy)
	}
	high := int64(1000)
	spec := NamespaceSpec{Name: "a", Environment: EnvDev, AllowedStorageClasses: []string{"gp3", "standard"},
		AllowedPriorityClasses: []string{"team-high"}, MaxPreemptingPriority: &high}
	r, err := Resolve(spec)
	if err != nil || r.ClassPolicy == nil {
		t.Fatal(err)
	}
	l, a := classPolicyMetadata(*r.ClassPolicy)
	back := ClassPolicyFromNamespace(l, a)
	if back == nil || !slices.Equal(back.StorageClasses, spec.AllowedStorageClasses) || !slices.Equal(back.PriorityClasses, spec.AllowedPriorityClasses) ||
		back.MaxPreemptingPriority == nil || *back.MaxPreemptingPriority != high {
		t.Errorf("read back %+v from %v %v", back, l, a)
	}
	// Adoption writes only what differs from the preset.
	l[EnvironmentLabel] = EnvDev
	adopted := Adopt(Live{Namespace: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "a", Labels: l, Annotations: a}}})
	if !slices.Equal(adopted.AllowedStorageClasses, spec.AllowedStorageClasses) || adopted.MaxPreemptingPriority == nil || *adopted.MaxPreemptingPriority != high {
		t.Errorf("adopted %+v", adopted)
	}
}

func TestValidateClassPolicy(t *testing.T) {
	huge := int64(2000000000)
	for _, c := range []struct {
		spec NamespaceSpec
		want string
	}{
		{NamespaceSpec{AllowedStorageClasses: []string{"gp3"}}, ""},
		{NamespaceSpec{AllowedStorageClasses: []string{"GP3"}}, "allowed_storage_classes"},
		{NamespaceSpec{AllowedPriorityClasses: []string{"a", "a"}}, "listed twice"},
		{NamespaceSpec{MaxPreemptingPriority: &huge}, "max_preempting_priority"},
	} {
		var got []string
		for _, e := range validateClassPolicy(c.spec) {
			got = append(got, e.Error())
		}
		all := strings.Join(got, "; ")
		if (c.want == "") != (all == "") || !strings.Contains(all, c.want) {
			t.Errorf("%+v: %q, want %q", c.spec, all, c.want)
		}
	}
}
