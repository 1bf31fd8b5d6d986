package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// The guard on real platforms: runners whose user name changes per session, metadata that makes
// controllers act, the namespace keys the policies read, and break-glass. Every attack runs as the
// actor who would make it, with a minted identity.

// TestAccNamespace_runnerIdentitySessions: an EKS-style runner, one assumed-role session per run
// (a new user name each time, one stable group) and declared by that group. Plan, apply, drift
// repair and destroy each run as another session with no hand-over; a run as an identity outside
// runner_identity fails at plan, and without runner_identity its apply is refused by the guard.
func TestAccNamespace_runnerIdentitySessions(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-sessions")
	group := "terraform-ci-" + name
	bindClusterAdmin(t, "Group", group)
	ctx := context.Background()
	sessions := map[string]string{}
	for _, s := range []string{"apply-1", "plan-2", "apply-3", "destroy-4"} {
		sessions[s] = session(t, eksSession("terraform-ci", s+"-"+name), group)
	}
	// Someone else with the same rights (cluster-admin by RBAC) but not in the runner's group.
	stranger, _ := rbacAdmin(t, eksSession("other-team", name), "other-team-"+name)
	cfg := func(kubeconfig string, declared bool) string {
		runner := ""
		if declared {
			runner = fmt.Sprintf("  runner_identity = { groups = [%q] }\n", group)
		}
		return fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n%s}\n", kubeconfig, runner) + fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name   = %q
  access = [{ role = "edit", groups = ["devs"] }]
}
`, name)
	}

	annotations := func(*terraform.State) error {
		ns, err := adminClientset(t).CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if got := ns.Annotations[hardening.TerraformGroupsAnnotation]; got != group {
			return fmt.Errorf("the guard exempts groups %q, want %q", got, group)
		}
		if got := ns.Annotations[hardening.TerraformIdentityAnnotation]; got != "" {
			return fmt.Errorf("the guard exempts a session's user name %q: the next session would hand it over", got)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: cfg(sessions["apply-1"], true), Check: annotations},
			// Another session plans: nothing to hand over, nothing to change.
			{Config: cfg(sessions["plan-2"], true), PlanOnly: true},

			{
				// Drift made by a cluster administrator, repaired by a third session.
				PreConfig: func() {
					// Not the admin identity Terraform runs as here: that one is the runner.
					kc, _, err := testCluster.User("root-"+name, "system:masters")
					if err != nil {
						t.Fatal(err)
					}
					mustDelete(t, clientsetFor(t, kc).NetworkingV1().NetworkPolicies(name).Delete(ctx, "hardened-default-deny", metav1.DeleteOptions{}))
				},
				Config: cfg(sessions["apply-3"], true),
				Check: resource.ComposeAggregateTestCheckFunc(annotations, func(*terraform.State) error {
					_, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-default-deny", metav1.GetOptions{})
					return err
				}),
			},
			{
				// Not the runner: the plan fails before anything changes, naming who the run is.
				Config:      cfg(stranger, true),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)not the declared runner_identity.*other-team/` + name),
			},
			{
				// The same identity without runner_identity: not the runner, and not break-glass (its
				// cluster-admin is RBAC's), so the guard refuses its apply.
				Config:      cfg(stranger, false),
				ExpectError: regexp.MustCompile(`(?s)tamper protection.*runner_identity`),
			},
			// A fourth session: its refresh finds nothing to change after the refused apply, and
			// the test's destroy runs as this session too.
			{Config: cfg(sessions["destroy-4"], true), Check: annotations},
		},
	})
}

// TestAccNamespace_metadataAttacks: ownerReferences and finalizers are content. A tenant in edit
// cannot make the garbage collector delete the default deny or the default ServiceAccount; a
// tenant in admin cannot pin a binding with a finalizer; a tenant given cluster-admin through
// access cannot change any key the shared policies read from the namespace.
func TestAccNamespace_metadataAttacks(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-meta")
	ctx := context.Background()
	var editor, owner, superTenant kubernetes.Interface
	cfg := fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name   = %[1]q
  access = [
    { role = "edit", groups = ["editors-%[1]s"] },
    { role = "admin", groups = ["owners-%[1]s"] },
    { role = "cluster-admin", groups = ["root-%[1]s"], allow_cluster_admin = true },
  ]
  image_policy       = { allowed_registries = ["registry.example.com"] }
  break_glass_groups = ["platform-admins-%[1]s"]
}
`, name)
	mint := func(role string) kubernetes.Interface {
		kc, _, err := testCluster.User(role+"-user-"+name, role+"-"+name)
		if err != nil {
			t.Fatal(err)
		}
		return clientsetFor(t, kc)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			testAccPreCheck(t)
			editor, owner, superTenant = mint("editors"), mint("owners"), mint("root")
		},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error { return metadataAttacks(ctx, editor, owner, superTenant, name) },
				func(*terraform.State) error { return reservedKeyAttacks(ctx, superTenant, name) },
				func(*terraform.State) error { return garbageCollectorAttack(ctx, t, editor, name) },
			),
		}},
	})
}

// metaPatch is a merge patch that sets ownerReferences or finalizers.
func metaPatch(field, ns string) []byte {
	if field == "finalizers" {
		return []byte(`{"metadata":{"finalizers":["example.com/keep"]}}`)
	}
	return []byte(`{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"gone-` + ns +
		`","uid":"00000000-0000-0000-0000-000000000001"}]}}`)
}

