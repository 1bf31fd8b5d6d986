package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

func TestAccNamespace_lifecycle(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-ns")
	addr := "hardened_namespace.test"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: testAccNamespaceConfig(name, `labels = { team = "payments" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("uid"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f-]{36}$`))),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pod_security"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"enforce": knownvalue.StringExact("restricted"), "audit": knownvalue.StringExact("restricted"),
						"warn": knownvalue.StringExact("restricted"), "version": knownvalue.StringExact("latest"),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckNamespaceLabels(t, name, map[string]string{
						"team":                                       "payments",
						"pod-security.kubernetes.io/enforce":         "restricted",
						"pod-security.kubernetes.io/audit":           "restricted",
						"pod-security.kubernetes.io/warn":            "restricted",
						"pod-security.kubernetes.io/enforce-version": "latest",
						"app.kubernetes.io/managed-by":               "terraform-provider-hardened",
					}),
					testAccCheckPodSecurityEnforced(t, name),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Someone relaxes Pod Security by hand: the plan shows it, apply restores it.
				PreConfig: func() {
					patchNamespaceLabels(t, name, `{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged","added-by-hand":"yes"}}}`)
				},
				Config: testAccNamespaceConfig(name, `labels = { team = "payments" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(addr, tfjsonpath.New("pod_security").AtMapKey("enforce"), knownvalue.StringExact("restricted")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					testAccCheckNamespaceLabels(t, name, map[string]string{
						"pod-security.kubernetes.io/enforce": "restricted",
						// A label another tool owns is left alone.
						"added-by-hand": "yes",
					}),
					testAccCheckPodSecurityEnforced(t, name),
				),
			},
			{
				// The hand-made label goes before the import step (import adopts only what the provider applied).
				PreConfig: func() { patchNamespaceLabels(t, name, `{"metadata":{"labels":{"added-by-hand":null}}}`) },
				Config: testAccNamespaceConfig(name, `
  labels      = { team = "checkout" }
  annotations = { "owner.example.com/contact" = "team-checkout@example.com" }
  pod_security = { enforce = "baseline", version = "v1.37" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("pod_security").AtMapKey("audit"), knownvalue.StringExact("restricted")),
				},
				Check: testAccCheckNamespaceLabels(t, name, map[string]string{
					"team":                                    "checkout",
					"pod-security.kubernetes.io/enforce":      "baseline",
					"pod-security.kubernetes.io/warn":         "restricted",
					"pod-security.kubernetes.io/warn-version": "v1.37",
				}),
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

func TestAccNamespace_existingRefused(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-existing")
	cs := adminClientset(t)
	if _, err := cs.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			// The provider must not have taken the namespace over: it has no PSA labels from us.
			ns, err := cs.CoreV1().Namespaces().Get(context.Background(), name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			if _, ok := ns.Labels["pod-security.kubernetes.io/enforce"]; ok {
				return fmt.Errorf("namespace %s was modified although create was refused", name)
			}
			return cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
		},
		Steps: []resource.TestStep{{
			Config:      testAccNamespaceConfig(name, ""),
			ExpectError: regexp.MustCompile(`(?s)already exists.*terraform import`),
		}},
	})
}

func TestAccNamespace_deletedOutOfBand(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-oob")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: testAccNamespaceConfig(name, "")},
			{
				PreConfig: func() {
					cs := adminClientset(t)
					if err := cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{}); err != nil {
						t.Fatal(err)
					}
				},
				Config: testAccNamespaceConfig(name, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("hardened_namespace.test", plancheck.ResourceActionCreate)},
				},
				Check: testAccCheckPodSecurityEnforced(t, name),
			},
		},
	})
}

func testAccNamespaceConfig(name, body string) string {
	return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name = %q
  %s
}
`, name, body)
}

// testAccCheckNamespaceLabels asks the API server, not the state.
func testAccCheckNamespaceLabels(t *testing.T, name string, want map[string]string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		ns, err := adminClientset(t).CoreV1().Namespaces().Get(context.Background(), name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for k, v := range want {
			if got := ns.Labels[k]; got != v {
				return fmt.Errorf("namespace %s label %s = %q, want %q", name, k, got, v)
			}
		}
		return nil
	}
}

// testAccCheckPodSecurityEnforced proves admission, not labels: a privileged pod is refused and a
// restricted-compliant pod is admitted by the real API server.
func testAccCheckPodSecurityEnforced(t *testing.T, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cs := adminClientset(t)
		ctx := context.Background()
		err := testcluster.CreatePod(ctx, cs, testcluster.PrivilegedPod(name), false)
		if err == nil {
			return fmt.Errorf("a privileged pod was admitted in %s", name)
		}
		if !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), `violates PodSecurity "restricted:latest"`) {
			return fmt.Errorf("privileged pod refused for the wrong reason: %v", err)
		}
		// ResourceQuota is the last admission step, after Pod Security: a full quota still proves
		// Pod Security admitted the pod.
		if err := testcluster.CreatePod(ctx, cs, testcluster.RestrictedPod(name), false); err != nil && !strings.Contains(err.Error(), "exceeded quota") {
			return fmt.Errorf("a restricted-compliant pod was refused in %s: %w", name, err)
		}
		return nil
	}
}

func testAccCheckNamespacesGone(t *testing.T, names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cs := adminClientset(t)
		for _, n := range names {
			_, err := cs.CoreV1().Namespaces().Get(context.Background(), n, metav1.GetOptions{})
			if err == nil {
				return fmt.Errorf("namespace %s still exists after destroy", n)
			}
			if !apierrors.IsNotFound(err) {
				return err
			}
		}
		return nil
	}
}

func patchNamespaceLabels(t *testing.T, name, patch string) {
	t.Helper()
	_, err := adminClientset(t).CoreV1().Namespaces().Patch(context.Background(), name, types.MergePatchType, []byte(patch), metav1.PatchOptions{FieldManager: "kubectl-edit"})
	if err != nil {
		t.Fatal(err)
	}
}
