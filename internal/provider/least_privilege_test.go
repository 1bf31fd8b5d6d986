package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// TestAccNamespace_leastPrivilege runs the namespace lifecycle as an identity bound only to the documented
// ClusterRole and guarded by the documented admission policy (examples/least-privilege), proving
// they are enough, and that the identity is refused everything outside what the provider manages.
func TestAccNamespace_leastPrivilege(t *testing.T) {
	testAccPreCheck(t)
	ctx := context.Background()
	root, role := leastPrivilegeRole(t)
	cs := adminClientset(t)
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx, &role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	// The runner is a group, as clusterrolebinding.yaml and guard.yaml name it; the user name is one
	// session's.
	user := acctest.RandomWithPrefix("tf-runner")
	group := user + "-group"
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects: []rbacv1.Subject{{Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: group}}}
	if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.RbacV1().ClusterRoleBindings().Delete(ctx, user, metav1.DeleteOptions{}) })
	installGuard(t, root, group)
	kubeconfig, _, err := testCluster.User(user, group)
	if err != nil {
		t.Fatal(err)
	}
	lp := clientsetFor(t, kubeconfig)
	// The administrator the guard refuses: cluster-admin through RBAC, not system:masters.
	_, rbacAdminCS := rbacAdmin(t, acctest.RandomWithPrefix("rbac-admin"))
	name := acctest.RandomWithPrefix("acc-lp")
	cfg := func(extra string, unguarded ...bool) string {
		return fmt.Sprintf(`
provider "hardened" {
  config_path     = %q
  runner_identity = { groups = [%q] }
}
resource "hardened_namespace" "test" {
  name              = %q
  access            = [{ role = "edit", groups = ["devs"] }, { role = "view", users = ["auditor"] }%s]
  image_policy      = { allowed_registries = ["registry.k8s.io", "registry.example.com"] }
  tamper_protection = %t
}
`, kubeconfig, group, name, extra, len(unguarded) == 0)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: cfg(""), Check: resource.ComposeAggregateTestCheckFunc(
				testAccCheckPodSecurityEnforced(t, name),
				// The tamper guard exempts this identity and refuses a cluster admin by RBAC (not
				// system:masters, which may always break glass).
				func(*terraform.State) error {
					return refused("the admin edits a guarded policy", tamperRefusal, func() error {
						_, err := rbacAdminCS.NetworkingV1().NetworkPolicies(name).Patch(ctx, "hardened-default-deny", types.MergePatchType,
							[]byte(`{"spec":{"ingress":[{}]}}`), dryPatch)
						return err
					})
				},
				// The namespace's own guard, from an identity RBAC lets do anything: Pod Security labels
				// and deletion are refused, a label of another tool's is not.
				func(*terraform.State) error {
					return refused("the admin relaxes Pod Security", tamperRefusal, func() error {
						_, err := rbacAdminCS.CoreV1().Namespaces().Patch(ctx, name, types.MergePatchType,
							[]byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`), dryPatch)
						return err
					})
				},
				func(*terraform.State) error {
					return refused("the admin deletes the namespace", tamperRefusal, func() error {
						return rbacAdminCS.CoreV1().Namespaces().Delete(ctx, name, dryDelete)
					})
				},
				func(*terraform.State) error {
					return admitted("a mesh labels the namespace", func() error {
						_, err := rbacAdminCS.CoreV1().Namespaces().Patch(ctx, name, types.MergePatchType,
							[]byte(`{"metadata":{"labels":{"istio.io/rev":"stable"}}}`), dryPatch)
						return err
					})
				},
				func(*terraform.State) error { return guardRefusals(ctx, t, cs, lp, name) },
			)},
			// Drift repair (the tamper guard off, so the admin can make drift), then the guard back on.
			{Config: cfg("", true)},
			{
				PreConfig: func() { makeDrift(t, name) },
				Config:    cfg("", true),
				Check:     testAccCheckNetworkPolicies(t, name),
			},
			{Config: cfg("")},
			{
				// A role the ClusterRole has no `bind` on is refused by RBAC's escalation check,
				// with the API server's reason passed through.
				Config:      cfg(`, { role = "cluster-admin", users = ["root"], allow_cluster_admin = true }`),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)RoleBinding hardened-access-cluster-admin: RBAC's escalation check refused a RoleBinding: the provider's identity needs the ` + "`bind`" + ` verb`)),
			},
			{
				// The posture data source works as the same identity: no permission errors, and the
				// hardened namespace has no findings.
				Config: cfg("") + fmt.Sprintf(`
data "hardened_cluster_posture" "p" {
  namespaces = { include = [%q] }
  depends_on = [hardened_namespace.test]
}
`, name),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error {
						attrs := s.RootModule().Resources["data.hardened_cluster_posture.p"].Primary.Attributes
						for k, v := range attrs {
							if strings.HasSuffix(k, ".namespace") && v == name {
								return fmt.Errorf("posture reports a finding for the hardened namespace: %s", k)
							}
							// Only what no identity can see here (the API server's static pod) may be
							// unknown: the role grants every read the checks need.
							if strings.HasSuffix(k, ".status") && v == "unknown" {
								id := attrs[strings.TrimSuffix(k, ".status")+".id"]
								if id != "HRD-8002" && id != "HRD-10001" {
									return fmt.Errorf("posture check %s is unknown for the least-privilege identity", id)
								}
							}
						}
						return nil
					},
				),
			},
			{ResourceName: "hardened_namespace.test", ImportState: true, ImportStateId: name, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"}},
		},
	})
}

