package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	k8sresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// These tests prove behaviour on the real API server: admission, quota, RBAC and what is stored.

func prodNamespaceConfig(name string, withView bool) string {
	view := ""
	if withView {
		view = `,
    { role = "view", users = ["victor"] }`
	}
	return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name = %q
  resource_quota = { hard = { pods = "2" } }
  access = [
    { role = "edit", groups = ["team-a-devs"], service_accounts = ["%s/deployer"] }%s
  ]
}
`, name, name, view)
}

func TestAccNamespace_prodPreset(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-prod")
	addr := "hardened_namespace.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: prodNamespaceConfig(name, true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("environment"), knownvalue.StringExact("prod")),
					// The user's pods override merges over the preset: the LoadBalancer ban stays.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("effective_resource_quota"), knownvalue.MapPartial(map[string]knownvalue.Check{
						"pods": knownvalue.StringExact("2"), "services.loadbalancers": knownvalue.StringExact("0"),
						"services.nodeports": knownvalue.StringExact("0"), "requests.cpu": knownvalue.StringExact("16"),
					})),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("managed_objects"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("Namespace/" + name), knownvalue.StringExact("ServiceAccount/default"),
						knownvalue.StringExact("ResourceQuota/hardened-quota"), knownvalue.StringExact("LimitRange/hardened-limits"),
						knownvalue.StringExact("NetworkPolicy/hardened-default-deny"), knownvalue.StringExact("NetworkPolicy/hardened-allow-dns"),
						knownvalue.StringExact("NetworkPolicy/hardened-allow-same-namespace"),
						knownvalue.StringExact("RoleBinding/hardened-access-edit"), knownvalue.StringExact("RoleBinding/hardened-access-view"),
						knownvalue.StringExact("ValidatingAdmissionPolicy/hardened-tamper"),
						knownvalue.StringExact("ValidatingAdmissionPolicyBinding/hardened-tamper"),
						knownvalue.StringExact("ValidatingAdmissionPolicyBinding/hardened-tamper-namespaces"),
						knownvalue.StringExact("ValidatingAdmissionPolicy/hardened-classes"),
						knownvalue.StringExact("ValidatingAdmissionPolicyBinding/hardened-classes"),
						knownvalue.StringExact("ValidatingAdmissionPolicy/hardened-services"),
						knownvalue.StringExact("ValidatingAdmissionPolicyBinding/hardened-services-deny"),
					})),
					// The image policy is the one practice this configuration leaves open.
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("compliance"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"satisfied": knownvalue.Bool(false),
						"gaps": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexp.MustCompile(
							`^practice 2 \(Only authorized, pinned images are admitted\): no image_policy`))}),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPodSecurityEnforced(t, name),
					testAccCheckQuotaAndLimits(t, name),
					testAccCheckServiceAccountAutomount(t, name, false),
					testAccCheckNetworkPolicies(t, name),
					testAccCheckRBAC(t, name),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Drift in every kind: deleted policy, edited quota, removed binding, relaxed PSA label,
				// re-enabled token automount. The plan shows it; apply restores it.
				PreConfig: func() { makeDrift(t, name) },
				Config:    prodNamespaceConfig(name, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckPodSecurityEnforced(t, name),
					testAccCheckServiceAccountAutomount(t, name, false),
					testAccCheckNetworkPolicies(t, name),
					testAccCheckRBAC(t, name),
					func(*terraform.State) error {
						q, err := adminClientset(t).CoreV1().ResourceQuotas(name).Get(context.Background(), "hardened-quota", metav1.GetOptions{})
						if err != nil {
							return err
						}
						if got := q.Spec.Hard[corev1.ResourcePods]; got.String() != "2" {
							return fmt.Errorf("quota pods = %s after repair, want 2", got.String())
						}
						lr, err := adminClientset(t).CoreV1().LimitRanges(name).Get(context.Background(), "hardened-limits", metav1.GetOptions{})
						if err != nil {
							return err
						}
						if got := lr.Spec.Limits[0].Max[corev1.ResourceCPU]; got.String() != "8" {
							return fmt.Errorf("limit range max cpu = %s after repair, want the preset's 8", got.String())
						}
						return nil
					},
				),
			},
			{
				// Removing an access entry prunes its RoleBinding.
				Config: prodNamespaceConfig(name, false),
				Check: func(*terraform.State) error {
					_, err := adminClientset(t).RbacV1().RoleBindings(name).Get(context.Background(), "hardened-access-view", metav1.GetOptions{})
					if !apierrors.IsNotFound(err) {
						return fmt.Errorf("RoleBinding hardened-access-view should be pruned, got err=%v", err)
					}
					return nil
				},
			},
			{
				ResourceName: addr, ImportState: true, ImportStateId: name, ImportStateVerify: true,
				// Import reconstructs the overrides (quota pods = 2, the edit entry) from the live objects.
				// The applied state still holds the blast radius of the last plan (victor lost view);
				// an import has no change pending.
				ImportStateVerifyIgnore: []string{"timeouts", "blast_radius"},
			},
		},
	})
}

func makeDrift(t *testing.T, ns string) {
	t.Helper()
	cs := adminClientset(t)
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(cs.NetworkingV1().NetworkPolicies(ns).Delete(ctx, "hardened-default-deny", metav1.DeleteOptions{}))
	must(cs.RbacV1().RoleBindings(ns).Delete(ctx, "hardened-access-edit", metav1.DeleteOptions{}))
	_, err := cs.CoreV1().ResourceQuotas(ns).Patch(ctx, "hardened-quota", types.MergePatchType,
		[]byte(`{"spec":{"hard":{"pods":"100"}}}`), metav1.PatchOptions{FieldManager: "kubectl-edit"})
	must(err)
	_, err = cs.CoreV1().ServiceAccounts(ns).Patch(ctx, "default", types.MergePatchType,
		[]byte(`{"automountServiceAccountToken":true}`), metav1.PatchOptions{FieldManager: "kubectl-patch"})
	must(err)
	_, err = cs.CoreV1().LimitRanges(ns).Patch(ctx, "hardened-limits", types.JSONPatchType,
		[]byte(`[{"op":"replace","path":"/spec/limits/0/max/cpu","value":"64"}]`), metav1.PatchOptions{FieldManager: "kubectl-edit"})
	must(err)
	patchNamespaceLabels(t, ns, `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`)
}

func testAccCheckServiceAccountAutomount(t *testing.T, ns string, want bool) resource.TestCheckFunc {
	return func(*terraform.State) error {
		sa, err := adminClientset(t).CoreV1().ServiceAccounts(ns).Get(context.Background(), "default", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken != want {
			return fmt.Errorf("default ServiceAccount automountServiceAccountToken = %v, want %t", sa.AutomountServiceAccountToken, want)
		}
		return nil
	}
}

// testAccCheckQuotaAndLimits: LimitRange defaults land on a pod without resources; the quota
// refuses a pod beyond its count and LoadBalancer/NodePort services.
func testAccCheckQuotaAndLimits(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cs := adminClientset(t)
		ctx := context.Background()
		if err := waitQuotaStatus(ctx, cs, ns); err != nil {
			return err
		}
		pod := testcluster.RestrictedPod(ns)
		created, err := cs.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("a compliant pod was refused: %w", err)
		}
		res := created.Spec.Containers[0].Resources
		want := map[string]k8sresource.Quantity{"requests.cpu": k8sresource.MustParse("100m"), "requests.memory": k8sresource.MustParse("128Mi"),
			"limits.cpu": k8sresource.MustParse("1"), "limits.memory": k8sresource.MustParse("1Gi")}
		got := map[string]k8sresource.Quantity{"requests.cpu": res.Requests[corev1.ResourceCPU], "requests.memory": res.Requests[corev1.ResourceMemory],
			"limits.cpu": res.Limits[corev1.ResourceCPU], "limits.memory": res.Limits[corev1.ResourceMemory]}
		for k, w := range want {
			if g := got[k]; g.Cmp(w) != 0 {
				return fmt.Errorf("LimitRange default %s = %s, want %s", k, g.String(), w.String())
			}
		}
		// Earlier checks may have created a pod already: fill up to the quota's 2 pods, then one more.
		for i := 0; ; i++ {
			_, err = cs.CoreV1().Pods(ns).Create(ctx, testcluster.RestrictedPod(ns), metav1.CreateOptions{})
			if err != nil {
				if !strings.Contains(err.Error(), "exceeded quota") || !strings.Contains(err.Error(), "limited: pods=2") {
					return fmt.Errorf("pod beyond quota pods=2 refused for the wrong reason: %v", err)
				}
				break
			}
			if i == 2 {
				return fmt.Errorf("more than 2 pods admitted with quota pods=2")
			}
		}
		for _, typ := range []corev1.ServiceType{corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeNodePort} {
			// With source ranges, so that the Services policy admits the LoadBalancer and the quota judges it.
			svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{GenerateName: "svc-", Namespace: ns}, Spec: corev1.ServiceSpec{
				Type: typ, Ports: []corev1.ServicePort{{Port: 80}}, Selector: map[string]string{"app": "x"}}}
			if typ == corev1.ServiceTypeLoadBalancer {
				svc.Spec.LoadBalancerSourceRanges = []string{"203.0.113.0/24"}
			}
			_, err := cs.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{})
			if err == nil || !strings.Contains(err.Error(), "exceeded quota") {
				return fmt.Errorf("a %s service should be refused by quota, got %v", typ, err)
			}
		}
		return nil
	}
}

// waitQuotaStatus waits for the controller manager to compute the quota's usage; until then the
// quota admission refuses everything.
func waitQuotaStatus(ctx context.Context, cs kubernetes.Interface, ns string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		q, err := cs.CoreV1().ResourceQuotas(ns).Get(ctx, "hardened-quota", metav1.GetOptions{})
		if err == nil && len(q.Status.Hard) > 0 {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("quota status in %s was never computed", ns)
}

func testAccCheckNetworkPolicies(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		nps := adminClientset(t).NetworkingV1().NetworkPolicies(ns)
		ctx := context.Background()
		deny, err := nps.Get(ctx, "hardened-default-deny", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if len(deny.Spec.PodSelector.MatchLabels)+len(deny.Spec.PodSelector.MatchExpressions) != 0 ||
			fmt.Sprint(deny.Spec.PolicyTypes) != "[Ingress Egress]" || len(deny.Spec.Ingress)+len(deny.Spec.Egress) != 0 {
			return fmt.Errorf("default-deny is not a deny-all for both directions: %+v", deny.Spec)
		}
		dns, err := nps.Get(ctx, "hardened-allow-dns", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if len(dns.Spec.Egress) != 1 || len(dns.Spec.Egress[0].To) != 1 || fmt.Sprint(dns.Spec.PolicyTypes) != "[Egress]" {
			return fmt.Errorf("allow-dns has the wrong shape: %+v", dns.Spec)
		}
		sel := dns.Spec.Egress[0].To[0].NamespaceSelector
		if sel == nil || sel.MatchLabels["kubernetes.io/metadata.name"] != "kube-system" || len(sel.MatchLabels) != 1 {
			return fmt.Errorf("allow-dns must select kube-system by kubernetes.io/metadata.name, got %+v", sel)
		}
		var ports []string
		for _, p := range dns.Spec.Egress[0].Ports {
			ports = append(ports, fmt.Sprintf("%s/%s", p.Port.String(), *p.Protocol))
		}
		if strings.Join(ports, ",") != "53/UDP,53/TCP" {
			return fmt.Errorf("allow-dns ports = %v, want 53/UDP,53/TCP", ports)
		}
		same, err := nps.Get(ctx, "hardened-allow-same-namespace", metav1.GetOptions{})
		if err != nil {
			return err
		}
		if len(same.Spec.Ingress) != 1 || len(same.Spec.Egress) != 1 || same.Spec.Ingress[0].From[0].PodSelector == nil ||
			same.Spec.Ingress[0].From[0].NamespaceSelector != nil {
			return fmt.Errorf("allow-same-namespace has the wrong shape: %+v", same.Spec)
		}
		return nil
	}
}

// testAccCheckRBAC acts as the bound identities: edit may create in its namespace only, view may
// read but not create.
func testAccCheckRBAC(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ctx := context.Background()
		aliceCfg, _, err := testCluster.User("alice", "team-a-devs")
		if err != nil {
			return err
		}
		alice := clientsetFor(t, aliceCfg)
		dryRun := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
		deploy := func(namespace string) *appsv1.Deployment {
			pod := testcluster.RestrictedPod(namespace)
			labels := map[string]string{"app": "web"}
			return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: namespace}, Spec: appsv1.DeploymentSpec{
				Selector: &metav1.LabelSelector{MatchLabels: labels},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: pod.Spec}}}
		}
		if _, err := alice.AppsV1().Deployments(ns).Create(ctx, deploy(ns), dryRun); err != nil {
			return fmt.Errorf("edit group member could not create a deployment in %s: %w", ns, err)
		}
		if _, err := alice.AppsV1().Deployments("default").Create(ctx, deploy("default"), dryRun); !apierrors.IsForbidden(err) {
			return fmt.Errorf("edit group member must not create in another namespace, got %v", err)
		}
		escalate := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "escalate", Namespace: ns},
			RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "admin"},
			Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "alice"}}}
		if _, err := alice.RbacV1().RoleBindings(ns).Create(ctx, escalate, dryRun); !apierrors.IsForbidden(err) {
			return fmt.Errorf("edit must not create RoleBindings, got %v", err)
		}
		victorCfg, _, err := testCluster.User("victor")
		if err != nil {
			return err
		}
		victor := clientsetFor(t, victorCfg)
		if _, err := victor.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{}); err != nil {
			return fmt.Errorf("view user could not list pods in %s: %w", ns, err)
		}
		if _, err := victor.AppsV1().Deployments(ns).Create(ctx, deploy(ns), dryRun); !apierrors.IsForbidden(err) {
			return fmt.Errorf("view user must not create, got %v", err)
		}
		if _, err := victor.CoreV1().Pods("default").List(ctx, metav1.ListOptions{}); !apierrors.IsForbidden(err) {
			return fmt.Errorf("view user must not read another namespace, got %v", err)
		}
		return nil
	}
}

func TestAccNamespace_deleteHeldByFinalizer(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-final")
	config := fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name     = %q
  timeouts = { delete = "8s" }
}
`, name)
	ctx := context.Background()
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "held", Namespace: name, Finalizers: []string{"example.com/hold"}}}
					if _, err := adminClientset(t).CoreV1().ConfigMaps(name).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				Destroy:     true,
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)was not deleted in time.*example.com/hold`)),
			},
			{
				// Once the finalizer is released the namespace goes; the next apply recreates it.
				PreConfig: func() {
					_, err := adminClientset(t).CoreV1().ConfigMaps(name).Patch(ctx, "held", types.MergePatchType,
						[]byte(`{"metadata":{"finalizers":null}}`), metav1.PatchOptions{})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				Check:  testAccCheckPodSecurityEnforced(t, name),
			},
		},
	})
}

func TestAccNamespace_deletionProtection(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-protect")
	cfg := func(protect bool) string {
		return fmt.Sprintf("resource \"hardened_namespace\" \"test\" {\n  name = %q\n  deletion_protection = %t\n}\n", name, protect)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: cfg(true)},
			{Config: cfg(true), Destroy: true, ExpectError: regexp.MustCompile(wrapTolerant(`(?s)deletion_protection = true. Set it to false`))},
			{Config: cfg(true), Check: testAccCheckNamespaceLabels(t, name, map[string]string{"pod-security.kubernetes.io/enforce": "restricted"})},
			{Config: cfg(false)},
		},
	})
}

// TestAccNamespaceManifests_matchesResource: the data source renders what the resource applies.
func TestAccNamespaceManifests_matchesResource(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-manifest")
	args := `
  environment = "dev"
  network_policy = { allow_egress_to_cidrs = ["10.0.0.0/8"], allow_egress_ports = ["443"] }
  access = [{ role = "view", groups = ["auditors"] }]`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name = %[1]q
  %[2]s
  # The manifests carry no tamper guard (it must exempt whoever applies them, known only live).
  tamper_protection = false
}
data "hardened_namespace_manifests" "test" {
  name = %[1]q
  %[2]s
}
`, name, args),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttrPair("hardened_namespace.test", "managed_objects.#", "data.hardened_namespace_manifests.test", "objects.#"),
				resource.TestCheckResourceAttrPair("hardened_namespace.test", "managed_objects.8", "data.hardened_namespace_manifests.test", "objects.8"),
				resource.TestCheckResourceAttr("data.hardened_namespace_manifests.test", "objects.7", "NetworkPolicy/hardened-allow-egress-to-cidrs"),
				resource.TestMatchResourceAttr("data.hardened_namespace_manifests.test", "yaml", regexp.MustCompile(`(?s)pod-security.kubernetes.io/enforce: baseline.*cidr: 10.0.0.0/8`)),
				func(*terraform.State) error {
					np, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Get(context.Background(), "hardened-allow-egress-to-cidrs", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if np.Spec.Egress[0].To[0].IPBlock.CIDR != "10.0.0.0/8" || np.Spec.Egress[0].Ports[0].Port.IntValue() != 443 {
						return fmt.Errorf("egress CIDR policy not as rendered: %+v", np.Spec)
					}
					return nil
				},
			),
		}},
	})
}
