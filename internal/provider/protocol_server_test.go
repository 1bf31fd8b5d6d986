package provider

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

func TestPlanFingerprint_canonical(t *testing.T) {
	obj := func(labels map[string]string, n int64, known bool) tftypes.Value {
		elems := map[string]tftypes.Value{}
		for k, v := range labels {
			elems[k] = tftypes.NewValue(tftypes.String, v)
		}
		num := tftypes.NewValue(tftypes.Number, big.NewFloat(float64(n)))
		if !known {
			num = tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
		}
		return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{
			"labels": tftypes.Map{ElementType: tftypes.String}, "n": tftypes.Number,
			"tags": tftypes.Set{ElementType: tftypes.String},
		}}, map[string]tftypes.Value{
			"labels": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, elems),
			"n":      num,
			"tags": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{
				tftypes.NewValue(tftypes.String, "a"), tftypes.NewValue(tftypes.String, labels["a"]),
			}),
		})
	}
	labels := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6"}
	base, ok := tfcodec.Fingerprint("v1", obj(labels, 1, true), obj(labels, 2, true), nil, nil)
	if !ok {
		t.Fatal("a known value has no fingerprint")
	}
	// Map iteration order is random: the digest must not follow it.
	for i := 0; i < 50; i++ {
		again, _ := tfcodec.Fingerprint("v1", obj(labels, 1, true), obj(labels, 2, true), nil, nil)
		if string(again) != string(base) {
			t.Fatalf("same values, different fingerprints: %s and %s", base, again)
		}
	}
	other := map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "7"}
	for what, fp := range map[string]func() ([]byte, bool){
		"another version": func() ([]byte, bool) {
			return tfcodec.Fingerprint("v2", obj(labels, 1, true), obj(labels, 2, true), nil, nil)
		},
		"another configuration": func() ([]byte, bool) {
			return tfcodec.Fingerprint("v1", obj(other, 1, true), obj(labels, 2, true), nil, nil)
		},
		"another state": func() ([]byte, bool) {
			return tfcodec.Fingerprint("v1", obj(labels, 1, true), obj(labels, 3, true), nil, nil)
		},
		"swapped": func() ([]byte, bool) {
			return tfcodec.Fingerprint("v1", obj(labels, 2, true), obj(labels, 1, true), nil, nil)
		},
		"other objects found": func() ([]byte, bool) {
			return tfcodec.Fingerprint("v1", obj(labels, 1, true), obj(labels, 2, true), []byte(`{"x":1}`), nil)
		},
		"foreign verdicts": func() ([]byte, bool) {
			return tfcodec.Fingerprint("v1", obj(labels, 1, true), obj(labels, 2, true), nil, []byte(`{"x":1}`))
		},
	} {
		got, ok := fp()
		if !ok || string(got) == string(base) {
			t.Errorf("%s: fingerprint %s (ok %t) should differ from %s", what, got, ok, base)
		}
	}
	if _, ok := tfcodec.Fingerprint("v1", obj(labels, 1, false), obj(labels, 2, true), nil, nil); ok {
		t.Error("a configuration with an unknown value got a fingerprint")
	}
}

// TestAccNamespace_unchangedPlanSkipsTheFramework: a plan that changes nothing is answered
// without the framework (and, as in every acceptance test, checked against it): from the apply's
// fingerprint, or else by calling ModifyPlan directly. Drift and a new configuration still show.
func TestAccNamespace_unchangedPlanSkipsTheFramework(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-fastplan")
	addr := "hardened_namespace.test"
	counts := func() (fingerprinted, modified int64) {
		n, _ := testShadow.fastPlans.Load(name)
		c, _ := n.(*fastPlanCount)
		if c == nil {
			return 0, 0
		}
		return c.fingerprinted.Load(), c.modified.Load()
	}
	count := func() int64 { f, _ := counts(); return f }
	var before int64
	expect := func(what string, want func(int64) bool) func() {
		return func() {
			if got := count(); !want(got) {
				t.Fatalf("%s: %d plans answered without the framework (%d before)", what, got, before)
			}
			before = count()
		}
	}
	base := testAccNamespaceConfig(name, `access = [{ role = "edit", groups = ["team-x"] }]`)
	labelled := testAccNamespaceConfig(name, `labels = { team = "x" }
  access = [{ role = "edit", groups = ["team-x"] }]`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: base},
			{
				// The plans after the create were answered fast; drift by hand still shows.
				PreConfig: func() {
					expect("after the create", func(n int64) bool { return n > 0 })()
					patchNamespaceLabels(t, name, `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`)
				},
				Config: base,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("pod_security").AtMapKey("enforce"), knownvalue.StringExact("restricted")),
				}},
			},
			{
				// A new configuration shows.
				PreConfig: expect("after repairing the drift", func(n int64) bool { return n > before }),
				Config:    labelled,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("labels").AtMapKey("team"), knownvalue.StringExact("x")),
				}},
			},
			{
				// A tenant's own narrow policy: nothing to change, but the refresh found something
				// the apply did not see, so plans take the full path until the next apply.
				PreConfig: func() {
					expect("after the new configuration", func(n int64) bool { return n > before })()
					np := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "tenant-from-edge"},
						Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
							Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{
								NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": name}}}}}}}}
					if _, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Create(context.Background(), np, metav1.CreateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config:           labelled,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Without a matching fingerprint ModifyPlan was called directly, and found nothing
				// to change.
				PreConfig: func() {
					expect("with the tenant's policy", func(n int64) bool { return n == before })()
					if _, modified := counts(); modified == 0 {
						t.Fatal("with the tenant's policy, no plan had ModifyPlan called directly")
					}
				},
				Config: labelled,
				Check: func(*terraform.State) error {
					if got := count(); got != before {
						return fmt.Errorf("with the tenant's policy and no apply since, %d plans matched the fingerprint", got-before)
					}
					return nil
				},
			},
		},
	})
}

