package kube

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	kubefake "k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

func tObj(apiVersion, kind, ns, name string, labels map[string]any) *unstructured.Unstructured {
	meta := map[string]any{"name": name}
	if ns != "" {
		meta["namespace"] = ns
	}
	if labels != nil {
		meta["labels"] = labels
	}
	return &unstructured.Unstructured{Object: map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": meta}}
}

var tManaged = map[string]any{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}

func tFakeClient(objs ...runtime.Object) (*Client, *dynamicfake.FakeDynamicClient) {
	listKinds := map[schema.GroupVersionResource]string{}
	for kind, gvr := range resources {
		listKinds[gvr] = kind + "List"
	}
	dyn := dynamicfake.NewSimpleDynamicClientWithCustomListKinds(runtime.NewScheme(), listKinds, objs...)
	return &Client{Dynamic: dyn, Clientset: kubefake.NewClientset(), fieldManager: "terraform-provider-hardened", host: "https://fake"}, dyn
}

// TestObserveSeparatesForeignObjects: one snapshot serves every namespace; the tenant's own
// NetworkPolicies and RoleBindings come back as Others, labelled objects as Managed, and a kind
// the server does not serve (404 on LIST) is skipped rather than read as "namespace gone".
func TestObserveSeparatesForeignObjects(t *testing.T) {
	c, dyn := tFakeClient(
		tObj("v1", "Namespace", "", "team", tManaged),
		tObj("v1", "ServiceAccount", "team", "default", nil),
		tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "hardened-default-deny", tManaged),
		tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "tenant-allow-all", nil),
		tObj("rbac.authorization.k8s.io/v1", "RoleBinding", "team", "by-hand", nil),
		tObj("v1", "ConfigMap", "team", "app-config", nil),
		tObj("networking.k8s.io/v1", "NetworkPolicy", "other", "other-policy", nil),
	)
	dyn.PrependReactor("list", "validatingadmissionpolicies", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewNotFound(schema.GroupResource{Group: "admissionregistration.k8s.io", Resource: "validatingadmissionpolicies"}, "")
	})
	lists := 0
	dyn.PrependReactor("list", "*", func(k8stesting.Action) (bool, runtime.Object, error) { lists++; return false, nil, nil })
	obs, err := c.Observe(context.Background(), "team", hardening.NamespacedKinds, []string{"ValidatingAdmissionPolicy/hardened-tamper.team"})
	if err != nil {
		t.Fatalf("Observe: %v (a kind the server does not serve must not fail the read)", err)
	}
	if obs.Namespace == nil || obs.Namespace.Name != "team" {
		t.Fatalf("namespace = %+v", obs.Namespace)
	}
	for _, id := range []string{"NetworkPolicy/hardened-default-deny", "ServiceAccount/default"} {
		if obs.Managed[id] == nil {
			t.Errorf("Managed lacks %s: %v", id, keys(obs.Managed))
		}
	}
	if obs.Managed["ConfigMap/app-config"] != nil {
		t.Error("an unlabelled ConfigMap was read as the provider's")
	}
	var others []string
	for _, o := range obs.Others {
		others = append(others, o.GetKind()+"/"+o.GetName())
	}
	if strings.Join(others, ",") != "NetworkPolicy/tenant-allow-all,RoleBinding/by-hand" && strings.Join(others, ",") != "RoleBinding/by-hand,NetworkPolicy/tenant-allow-all" {
		t.Errorf("Others = %v, want the tenant's policy and binding in this namespace only", others)
	}
	first := lists
	if _, err := c.Observe(context.Background(), "team", hardening.NamespacedKinds, nil); err != nil {
		t.Fatal(err)
	}
	if lists != first {
		t.Errorf("a second Observe listed again (%d lists after %d): the snapshot must serve it", lists, first)
	}
	// Used again and again within the TTL, the snapshot lasts however long the walk; left unused
	// for the TTL, it is taken again.
	now := time.Now()
	c.snap.now = func() time.Time { return now }
	for i := 0; i < 4; i++ {
		now = now.Add(snapshotTTL * 3 / 4)
		if _, err := c.Observe(context.Background(), "team", hardening.NamespacedKinds, nil); err != nil {
			t.Fatal(err)
		}
	}
	if lists != first {
		t.Errorf("a walk that kept using the snapshot for 3 TTLs listed again (%d lists after %d)", lists, first)
	}
	now = now.Add(snapshotTTL + time.Second)
	if _, err := c.Observe(context.Background(), "team", hardening.NamespacedKinds, nil); err != nil {
		t.Fatal(err)
	}
	if lists == first {
		t.Error("a snapshot unused for longer than the TTL was still served")
	}
	if _, err := c.Observe(context.Background(), "gone", hardening.NamespacedKinds, nil); !apierrors.IsNotFound(err) {
		t.Errorf("Observe of a missing namespace = %v, want NotFound", err)
	}
}

