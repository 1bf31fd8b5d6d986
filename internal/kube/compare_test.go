package kube

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestDriftOwnedWhole(t *testing.T) {
	desired := map[string]any{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
		"metadata": map[string]any{"name": "hardened-default-deny", "labels": map[string]any{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}},
		"spec":     map[string]any{"podSelector": map[string]any{}, "policyTypes": []any{"Ingress", "Egress"}}}
	live := func(mut func(spec map[string]any), meta map[string]any) map[string]any {
		spec := map[string]any{"podSelector": map[string]any{}, "policyTypes": []any{"Ingress", "Egress"}}
		if mut != nil {
			mut(spec)
		}
		m := map[string]any{"name": "hardened-default-deny", "labels": map[string]any{"app.kubernetes.io/managed-by": "terraform-provider-hardened"},
			"resourceVersion": "7", "uid": "u"}
		for k, v := range meta {
			m[k] = v
		}
		return map[string]any{"metadata": m, "spec": spec, "status": map[string]any{}}
	}
	for _, tt := range []struct {
		name string
		live map[string]any
		want string
	}{
		{"equal", live(nil, nil), ""},
		{"labels and annotations others add", live(nil, map[string]any{"annotations": map[string]any{"mesh": "x"},
			"labels": map[string]any{"app.kubernetes.io/managed-by": "terraform-provider-hardened", "istio.io/rev": "1"}}), ""},
		{"an ingress rule added", live(func(s map[string]any) { s["ingress"] = []any{map[string]any{}} }, nil), ".spec.ingress"},
		{"selector narrowed", live(func(s map[string]any) {
			s["podSelector"] = map[string]any{"matchLabels": map[string]any{"app": "x"}}
		}, nil), ".spec.podSelector.matchLabels"},
		{"policy type dropped", live(func(s map[string]any) { s["policyTypes"] = []any{"Ingress"} }, nil), ".spec.policyTypes"},
		{"empty list is absent", live(func(s map[string]any) { s["egress"] = []any{} }, nil), ""},
	} {
		where, differs := Drift(desired, tt.live)
		if (tt.want != "") != differs || !strings.Contains(where, tt.want) {
			t.Errorf("%s: Drift = %q, %t; want %q", tt.name, where, differs, tt.want)
		}
	}
	// A kind other controllers write to is compared only where desired sets a value.
	sa := map[string]any{"kind": "ServiceAccount", "metadata": map[string]any{"name": "default"}, "automountServiceAccountToken": false}
	if where, differs := Drift(sa, map[string]any{"metadata": map[string]any{"name": "default"}, "automountServiceAccountToken": false,
		"imagePullSecrets": []any{map[string]any{"name": "regcred"}}}); differs {
		t.Errorf("a tenant's imagePullSecrets on the default ServiceAccount is drift: %s", where)
	}
}

func TestMetadataOnlyManagedFields(t *testing.T) {
	entry := func(raw string) metav1.ManagedFieldsEntry {
		return metav1.ManagedFieldsEntry{Manager: "m", FieldsV1: metav1.NewFieldsV1(raw)}
	}
	if !metadataOnly(entry(`{"f:metadata":{"f:labels":{"f:istio.io/rev":{}}}}`)) {
		t.Error("a labels-only entry is not metadata only")
	}
	if metadataOnly(entry(`{"f:metadata":{},"f:spec":{"f:ingress":{}}}`)) {
		t.Error("an entry claiming spec is metadata only")
	}
}

func TestPollRetriesTransientErrors(t *testing.T) {
	calls := 0
	err := poll(context.Background(), func() (bool, error) {
		calls++
		if calls < 3 {
			return false, apierrors.NewServiceUnavailable("the API server is restarting")
		}
		return true, nil
	}, func() string { return "never" })
	if err != nil || calls != 3 {
		t.Fatalf("poll = %v after %d calls; a 503 must be retried", err, calls)
	}
	err = poll(context.Background(), func() (bool, error) {
		return false, apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "x", errors.New("no"))
	}, func() string { return "never" })
	if !apierrors.IsForbidden(err) {
		t.Fatalf("poll = %v; a 403 is not transient and must end the wait", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = poll(ctx, func() (bool, error) { return false, apierrors.NewServiceUnavailable("down") }, func() string { return "namespace x still exists" })
	if err == nil || !strings.Contains(err.Error(), "namespace x still exists") || !strings.Contains(err.Error(), "down") {
		t.Fatalf("poll at timeout = %v; want the explanation and the last transient error", err)
	}
}

func TestExplainNamesTheAdmissionPolicy(t *testing.T) {
	refusal := apierrors.NewForbidden(schema.GroupResource{Group: "networking.k8s.io", Resource: "networkpolicies"}, "hardened-default-deny",
		errors.New("ValidatingAdmissionPolicy 'hardened-tamper.team' with binding 'hardened-tamper.team' denied request: hardened_namespace tamper protection: ..."))
	got := Explain(refusal, "https://k").Error()
	if !strings.Contains(got, "an admission policy refused the request") || strings.Contains(got, "grant it the provider's ClusterRole") {
		t.Errorf("Explain(policy refusal) = %q: it must say an admission policy refused, not ask for more RBAC", got)
	}
	rbac := apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "x", errors.New(`User "ci" cannot patch resource "namespaces"`))
	if got := Explain(rbac, "https://k").Error(); !strings.Contains(got, "grant it the provider's ClusterRole") {
		t.Errorf("Explain(RBAC refusal) = %q: it must point to the provider's ClusterRole", got)
	}
	if !apierrors.IsForbidden(Explain(refusal, "https://k")) {
		t.Error("Explain hides the API status: callers can no longer tell a 403")
	}
}
