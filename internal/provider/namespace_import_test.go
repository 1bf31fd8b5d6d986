package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestAccNamespace_importBesideForeignLabel: another controller labels the namespace
// (istio.io/rev=stable) and annotates it; import adopts only what the provider applied, so with
// the matching configuration the state equals the imported one and the plan is empty.
func TestAccNamespace_importBesideForeignLabel(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-import")
	cfg := testAccNamespaceConfig(name, `labels = { team = "search" }`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					patchNamespaceLabels(t, name, `{"metadata":{"labels":{"istio.io/rev":"stable"},"annotations":{"mesh.example.com/injected":"true"}}}`)
				},
				Config: cfg, PlanOnly: true,
			},
			{
				ResourceName: "hardened_namespace.test", ImportState: true, ImportStateId: name, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// TestAccNamespace_failedUpdateThenRevert: an admission webhook (here a policy) refuses one
// RoleBinding half way through an update that also opened egress to 0.0.0.0/0. Reverting the
// configuration must remove the policy the failed update left: pruning reads what is live.
func TestAccNamespace_failedUpdateThenRevert(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-revert")
	base := testAccNamespaceConfig(name, `tamper_protection = false`)
	opened := testAccNamespaceConfig(name, `tamper_protection = false
  access = [{ role = "view", users = ["auditor"] }]
  network_policy = { allow_egress_to_cidrs = ["0.0.0.0/0"] }`)
	ctx := context.Background()
	refuser := "acc-refuse-view-binding-" + name
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: base},
			{
				PreConfig:   func() { refuseRoleBinding(t, refuser, name, "hardened-access-view") },
				Config:      opened,
				ExpectError: regexp.MustCompile(`(?s)hardened-access-view.*refused by a test policy`),
			},
			{
				PreConfig: func() {
					if _, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-allow-egress-to-cidrs", metav1.GetOptions{}); err != nil {
						t.Fatalf("the failed update should have left the egress policy behind (the case under test): %v", err)
					}
				},
				Config: base,
				Check: func(*terraform.State) error {
					_, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-allow-egress-to-cidrs", metav1.GetOptions{})
					if !apierrors.IsNotFound(err) {
						return fmt.Errorf("the egress policy open to 0.0.0.0/0 survived the revert: %v", err)
					}
					return nil
				},
			},
		},
	})
}

// refuseRoleBinding installs a policy that refuses creating one RoleBinding in one namespace.
func refuseRoleBinding(t *testing.T, policy, ns, binding string) {
	t.Helper()
	ctx := context.Background()
	api := adminClientset(t).AdmissionregistrationV1()
	fail := admissionregistrationv1.Fail
	p := &admissionregistrationv1.ValidatingAdmissionPolicy{ObjectMeta: metav1.ObjectMeta{Name: policy},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: &fail,
			MatchConstraints: &admissionregistrationv1.MatchResources{ResourceRules: []admissionregistrationv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionregistrationv1.RuleWithOperations{
					Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update},
					Rule: admissionregistrationv1.Rule{APIGroups: []string{"rbac.authorization.k8s.io"}, APIVersions: []string{"*"},
						Resources: []string{"rolebindings"}}}}}},
			Validations: []admissionregistrationv1.Validation{{
				Expression: fmt.Sprintf("!(request.namespace == %q && request.name == %q)", ns, binding),
				Message:    "refused by a test policy",
			}},
		}}
	b := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{ObjectMeta: metav1.ObjectMeta{Name: policy},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicyBindingSpec{PolicyName: policy,
			ValidationActions: []admissionregistrationv1.ValidationAction{admissionregistrationv1.Deny}}}
	if _, err := api.ValidatingAdmissionPolicies().Create(ctx, p, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.ValidatingAdmissionPolicyBindings().Create(ctx, b, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = api.ValidatingAdmissionPolicyBindings().Delete(context.Background(), policy, metav1.DeleteOptions{})
		_ = api.ValidatingAdmissionPolicies().Delete(context.Background(), policy, metav1.DeleteOptions{})
	})
	// Wait until it refuses (a dry run of the binding it targets).
	rb := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: binding, Namespace: ns},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "view"},
		Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "x"}}}
	if err := refused("the test policy", "refused by a test policy", func() error {
		_, err := adminClientset(t).RbacV1().RoleBindings(ns).Create(ctx, rb, dryRun)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