// TestReplaceContentDropsForeignClaims: the update that restores an object replaces everything
// but metadata and drops the managedFields entries of other managers that claimed the content.
func TestReplaceContentDropsForeignClaims(t *testing.T) {
	live := tObj("networking.k8s.io/v1", "NetworkPolicy", "team", "hardened-default-deny", tManaged)
	live.Object["spec"] = map[string]any{"podSelector": map[string]any{}, "policyTypes": []any{"Ingress"}, "ingress": []any{map[string]any{}}}
	live.SetAnnotations(map[string]string{"mesh": "seen"})
	live.SetManagedFields([]metav1.ManagedFieldsEntry{
		{Manager: "terraform-provider-hardened", Operation: metav1.ManagedFieldsOperationApply, FieldsV1: metav1.NewFieldsV1(`{"f:spec":{"f:podSelector":{}}}`)},
		{Manager: "kubectl-patch", Operation: metav1.ManagedFieldsOperationUpdate, FieldsV1: metav1.NewFieldsV1(`{"f:spec":{"f:ingress":{}}}`)},
		{Manager: "mesh", Operation: metav1.ManagedFieldsOperationUpdate, FieldsV1: metav1.NewFieldsV1(`{"f:metadata":{"f:annotations":{"f:mesh":{}}}}`)},
	})
	c, dyn := tFakeClient(live.DeepCopy())
	var sent *unstructured.Unstructured
	dyn.PrependReactor("update", "networkpolicies", func(a k8stesting.Action) (bool, runtime.Object, error) {
		update, ok := a.(k8stesting.UpdateAction)
		if !ok {
			return false, nil, nil
		}
		sent, ok = update.GetObject().(*unstructured.Unstructured)
		return ok, sent, nil
	})
	desired := map[string]any{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
		"metadata": map[string]any{"name": "hardened-default-deny"}, "spec": map[string]any{"podSelector": map[string]any{}, "policyTypes": []any{"Ingress"}}}
	ri, _ := c.resource("NetworkPolicy", "team")
	if _, err := c.replaceContent(context.Background(), ri, desired, live); err != nil {
		t.Fatal(err)
	}
	if _, has := sent.Object["spec"].(map[string]any)["ingress"]; has {
		t.Error("the tenant's ingress rule survived the restore")
	}
	if sent.GetAnnotations()["mesh"] != "seen" {
		t.Error("metadata another tool owns was not kept")
	}
	var managers []string
	for _, e := range sent.GetManagedFields() {
		managers = append(managers, e.Manager)
	}
	if strings.Join(managers, ",") != "terraform-provider-hardened,mesh" {
		t.Errorf("managedFields kept %v, want the provider's and the metadata-only one", managers)
	}
}

func TestRESTConfigFlagsInsecureKubeconfig(t *testing.T) {
	dir := t.TempDir()
	kc := filepath.Join(dir, "config")
	doc := `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: x
contexts:
- name: c
  context: {cluster: c, user: u}
current-context: c
`
	if err := os.WriteFile(kc, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	rc, err := RESTConfig(Config{ConfigPaths: []string{kc}})
	if err != nil || !rc.Insecure {
		t.Fatalf("RESTConfig = %v, insecure %v; a kubeconfig that skips verification must be visible", err, rc != nil && rc.Insecure)
	}
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	if _, err := RESTConfig(Config{}); err == nil || !strings.Contains(err.Error(), "inside a cluster") {
		t.Errorf("RESTConfig with nothing configured outside a cluster = %v, want an error that mentions in-cluster use", err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
