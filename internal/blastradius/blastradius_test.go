package blastradius

import (
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

func planned(t *testing.T, s hardening.NamespaceSpec) []hardening.Object {
	t.Helper()
	_, objs, err := hardening.Desired(s)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func obj(t *testing.T, o runtime.Object) map[string]any {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func owned(m map[string]any, kind, name string) map[string]any {
	meta, _ := m["metadata"].(map[string]any)
	meta["ownerReferences"] = []any{map[string]any{"kind": kind, "name": name, "controller": true}}
	return m
}

func pod(name string, labels map[string]string, image string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1ObjectMeta(name, labels),
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image,
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}}}},
	}
}

func ids(r Result) []string {
	var out []string
	for _, i := range r.Impacts {
		out = append(out, i.Kind+" "+i.Object)
	}
	return out
}

func TestJudge(t *testing.T) {
	ns := "team"
	spec := hardening.NamespaceSpec{Name: ns, Environment: "dev",
		ImagePolicy:   &hardening.ImagePolicyInput{AllowedRegistries: []string{"registry.example.com"}},
		ResourceQuota: map[string]string{"pods": "1"},
		Access:        []hardening.AccessEntry{{Role: "edit", Users: []string{"alice"}}},
	}
	objs := planned(t, spec)
	// Today alice and bob hold edit through the provider's binding.
	before := planned(t, hardening.NamespaceSpec{Name: ns, Environment: "dev", Access: []hardening.AccessEntry{{Role: "edit", Users: []string{"alice", "bob"}}}})
	var binding map[string]any
	for _, o := range before {
		if o.Kind == "RoleBinding" {
			binding = obj(t, o.Obj)
		}
	}
	web := pod("web-abc", map[string]string{"app": "web"}, "docker.io/bitnami/nginx:1.27")
	live := Live{Namespace: ns, Objects: map[string][]map[string]any{
		"Pod": {
			owned(obj(t, web), "ReplicaSet", "web-7d"),
			obj(t, pod("debug", nil, "registry.example.com/tools:1.0")),
			obj(t, pod("stray", nil, "quay.io/x/y:1")),
		},
		"ReplicaSet": {owned(map[string]any{"metadata": map[string]any{"name": "web-7d"}, "spec": map[string]any{
			"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"name": "app", "image": "docker.io/bitnami/nginx:1.27"}}}}}}, "Deployment", "web")},
		"Deployment": {{"metadata": map[string]any{"name": "web"}, "spec": map[string]any{
			"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"name": "app", "image": "docker.io/bitnami/nginx:1.27"}}}}}}},
		"Service": {obj(t, &corev1.Service{ObjectMeta: metav1ObjectMeta("web", nil), Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80}}}})},
		"RoleBinding": {binding},
	},
		PodSecurityWarnings: []string{
			`existing pods in namespace "team" violate the new PodSecurity enforce level "restricted:latest"`,
			`web-abc (and 1 other pod): allowPrivilegeEscalation != false`,
		},
	}
	r, err := Judge(live, objs)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"pod_security Deployment/web",
		"image_policy Deployment/web", "image_policy Pod/stray",
		"quota ResourceQuota/" + hardening.ResourceQuotaName,
		// No container sets requests or limits: the planned LimitRange gives them defaults.
		"limit_range Deployment/web", "limit_range Pod/debug", "limit_range Pod/stray",
		"network Service/web",
		"access User/bob",
	}
	if got := ids(r); !slices.Equal(got, want) {
		t.Fatalf("impacts\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for _, i := range r.Impacts {
		if i.Kind == Quota && !strings.Contains(i.Reason, "pods: 3 in use, planned hard limit 1") {
			t.Errorf("quota reason: %s", i.Reason)
		}
		if i.Kind == PodSecurity && !strings.Contains(i.Reason, "1 other pod") {
			t.Errorf("pod security reason: %s", i.Reason)
		}
	}

	// With today's state as the plan, nothing breaks: every check judges a change, not the state.
	same := planned(t, hardening.NamespaceSpec{Name: ns, Environment: "dev", Access: []hardening.AccessEntry{{Role: "edit", Users: []string{"alice", "bob"}}},
		Network: hardening.NetworkInput{DenyIngress: ptrTo(false)}})
	live.PodSecurityWarnings = nil
	for _, o := range same {
		if o.Kind == "LimitRange" {
			live.Objects["LimitRange"] = []map[string]any{obj(t, o.Obj)}
		}
	}
	r, err = Judge(live, same)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Impacts) != 0 {
		t.Fatalf("no change, yet %v", ids(r))
	}
}

func TestJudgeNetworkKeepsAllowedCallers(t *testing.T) {
	ns := "team"
	live := Live{Namespace: ns, Objects: map[string][]map[string]any{
		"Pod": {obj(t, pod("web", map[string]string{"app": "web"}, "registry.example.com/web:1"))},
		"Service": {obj(t, &corev1.Service{ObjectMeta: metav1ObjectMeta("web", nil), Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80}}}})},
	}}
	for _, c := range []struct {
		network hardening.NetworkInput
		cut     bool
	}{
		{hardening.NetworkInput{}, true},
		{hardening.NetworkInput{AllowIngressFromNamespaces: []string{"ingress-nginx"}}, false},
		{hardening.NetworkInput{AllowIngressFromCIDRs: []string{"10.0.0.0/8"}}, false},
		{hardening.NetworkInput{DenyIngress: ptrTo(false)}, false},
	} {
		r, err := Judge(live, planned(t, hardening.NamespaceSpec{Name: ns, Environment: "dev", Network: c.network}))
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(ids(r), "network Service/web"); got != c.cut {
			t.Errorf("%+v: cut = %v, want %v (%v)", c.network, got, c.cut, r.Impacts)
		}
	}
}

