package provider

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// The resource's decisions on Read, Update and Delete, against a fake cluster: what it reads,
// writes and deletes, and what it tells the user. No cluster and no terraform CLI.

// namespaceValues is a hardened_namespace state (or plan) in which only set is non-null.
func namespaceValues(t *testing.T, set map[string]any) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	st := tfsdk.State{Schema: namespaceSchema, Raw: tftypes.NewValue(namespaceSchema.Type().TerraformType(ctx), nil)}
	for name, v := range set {
		if d := st.SetAttribute(ctx, path.Root(name), v); d.HasError() {
			t.Fatalf("setting %s: %v", name, d)
		}
	}
	return st
}

// newPrivate gives a response an empty private state, as the framework does before calling the
// resource (its type is internal to the framework, so it is made from the field's type).
func newPrivate(field any) {
	v := reflect.ValueOf(field).Elem()
	v.Set(reflect.New(v.Type().Elem()))
}

func readNamespace(t *testing.T, f *fakeCluster, state tfsdk.State) *resource.ReadResponse {
	t.Helper()
	resp := &resource.ReadResponse{State: state}
	newPrivate(&resp.Private)
	r := &NamespaceResource{data: onCluster(f)}
	r.Read(context.Background(), resource.ReadRequest{State: state}, resp)
	return resp
}

func deleteNamespace(t *testing.T, f *fakeCluster, state tfsdk.State) diag.Diagnostics {
	t.Helper()
	resp := &resource.DeleteResponse{State: state}
	newPrivate(&resp.Private)
	r := &NamespaceResource{data: onCluster(f)}
	r.Delete(context.Background(), resource.DeleteRequest{State: state}, resp)
	return resp.Diagnostics
}

func withSummary(diags diag.Diagnostics, summary string) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range diags {
		if d.Summary() == summary {
			out = append(out, d)
		}
	}
	return out
}

// observedAsDesired is a live namespace holding exactly what spec asks for, minus the objects
// missing lists.
func observedAsDesired(t *testing.T, spec hardening.NamespaceSpec, missing ...string) (*kube.Observed, []string) {
	t.Helper()
	_, objs, err := hardening.FromState(spec)
	if err != nil {
		t.Fatal(err)
	}
	nsObj, ok := objs[0].Obj.(*corev1.Namespace)
	if !ok {
		t.Fatalf("first object is %T, want the namespace", objs[0].Obj)
	}
	ns := nsObj.DeepCopy()
	ns.UID = "0f0f0f0f-0000-0000-0000-000000000001"
	obs := &kube.Observed{Namespace: ns, Managed: map[string]*unstructured.Unstructured{}}
	for _, o := range objs[1:] {
		if slices.Contains(missing, o.ID()) {
			continue
		}
		body, err := hardening.Unstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		obs.Managed[o.ID()] = &unstructured.Unstructured{Object: body}
	}
	return obs, hardening.ManagedIDs(objs)
}

// TestNamespaceRead_namespaceGone: a namespace deleted outside Terraform (or terminating) leaves
// the state, without an error and without any other request.
func TestNamespaceRead_namespaceGone(t *testing.T) {
	terminating, _ := observedAsDesired(t, hardening.NamespaceSpec{Name: "team"})
	terminating.Namespace.DeletionTimestamp = &metav1.Time{}
	for name, f := range map[string]*fakeCluster{
		"not found":   {observeErr: apierrors.NewNotFound(schema.GroupResource{Resource: "namespaces"}, "team")},
		"terminating": {observed: terminating},
	} {
		t.Run(name, func(t *testing.T) {
			resp := readNamespace(t, f, namespaceValues(t, map[string]any{"id": "team", "name": "team"}))
			if resp.Diagnostics.HasError() {
				t.Fatalf("Read failed: %v", resp.Diagnostics)
			}
			if !resp.State.Raw.IsNull() {
				t.Error("the namespace stayed in state")
			}
			if !slices.Equal(f.calls, []string{"Observe team"}) {
				t.Errorf("calls = %v, want one Observe", f.calls)
			}
		})
	}
}