// installGuard installs examples/least-privilege/guard.yaml with the identity replaced by user.
func installGuard(t *testing.T, root, user string) { // user: the group guard.yaml names
	t.Helper()
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join(root, "examples", "least-privilege", "guard.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "'terraform-ci' in request.userInfo.groups") {
		t.Fatal("guard.yaml no longer names the group 'terraform-ci' the README tells readers to change")
	}
	docs := strings.Split(strings.ReplaceAll(string(raw), "'terraform-ci'", "'"+user+"'"), "\n---\n")
	var policy admissionregistrationv1.ValidatingAdmissionPolicy
	var binding admissionregistrationv1.ValidatingAdmissionPolicyBinding
	if len(docs) != 2 || yaml.Unmarshal([]byte(docs[0]), &policy) != nil || yaml.Unmarshal([]byte(docs[1]), &binding) != nil {
		t.Fatalf("guard.yaml: want a policy and a binding, got %d documents", len(docs))
	}
	// One guard per test identity: names made unique so parallel runs do not collide.
	policy.Name, binding.Name, binding.Spec.PolicyName = policy.Name+"-"+user, binding.Name+"-"+user, policy.Name+"-"+user
	api := adminClientset(t).AdmissionregistrationV1()
	if _, err := api.ValidatingAdmissionPolicies().Create(ctx, &policy, metav1.CreateOptions{}); err != nil {
		t.Fatalf("installing guard.yaml: %v", err)
	}
	if _, err := api.ValidatingAdmissionPolicyBindings().Create(ctx, &binding, metav1.CreateOptions{}); err != nil {
		t.Fatalf("installing guard.yaml: %v", err)
	}
	t.Cleanup(func() {
		_ = api.ValidatingAdmissionPolicyBindings().Delete(ctx, binding.Name, metav1.DeleteOptions{})
		_ = api.ValidatingAdmissionPolicies().Delete(ctx, policy.Name, metav1.DeleteOptions{})
	})
}