func TestJudgeLimitRange(t *testing.T) {
	p := pod("batch", nil, "registry.example.com/x:1")
	p.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: mustQuantity("4")}
	live := Live{Namespace: "team", Objects: map[string][]map[string]any{"Pod": {obj(t, p)}}}
	r, err := Judge(live, planned(t, hardening.NamespaceSpec{Name: "team", Environment: "dev"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Impacts) != 1 || r.Impacts[0].Kind != LimitRange {
		t.Fatalf("want one limit_range impact, got %+v", r.Impacts)
	}
	for _, want := range []string{"limits.cpu 4 is above the planned max 2", "gets limits.memory 512Mi", "gets requests.cpu"} {
		if !strings.Contains(r.Impacts[0].Reason, want) {
			t.Errorf("reason %q lacks %q", r.Impacts[0].Reason, want)
		}
	}
}

func TestSummaryCapsNames(t *testing.T) {
	var ims []Impact
	for i := range MaxNamed + 5 {
		ims = append(ims, Impact{Kind: Access, Object: "User/u" + string(rune('a'+i)), Reason: "loses edit"})
	}
	s := Summary(ims)
	if strings.Count(s, "\n  - ") != MaxNamed || !strings.Contains(s, "and 5 more") {
		t.Fatalf("summary:\n%s", s)
	}
}

// What the API server says about its own evaluation (caps, failures) is a note, not an impact.
func TestPodSecurityNotes(t *testing.T) {
	live := Live{Namespace: "team", PodSecurityWarnings: []string{
		"failed to list pods while checking new PodSecurity enforce level",
		"new PodSecurity enforce level only checked against the first 3000 of 5000 existing pods",
		`existing pods in namespace "team" violate the new PodSecurity enforce level "restricted:latest"`,
		"db-0 (and 4 other pods): runAsNonRoot != true",
	}}
	r, err := Judge(live, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(r); !slices.Equal(got, []string{"pod_security Pod/db-0"}) || len(r.Notes) != 2 {
		t.Fatalf("impacts %v, notes %q", got, r.Notes)
	}
	if !strings.Contains(r.Impacts[0].Reason, "4 other pods") {
		t.Fatalf("reason %q", r.Impacts[0].Reason)
	}
}

// A policy the evaluator cannot read is said in a note, not dropped in silence.
func TestJudgeNetworkUnevaluableIsANote(t *testing.T) {
	live := Live{Namespace: "team", Objects: map[string][]map[string]any{
		"Pod": {obj(t, pod("web", map[string]string{"app": "web"}, "registry.example.com/web:1"))},
		"Service": {obj(t, &corev1.Service{ObjectMeta: metav1ObjectMeta("web", nil), Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80, Protocol: "NOPE"}}}})},
	}}
	r, err := Judge(live, planned(t, hardening.NamespaceSpec{Name: "team", Environment: "dev"}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "traffic was not judged") }) {
		t.Fatalf("notes %q, impacts %v", r.Notes, ids(r))
	}
}