// TestNamespaceRead_objectDeleted: a managed object deleted outside Terraform is reported and
// leaves managed_objects, so the plan shows apply recreating it; Read writes nothing.
func TestNamespaceRead_objectDeleted(t *testing.T) {
	off := false
	gone := "NetworkPolicy/" + hardening.PolicyAllowDNS
	obs, desired := observedAsDesired(t, hardening.NamespaceSpec{Name: "team", TamperProtection: &off}, gone)
	f := &fakeCluster{observed: obs}
	resp := readNamespace(t, f, namespaceValues(t, map[string]any{"id": "team", "name": "team", "tamper_protection": false}))
	if resp.Diagnostics.HasError() {
		t.Fatalf("Read failed: %v", resp.Diagnostics)
	}
	deleted := withSummary(resp.Diagnostics, "Object deleted outside Terraform")
	if len(deleted) != 1 || !strings.Contains(deleted[0].Detail(), gone) {
		t.Errorf("warnings = %v, want one saying %s was deleted", resp.Diagnostics, gone)
	}
	if changed := withSummary(resp.Diagnostics, "Object changed outside Terraform"); len(changed) > 0 {
		t.Errorf("objects as applied reported changed: %v", changed)
	}
	var managed []string
	if d := resp.State.GetAttribute(context.Background(), path.Root("managed_objects"), &managed); d.HasError() {
		t.Fatal(d)
	}
	want := slices.DeleteFunc(slices.Clone(desired), func(id string) bool { return id == gone })
	if !slices.Equal(managed, want) {
		t.Errorf("managed_objects = %v, want %v", managed, want)
	}
	if !slices.Equal(f.calls, []string{"Observe team"}) {
		t.Errorf("calls = %v: a refresh only reads", f.calls)
	}
}

// TestNamespaceDelete_deletionProtection: a protected namespace is refused at the attribute before
// anything reaches the cluster.
func TestNamespaceDelete_deletionProtection(t *testing.T) {
	f := &fakeCluster{labelled: hardening.LegacyClusterObjectIDs("team")}
	diags := deleteNamespace(t, f, namespaceValues(t, map[string]any{"id": "team", "name": "team", "deletion_protection": true}))
	if !diags.HasError() {
		t.Fatal("a protected namespace was deleted")
	}
	if p, ok := diags.Errors()[0].(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root("deletion_protection")) {
		t.Errorf("error not at deletion_protection: %v", diags)
	}
	if len(f.calls) > 0 {
		t.Errorf("calls = %v, want none", f.calls)
	}
}

// TestNamespaceDelete_legacyPolicies: an earlier release's per-namespace admission policies do not
// go with the namespace. Those live are deleted first, bindings before policies; RBAC refusing it
// is a warning that does not block the destroy, any other failure stops it.
func TestNamespaceDelete_legacyPolicies(t *testing.T) {
	imgBinding, imgPolicy := hardening.LegacyImageBindingID("team"), hardening.LegacyImagePolicyID("team")
	liveLegacy := []string{imgPolicy, imgBinding, "NetworkPolicy/" + hardening.PolicyDefaultDeny,
		"ValidatingAdmissionPolicy/" + hardening.TamperPolicyName, "ValidatingAdmissionPolicyBinding/" + hardening.TamperPolicyName}
	forbidden := apierrors.NewForbidden(schema.GroupResource{Group: "admissionregistration.k8s.io", Resource: "validatingadmissionpolicybindings"}, "hardened-images.team", nil)
	for _, tc := range []struct {
		name      string
		labelled  []string
		deleteErr error
		wantCalls []string
		wantWarn  bool
		wantErr   bool
	}{
		{name: "only live ones, bindings first", labelled: liveLegacy,
			wantCalls: []string{"LiveManagedIDs team", "Delete " + imgBinding, "Delete " + imgPolicy, "DeleteNamespace team"}},
		{name: "none live", labelled: []string{"NetworkPolicy/" + hardening.PolicyDefaultDeny},
			wantCalls: []string{"LiveManagedIDs team", "DeleteNamespace team"}},
		{name: "forbidden is a warning", labelled: liveLegacy, deleteErr: forbidden, wantWarn: true,
			wantCalls: []string{"LiveManagedIDs team", "Delete " + imgBinding, "Delete " + imgPolicy, "DeleteNamespace team"}},
		{name: "other failures stop the destroy", labelled: liveLegacy, deleteErr: apierrors.NewInternalError(context.DeadlineExceeded), wantErr: true,
			wantCalls: []string{"LiveManagedIDs team", "Delete " + imgBinding}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeCluster{labelled: tc.labelled, deleteErr: map[string]error{imgBinding: tc.deleteErr}}
			diags := deleteNamespace(t, f, namespaceValues(t, map[string]any{"id": "team", "name": "team"}))
			if diags.HasError() != tc.wantErr {
				t.Errorf("error = %v, want %v: %v", diags.HasError(), tc.wantErr, diags)
			}
			if got := len(withSummary(diags, "Earlier admission policy left in place")) > 0; got != tc.wantWarn {
				t.Errorf("warning = %v, want %v: %v", got, tc.wantWarn, diags)
			}
			if !slices.Equal(f.calls, tc.wantCalls) {
				t.Errorf("calls = %v\nwant %v", f.calls, tc.wantCalls)
			}
		})
	}
}