// guardRefusals: what RBAC alone would let the provider's identity do, the guard refuses.
func guardRefusals(ctx context.Context, t *testing.T, admin, lp kubernetes.Interface, managed string) error {
	plain := "acc-lp-plain-" + managed[len(managed)-6:]
	if _, err := admin.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: plain}}, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	t.Cleanup(func() { _ = admin.CoreV1().Namespaces().Delete(context.Background(), plain, metav1.DeleteOptions{}) })
	binding := func(ns, role string) func() error {
		return func() error {
			_, err := lp.RbacV1().RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "lp-" + role},
				RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role},
				Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "mallory"}}}, dryRun)
			return err
		}
	}
	relabel := func(ns string) func() error {
		return func() error {
			_, err := lp.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType,
				[]byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`), dryPatch)
			return err
		}
	}
	// Another team's admission policy and binding: RBAC names the provider's own (shared, fixed
	// names), so the identity can neither delete nor weaken these.
	team := "team-policy-" + managed[len(managed)-6:]
	fail := admissionregistrationv1.Fail
	teamPolicy := &admissionregistrationv1.ValidatingAdmissionPolicy{ObjectMeta: metav1.ObjectMeta{Name: team},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicySpec{FailurePolicy: &fail,
			MatchConstraints: &admissionregistrationv1.MatchResources{ResourceRules: []admissionregistrationv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionregistrationv1.RuleWithOperations{Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create},
					Rule: admissionregistrationv1.Rule{APIGroups: []string{""}, APIVersions: []string{"v1"}, Resources: []string{"configmaps"}}}}}},
			Validations: []admissionregistrationv1.Validation{{Expression: "true"}}}}
	teamBinding := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{ObjectMeta: metav1.ObjectMeta{Name: team},
		Spec: admissionregistrationv1.ValidatingAdmissionPolicyBindingSpec{PolicyName: team,
			ValidationActions: []admissionregistrationv1.ValidationAction{admissionregistrationv1.Deny}}}
	vap := admin.AdmissionregistrationV1()
	if _, err := vap.ValidatingAdmissionPolicies().Create(ctx, teamPolicy, metav1.CreateOptions{}); err != nil {
		return err
	}
	if _, err := vap.ValidatingAdmissionPolicyBindings().Create(ctx, teamBinding, metav1.CreateOptions{}); err != nil {
		return err
	}
	t.Cleanup(func() {
		_ = vap.ValidatingAdmissionPolicyBindings().Delete(context.Background(), team, metav1.DeleteOptions{})
		_ = vap.ValidatingAdmissionPolicies().Delete(context.Background(), team, metav1.DeleteOptions{})
	})
	lpVAP := lp.AdmissionregistrationV1()
	const guard = "terraform-provider-hardened guard"
	const rbac = "cannot "
	var errs []string
	for _, c := range []struct {
		what, want string
		f          func() error
	}{
		{"bind admin in kube-system", guard, binding("kube-system", "admin")},
		{"bind edit in a namespace without the label", guard, binding(plain, "edit")},
		{"relabel kube-system", guard, relabel("kube-system")},
		{"relabel an unmanaged namespace", guard, relabel(plain)},
		{"delete an unmanaged namespace", guard, func() error { return lp.CoreV1().Namespaces().Delete(ctx, plain, dryDelete) }},
		{"edit a ConfigMap in kube-system", "forbidden", func() error {
			_, err := lp.CoreV1().ConfigMaps("kube-system").Patch(ctx, "kube-root-ca.crt", types.MergePatchType, []byte(`{"data":{"x":"y"}}`), dryPatch)
			return err
		}},
		{"delete another team's admission policy", rbac + "delete", func() error {
			return lpVAP.ValidatingAdmissionPolicies().Delete(ctx, team, dryDelete)
		}},
		{"delete another team's policy binding", rbac + "delete", func() error {
			return lpVAP.ValidatingAdmissionPolicyBindings().Delete(ctx, team, dryDelete)
		}},
		{"switch another team's binding to Audit", rbac + "patch", func() error {
			_, err := lpVAP.ValidatingAdmissionPolicyBindings().Patch(ctx, team, types.MergePatchType,
				[]byte(`{"spec":{"validationActions":["Audit"]}}`), dryPatch)
			return err
		}},
		{"delete the shared tamper guard", rbac + "delete", func() error {
			return lpVAP.ValidatingAdmissionPolicies().Delete(ctx, hardening.TamperPolicyName, dryDelete)
		}},
	} {
		if err := refused(c.what, c.want, c.f); err != nil {
			errs = append(errs, err.Error())
		}
	}
	// And what it needs still works: a binding to edit in its own namespace.
	if err := admitted("bind edit in the managed namespace", binding(managed, "edit")); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("least-privilege identity:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// TestLeastPrivilegeRoleNamesTheSharedPolicies: the ClusterRole may patch exactly the admission
// policies and bindings the provider writes; a name added to one and not the other would either
// fail applies or widen the role.
func TestLeastPrivilegeRoleNamesTheSharedPolicies(t *testing.T) {
	_, role := leastPrivilegeRole(t)
	policies, bindings := hardening.SharedPolicyNames()
	mpolicies, mbindings := hardening.SharedMutatingPolicyNames()
	want := map[string][]string{"validatingadmissionpolicies": policies, "validatingadmissionpolicybindings": bindings,
		"mutatingadmissionpolicies": mpolicies, "mutatingadmissionpolicybindings": mbindings}
	got := map[string][]string{}
	for _, r := range role.Rules {
		for _, res := range r.Resources {
			if _, ok := want[res]; !ok {
				continue
			}
			for _, v := range r.Verbs {
				switch v {
				case "patch", "update", "delete":
					if len(r.ResourceNames) == 0 {
						t.Errorf("clusterrole.yaml grants %s on every %s", v, res)
					}
					if v == "patch" {
						got[res] = append(got[res], r.ResourceNames...)
					}
				case "*", "deletecollection":
					t.Errorf("clusterrole.yaml grants %s on %s", v, res)
				}
			}
		}
	}
	for res, names := range want {
		if !slices.Equal(sortedCopy(got[res]), sortedCopy(names)) {
			t.Errorf("clusterrole.yaml lets the identity patch %s %v; the provider writes %v", res, got[res], names)
		}
	}
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// leastPrivilegeRole reads examples/least-privilege/clusterrole.yaml; root is the repository's.
func leastPrivilegeRole(t *testing.T) (root string, role rbacv1.ClusterRole) {
	t.Helper()
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "examples", "least-privilege", "clusterrole.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &role); err != nil {
		t.Fatal(err)
	}
	return root, role
}