// TestUpgradeResourceState_passthroughMatchesTheFramework: re-encoding a current-version state
// (with an attribute an older release wrote) gives what the framework gives.
func TestUpgradeResourceState_passthroughMatchesTheFramework(t *testing.T) {
	raw, err := os.ReadFile("testdata/namespace_state_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	req := &tfprotov6.UpgradeResourceStateRequest{TypeName: namespaceTypeName, Version: namespaceSchema.Version,
		RawState: &tfprotov6.RawState{JSON: raw}}
	fast := passthroughUpgrade(req)
	if fast == nil {
		t.Fatal("a state of the current version was not passed through")
	}
	srv, ok := NewProtocol6("test")().(*protocolServer)
	if !ok {
		t.Fatal("NewProtocol6 does not serve the fast path")
	}
	full, err := srv.ProviderServer.UpgradeResourceState(context.Background(), req)
	if err != nil || len(full.Diagnostics) > 0 {
		t.Fatalf("framework: %v %v", err, full.Diagnostics)
	}
	a, errA := fast.UpgradedState.Unmarshal(namespaceTerraformType)
	b, errB := full.UpgradedState.Unmarshal(namespaceTerraformType)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if !a.Equal(b) {
		diffs, _ := a.Diff(b)
		t.Fatalf("passthrough and framework differ: %v", diffs)
	}
	// Another version goes to the framework's upgraders: version 0 to UpgradeState's.
	for _, v := range []int64{0, namespaceSchema.Version + 1} {
		if passthroughUpgrade(&tfprotov6.UpgradeResourceStateRequest{TypeName: namespaceTypeName, Version: v,
			RawState: &tfprotov6.RawState{JSON: raw}}) != nil {
			t.Errorf("a state of version %d was passed through", v)
		}
	}
}

// TestNamespaceSchemaFitsTheShortcuts: hardened_namespace has nothing the protocol shortcuts
// cannot handle (tfcodec.Unsupported). Were it to gain a block, a set with a default, a custom type
// or a dynamic attribute, this fails here instead of the fast paths quietly switching off.
func TestNamespaceSchemaFitsTheShortcuts(t *testing.T) {
	if u := tfcodec.Unsupported(namespaceSchema); len(u) > 0 {
		t.Fatalf("hardened_namespace's schema outgrew the shortcuts of internal/tfcodec:\n  %s", strings.Join(u, "\n  "))
	}
	if !shortcutsFit {
		t.Fatal("shortcutsFit is off")
	}
}

func TestDefaultsHold(t *testing.T) {
	ctx := context.Background()
	typ, ok := namespaceTerraformType.(tftypes.Object)
	if !ok {
		t.Fatal("hardened_namespace's type is not an object")
	}
	value := func(set map[string]tftypes.Value) tftypes.Value {
		attrs := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
		}
		for k, v := range set {
			attrs[k] = v
		}
		return tftypes.NewValue(typ, attrs)
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	imageType, ok := typ.AttributeTypes["image_policy"].(tftypes.Object)
	if !ok {
		t.Fatal("image_policy is not an object")
	}
	image := func(action tftypes.Value) tftypes.Value {
		attrs := map[string]tftypes.Value{}
		for name, at := range imageType.AttributeTypes {
			attrs[name] = tftypes.NewValue(at, nil)
		}
		attrs["action"] = action
		return tftypes.NewValue(imageType, attrs)
	}
	defaults := map[string]tftypes.Value{
		"environment": str("prod"), "wait_for_default_service_account": boolean(true), "deletion_protection": boolean(false),
		"force_conflicts": boolean(false), "automount_service_account_token": boolean(false),
	}
	with := func(k string, v tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for a, b := range defaults {
			out[a] = b
		}
		out[k] = v
		return out
	}
	config := value(map[string]tftypes.Value{"name": str("a")})
	if !tfcodec.DefaultsHold(ctx, namespaceSchema.Attributes, config, value(defaults)) {
		t.Error("a state holding every default was refused")
	}
	if tfcodec.DefaultsHold(ctx, namespaceSchema.Attributes, config, value(with("deletion_protection", boolean(true)))) {
		t.Error("a state holding another value than a default left null in the configuration passed")
	}
	if !tfcodec.DefaultsHold(ctx, namespaceSchema.Attributes, value(map[string]tftypes.Value{"deletion_protection": boolean(true)}),
		value(with("deletion_protection", boolean(true)))) {
		t.Error("a value set in the configuration was judged against the default")
	}
	nested := value(map[string]tftypes.Value{"image_policy": image(tftypes.NewValue(tftypes.String, nil))})
	if tfcodec.DefaultsHold(ctx, namespaceSchema.Attributes, nested, value(with("image_policy", image(str("Warn"))))) {
		t.Error("a nested default (image_policy.action) was not checked")
	}
}