// TestNamespaceUpdate_prunes: after applying, a labelled object the configuration no longer wants
// is deleted, an earlier release's per-namespace policy too (binding first, outside the
// namespace), and nothing else: not what is wanted, not the namespace, not the admission policies
// every namespace shares, even when the listing returns them.
func TestNamespaceUpdate_prunes(t *testing.T) {
	stale := "NetworkPolicy/" + hardening.PolicyAllowFromNS
	shared := []string{"ValidatingAdmissionPolicy/" + hardening.ImagePolicyName, "ValidatingAdmissionPolicyBinding/" + hardening.ImageBindingName("Deny"),
		"ValidatingAdmissionPolicy/" + hardening.TamperPolicyName, "ValidatingAdmissionPolicyBinding/" + hardening.TamperPolicyName}
	f := &fakeCluster{labelled: append([]string{"Namespace/team", "NetworkPolicy/" + hardening.PolicyDefaultDeny,
		"ResourceQuota/" + hardening.ResourceQuotaName, stale, hardening.LegacyTamperPolicyID("team"), hardening.LegacyImageBindingID("team")}, shared...),
		wide: true}
	values := map[string]any{"id": "team", "name": "team", "tamper_protection": false, "wait_for_default_service_account": false}
	plan := namespaceValues(t, values)
	state := namespaceValues(t, values)
	resp := &resource.UpdateResponse{State: state}
	newPrivate(&resp.Private)
	r := &NamespaceResource{data: onCluster(f)}
	r.Update(context.Background(), resource.UpdateRequest{Plan: tfsdk.Plan(plan), State: state}, resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Update failed: %v", resp.Diagnostics)
	}
	want := []string{"Delete " + hardening.LegacyImageBindingID("team"), "Delete " + hardening.LegacyTamperPolicyID("team"), "Delete " + stale + " in team"}
	if got := f.called("Delete"); !slices.Equal(got, want) {
		t.Errorf("deleted %v\nwant %v", got, want)
	}
	if applied := f.called("Apply Namespace/team"); len(applied) != 1 {
		t.Errorf("the namespace was applied %d times: %v", len(applied), f.calls)
	}
	var uid string
	if d := resp.State.GetAttribute(context.Background(), path.Root("uid"), &uid); d.HasError() || uid == "" {
		t.Errorf("uid in state = %q (%v)", uid, d)
	}
}

// Where the cluster serves no Gateway API route, a plan with allowed_hostnames says that only
// Ingresses are judged; where one is served, or no hostnames are listed, it says nothing.
func TestCheckGatewayRoutes(t *testing.T) {
	ctx := context.Background()
	owned := hardening.NamespaceSpec{Name: "shop", AllowedHostnames: []string{"shop.example.com"}}
	for _, c := range []struct {
		what   string
		served map[string]map[string]bool
		spec   hardening.NamespaceSpec
		warn   bool
	}{
		{"no Gateway API", nil, owned, true},
		{"only other Gateway API kinds", map[string]map[string]bool{hardening.GatewayAPIGroup: {"gateways": true}}, owned, true},
		{"HTTPRoute served", map[string]map[string]bool{hardening.GatewayAPIGroup: {"httproutes": true}}, owned, false},
		{"no hostnames listed", nil, hardening.NamespaceSpec{Name: "shop"}, false},
	} {
		f := &fakeCluster{version: "v1.37.2", served: c.served}
		diags := (&NamespaceResource{data: onCluster(f)}).checkGatewayRoutes(ctx, c.spec)
		if got := diags.WarningsCount() == 1; got != c.warn || diags.HasError() {
			t.Errorf("%s: diagnostics %v, want a warning: %t", c.what, diags, c.warn)
		}
		if c.warn && !strings.Contains(diags[0].Detail(), "judges Ingresses only") {
			t.Errorf("%s: the warning should say what is judged: %s", c.what, diags[0].Detail())
		}
	}
}

// Only the refusal path of the pull policy warns: where the cluster sets the pull policy, or the
// policy is off, manifests need nothing.
func TestPullRefusalWarning(t *testing.T) {
	for _, c := range []struct {
		what     string
		mutating bool
		always   *bool
		warn     bool
	}{
		{"refusal", false, nil, true},
		{"mutation", true, nil, false},
		{"turned off", false, new(bool), false},
	} {
		res, err := hardening.Resolve(hardening.NamespaceSpec{Name: "shop", MutatingAdmissionPolicy: c.mutating,
			ImagePolicy: &hardening.ImagePolicyInput{AllowedRegistries: []string{"registry.example.com"}, AlwaysPullImages: c.always}})
		if err != nil {
			t.Fatal(err)
		}
		diags := pullRefusalWarning(res)
		if (diags.WarningsCount() == 1) != c.warn || (c.warn && !strings.Contains(diags[0].Detail(), "imagePullPolicy: Always")) {
			t.Errorf("%s: %v, want a warning: %t", c.what, diags, c.warn)
		}
	}
}