// metadataAttacks: each kind as the weakest tenant RBAC lets write it (edit: policies and the
// ServiceAccount; admin: RoleBindings; cluster-admin through access: the quota and limits).
func metadataAttacks(ctx context.Context, editor, owner, superTenant kubernetes.Interface, ns string) error {
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	for _, field := range []string{"ownerReferences", "finalizers"} {
		patch := metaPatch(field, ns)
		check(refused("edit: "+field+" on the default deny", tamperRefusal, func() error {
			_, err := editor.NetworkingV1().NetworkPolicies(ns).Patch(ctx, "hardened-default-deny", types.MergePatchType, patch, dryPatch)
			return err
		}))
		check(refused("edit: "+field+" on the DNS allow", tamperRefusal, func() error {
			_, err := editor.NetworkingV1().NetworkPolicies(ns).Patch(ctx, "hardened-allow-dns", types.MergePatchType, patch, dryPatch)
			return err
		}))
		check(refused("edit: "+field+" on the default ServiceAccount", tamperRefusal, func() error {
			_, err := editor.CoreV1().ServiceAccounts(ns).Patch(ctx, "default", types.MergePatchType, patch, dryPatch)
			return err
		}))
		check(refused("admin: "+field+" on the admin binding", tamperRefusal, func() error {
			_, err := owner.RbacV1().RoleBindings(ns).Patch(ctx, "hardened-access-edit", types.MergePatchType, patch, dryPatch)
			return err
		}))
		check(refused("cluster-admin through access: "+field+" on the LimitRange", tamperRefusal, func() error {
			_, err := superTenant.CoreV1().LimitRanges(ns).Patch(ctx, "hardened-limits", types.MergePatchType, patch, dryPatch)
			return err
		}))
		check(refused("cluster-admin through access: "+field+" on the ResourceQuota", tamperRefusal, func() error {
			_, err := superTenant.CoreV1().ResourceQuotas(ns).Patch(ctx, "hardened-quota", types.MergePatchType, patch, dryPatch)
			return err
		}))
	}
	// What tenants legitimately do with metadata stays possible.
	check(admitted("edit: annotate the default deny", func() error {
		_, err := editor.NetworkingV1().NetworkPolicies(ns).Patch(ctx, "hardened-default-deny", types.MergePatchType,
			[]byte(`{"metadata":{"annotations":{"mesh.example.com/seen":"yes"}}}`), dryPatch)
		return err
	}))
	check(admitted("edit: imagePullSecrets on the default ServiceAccount", func() error {
		_, err := editor.CoreV1().ServiceAccounts(ns).Patch(ctx, "default", types.MergePatchType, []byte(`{"imagePullSecrets":[{"name":"regcred"}]}`), dryPatch)
		return err
	}))
	if len(errs) > 0 {
		return fmt.Errorf("metadata attacks:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// reservedKeyAttacks: a RoleBinding to cluster-admin in a namespace authorizes writing that
// Namespace object; every key the shared policies read must still be refused.
func reservedKeyAttacks(ctx context.Context, tc kubernetes.Interface, ns string) error {
	var errs []string
	patches := map[string]string{
		"name itself the exempt identity":   `{"metadata":{"annotations":{"` + hardening.TerraformIdentityAnnotation + `":"root-user-` + ns + `"}}}`,
		"name its group the runner's":       `{"metadata":{"annotations":{"` + hardening.TerraformGroupsAnnotation + `":"root-` + ns + `"}}}`,
		"widen break-glass":                 `{"metadata":{"annotations":{"` + hardening.BreakGlassGroupsAnnotation + `":"root-` + ns + `"}}}`,
		"widen the registries":              `{"metadata":{"annotations":{"` + hardening.AllowedRegistriesAnnotation + `":"docker.io"}}}`,
		"drop the image rules":              `{"metadata":{"annotations":{"` + hardening.ImageRulesAnnotation + `":null}}}`,
		"unbind the image policy":           `{"metadata":{"labels":{"` + hardening.ImagePolicyLabel + `":null}}}`,
		"warn instead of deny":              `{"metadata":{"labels":{"` + hardening.ImagePolicyLabel + `":"Warn"}}}`,
		"switch the guard off":              `{"metadata":{"labels":{"` + hardening.TamperProtectionLabel + `":null}}}`,
		"add a key of the provider's":       `{"metadata":{"annotations":{"` + hardening.MetadataPrefix + `anything":"x"}}}`,
		"relax Pod Security":                `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`,
		"own the namespace by another":      string(metaPatch("ownerReferences", ns)),
		"hold the namespace by a finalizer": string(metaPatch("finalizers", ns)),
	}
	for what, patch := range patches {
		if err := refused("cluster-admin through access: "+what, tamperRefusal, func() error {
			_, err := tc.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(patch), dryPatch)
			return err
		}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if err := refused("cluster-admin through access: delete the namespace", tamperRefusal, func() error {
		return tc.CoreV1().Namespaces().Delete(ctx, ns, dryDelete)
	}); err != nil {
		errs = append(errs, err.Error())
	}
	if err := admitted("cluster-admin through access: a label of its own", func() error {
		_, err := tc.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(`{"metadata":{"labels":{"team":"x"}}}`), dryPatch)
		return err
	}); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return fmt.Errorf("reserved namespace keys:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// garbageCollectorAttack makes the attack for real (no dry run): an ownerReference to an object
// that does not exist would have the garbage collector delete the policy within seconds.
func garbageCollectorAttack(ctx context.Context, t *testing.T, editor kubernetes.Interface, ns string) error {
	patch := metaPatch("ownerReferences", ns)
	if err := refused("edit: ownerReference on the default deny (for real)", tamperRefusal, func() error {
		_, err := editor.NetworkingV1().NetworkPolicies(ns).Patch(ctx, "hardened-default-deny", types.MergePatchType, patch, patchOpts())
		return err
	}); err != nil {
		return err
	}
	if err := refused("edit: ownerReference on the default ServiceAccount (for real)", tamperRefusal, func() error {
		_, err := editor.CoreV1().ServiceAccounts(ns).Patch(ctx, "default", types.MergePatchType, patch, patchOpts())
		return err
	}); err != nil {
		return err
	}
	time.Sleep(20 * time.Second)
	admin := adminClientset(t)
	if _, err := admin.NetworkingV1().NetworkPolicies(ns).Get(ctx, "hardened-default-deny", metav1.GetOptions{}); err != nil {
		return fmt.Errorf("the default deny is gone 20 s after the attack: %w", err)
	}
	sa, err := admin.CoreV1().ServiceAccounts(ns).Get(ctx, "default", metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("the default ServiceAccount is gone 20 s after the attack: %w", err)
	}
	if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		return fmt.Errorf("the default ServiceAccount was recreated without automountServiceAccountToken: false")
	}
	return nil
}

// TestAccNamespace_breakGlass: system:masters may always change what the guard protects, and so
// may the namespace's break_glass_groups; each such request is recorded in the audit log and the
// change shows in the next plan. A cluster-admin by RBAC outside those groups is refused, and a
// namespace someone else opted into the guard cannot lock cluster administrators out.
func TestAccNamespace_breakGlass(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-glass")
	ctx := context.Background()
	breakGlass := "platform-admins-" + name
	bindClusterAdmin(t, "Group", breakGlass)
	_, glassCS := func() (string, kubernetes.Interface) {
		kc, _, err := testCluster.User("oncall-"+name, breakGlass)
		if err != nil {
			t.Fatal(err)
		}
		return kc, clientsetFor(t, kc)
	}()
	_, outsiderCS := rbacAdmin(t, "outsider-"+name)
	cfg := fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name               = %q
  break_glass_groups = [%q]
}
`, name, breakGlass)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						return refused("cluster-admin by RBAC, outside break_glass_groups", tamperRefusal, func() error {
							return outsiderCS.NetworkingV1().NetworkPolicies(name).Delete(ctx, "hardened-allow-dns", dryDelete)
						})
					},
					func(*terraform.State) error {
						return admitted("a member of break_glass_groups", func() error {
							return glassCS.NetworkingV1().NetworkPolicies(name).Delete(ctx, "hardened-allow-dns", dryDelete)
						})
					},
				),
			},
			{
				// A member of system:masters deletes a guarded object for real: admitted, recorded,
				// and shown by the next plan.
				PreConfig: func() {
					// Not the admin identity Terraform runs as here: that one is the runner.
					kc, _, err := testCluster.User("root-"+name, "system:masters")
					if err != nil {
						t.Fatal(err)
					}
					mustDelete(t, clientsetFor(t, kc).NetworkingV1().NetworkPolicies(name).Delete(ctx, "hardened-default-deny", metav1.DeleteOptions{}))
					if err := auditRecordsBreakGlass(name, "DELETE networkpolicies "+name+"/hardened-default-deny"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{Config: cfg, Check: func(*terraform.State) error {
				_, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-default-deny", metav1.GetOptions{})
				return err
			}},
			{
				// A namespace creator that is not an administrator opts a namespace into the guard
				// with its own name as the exempt identity: cluster administrators can still remove
				// what it guards and the namespace itself.
				PreConfig: func() { squattedNamespace(t, name+"-sq") },
				Config:    cfg,
			},
		},
	})
}

// auditRecordsBreakGlass waits for the audit log to record a break-glass request.
func auditRecordsBreakGlass(ns, what string) error {
	key := `"` + hardening.TamperPolicyName + "/" + hardening.BreakGlassAuditKey + `"`
	var last string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		raw, err := os.ReadFile(auditLogPath)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.Contains(line, key) && strings.Contains(line, ns) {
				last = line
				if strings.Contains(line, what) {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("the audit log (%s) has no %s annotation naming %q (last for the namespace: %s)", auditLogPath, key, what, last)
}

// squattedNamespace: a non-administrator opts a namespace into the guard; system:masters still
// deletes a guarded binding in it and the namespace.
func squattedNamespace(t *testing.T, ns string) {
	t.Helper()
	ctx := context.Background()
	_, squatter := rbacAdmin(t, "squatter-"+ns)
	labels := map[string]string{hardening.TamperProtectionLabel: "enabled", hardening.ManagedByLabel: hardening.ManagedByValue}
	_, err := squatter.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns, Labels: labels,
		Annotations: map[string]string{hardening.TerraformIdentityAnnotation: "squatter-" + ns}}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rb := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "locked", Labels: map[string]string{hardening.ManagedByLabel: hardening.ManagedByValue}},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "view"},
		Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "someone"}}}
	if err := admitted("the squatter writes a guarded binding", func() error {
		_, err := squatter.RbacV1().RoleBindings(ns).Create(ctx, rb, metav1.CreateOptions{})
		if apierrors.IsAlreadyExists(err) {
			return nil
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, other := rbacAdmin(t, "other-admin-"+ns)
	if err := refused("another cluster-admin by RBAC deletes the binding", tamperRefusal, func() error {
		return other.RbacV1().RoleBindings(ns).Delete(ctx, "locked", dryDelete)
	}); err != nil {
		t.Fatal(err)
	}
	kc, _, err := testCluster.User("root-"+ns, "system:masters")
	if err != nil {
		t.Fatal(err)
	}
	admin := clientsetFor(t, kc)
	if err := admin.RbacV1().RoleBindings(ns).Delete(ctx, "locked", metav1.DeleteOptions{}); err != nil {
		t.Fatalf("system:masters cannot delete a binding in a namespace someone else opted in: %v", err)
	}
	if err := admin.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		t.Fatalf("system:masters cannot delete a namespace someone else opted in: %v", err)
	}
	if err := auditRecordsBreakGlass(ns, "DELETE namespaces "+ns); err != nil {
		t.Fatal(err)
	}
}

// TestAccNamespace_complianceTellsTheTruth: compliance judges the configuration's own allows and
// grants like a tenant's, practice 2 reads the live namespace, and an object someone else wrote
// under one of the provider's names stops the plan instead of passing for the provider's.
func TestAccNamespace_complianceTellsTheTruth(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-truth")
	ctx := context.Background()
	cfg := func(cidrs, group string) string {
		return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name           = %q
  access         = [{ role = "view", groups = [%q] }]
  network_policy = { allow_egress_to_cidrs = [%s], allow_egress_ports = ["443"] }
  image_policy   = { allowed_registries = ["registry.example.com"] }
}
`, name, group, cidrs)
	}
	open := cfg(`"0.0.0.0/1", "128.0.0.0/1"`, "system:authenticated")
	narrow := cfg(`"10.20.0.0/16"`, "auditors")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: open, Check: resource.ComposeAggregateTestCheckFunc(
				complianceSays(5, false, "reaches every address (0.0.0.0/0)"),
				complianceSays(4, false, "view to Group system:authenticated"),
				complianceSays(2, true, ""),
			)},
			{Config: narrow, Check: resource.ComposeAggregateTestCheckFunc(
				complianceSays(5, true, ""), complianceSays(4, true, ""), complianceSays(2, true, ""),
			)},
			{
				// A cluster administrator (break-glass) widens the registries on the namespace: the
				// state's compliance says the image policy is not in force; the plan shows apply
				// restoring it.
				PreConfig: func() {
					_, err := adminClientset(t).CoreV1().Namespaces().Patch(ctx, name, types.MergePatchType,
						[]byte(`{"metadata":{"annotations":{"`+hardening.AllowedRegistriesAnnotation+`":"docker.io"}}}`), patchOpts())
					if err != nil {
						t.Fatal(err)
					}
				},
				RefreshState: true, ExpectNonEmptyPlan: true,
				Check: complianceSays(2, false, `not in force: namespace annotation `+hardening.AllowedRegistriesAnnotation+` is "docker.io"`),
			},
			{Config: narrow, Check: complianceSays(2, true, "")},
			{
				// Someone else writes the binding the configuration's next access entry would get,
				// bound to admin and without the provider's label.
				PreConfig: func() {
					mustCreateBinding(t, adminClientset(t), name, "hardened-access-edit", "admin")
				},
				Config: strings.Replace(narrow, `access         = [{ role = "view", groups = ["auditors"] }]`,
					`access         = [{ role = "view", groups = ["auditors"] }, { role = "edit", groups = ["devs"] }]`, 1),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)written by someone else.*RoleBinding/hardened-access-edit.*kubectl -n ` + name + ` delete rolebinding hardened-access-edit`)),
			},
			{
				PreConfig: func() {
					mustDelete(t, adminClientset(t).RbacV1().RoleBindings(name).Delete(ctx, "hardened-access-edit", metav1.DeleteOptions{}))
				},
				Config: narrow, PlanOnly: true,
			},
		},
	})
}

// TestAccNamespace_planAndApplyAsDifferentSubjects: HCP Terraform dynamic credentials authenticate
// the plan and the apply of one run as different subjects. The provider runs as its own binary
// (as Terraform runs it), its kubeconfig's credential plugin handing every process another user of
// the runner's group: a saved plan applies as another subject, and the next plan and the destroy as
// yet others, with no hand-over and nothing refused.
func TestAccNamespace_planAndApplyAsDifferentSubjects(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-phases")
	group := "tfc:acme:" + name
	bindClusterAdmin(t, "Group", group)
	ctx := context.Background()
	provider, calls := rotatingCredentials(t, "organization:acme:workspace:"+name+":run_phase", group,
		fmt.Sprintf("  runner_identity = { groups = [%q] }\n", group))
	dir := t.TempDir()
	config := provider + fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name   = %q
  access = [{ role = "edit", groups = ["devs"] }]
}
`, name)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	tf := devTerraform(t, dir)
	destroyAtCleanup(t, adminClientset(t), name, tf) // as yet another subject
	for _, step := range [][]string{{"plan", "-out=tfplan"}, {"apply", "tfplan"}} {
		if out, err := tf(step...); err != nil {
			t.Fatalf("terraform %s: %v\n%s", step[0], err, out)
		}
	}
	if n := calls(); n < 2 {
		t.Fatalf("the credential plugin handed out %d session(s): plan and apply did not run as different subjects", n)
	}
	ns, err := adminClientset(t).CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ns.Annotations[hardening.TerraformGroupsAnnotation] != group || ns.Annotations[hardening.TerraformIdentityAnnotation] != "" {
		t.Errorf("the guard should exempt the group and no session: %v", ns.Annotations)
	}
	before := calls()
	out, err := tf("plan", "-detailed-exitcode")
	// The one warning allowed is Terraform's own about the development build.
	if err != nil || strings.Count(out, "Warning:") != strings.Count(out, "Warning: Provider development overrides") {
		t.Fatalf("the next plan, as another subject, should be empty and quiet: %v\n%s", err, out)
	}
	if calls() == before {
		t.Errorf("the next plan did not authenticate as a new subject")
	}
}
