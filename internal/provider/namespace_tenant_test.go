package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/netpoleval"
)

// The tenant tests act as a member of the group the configuration grants edit: a minted client
// certificate, bound only through the access block. Every attack from the threat model is tried
// and its refusal asserted, or, with tamper_protection off, the plan shows it and apply undoes it.

func tenantConfig(name, edge, extra string) string {
	return fmt.Sprintf(`
resource "hardened_namespace" "edge" {
  name = %[2]q
  # The edge's own default deny must let it reach the tenant (every port: the tenant decides).
  network_policy = { allow_egress_to_namespaces = [%[1]q] }
}
resource "hardened_namespace" "test" {
  name   = %[1]q
  access = [{ role = "edit", groups = ["tenants-%[1]s"] }]
  image_policy = {
    allowed_registries = ["registry.example.com", "ghcr.io/acme", "localhost:5000"]
  }
  network_policy = {
    allow_ingress_from_namespaces = [hardened_namespace.edge.id]
    allow_ingress_ports           = ["8080"]
    allow_egress_to_cidrs         = ["10.20.0.0/16"]
    allow_egress_ports            = ["443"]
  }
  %[3]s
}
`, name, edge, extra)
}

// tenantNamespaceConfig is a namespace whose tenants-<name> group is in edit, as tenant acts, plus
// extra attributes.
func tenantNamespaceConfig(name, extra string) string {
	return testAccNamespaceConfig(name, fmt.Sprintf("access = [{ role = \"edit\", groups = [\"tenants-%s\"] }]\n  %s", name, extra))
}

// tenant returns a clientset for a user in the namespace's edit group.
func tenant(t *testing.T, ns string) kubernetes.Interface {
	t.Helper()
	kc, _, err := testCluster.User("tenant-"+ns, "tenants-"+ns)
	if err != nil {
		t.Fatal(err)
	}
	return clientsetFor(t, kc)
}

// refused runs an attack and expects the API server to refuse it with want in the message.
// A policy just applied takes a moment to reach admission, so an admitted attempt is retried.
func refused(what, want string, attack func() error) error {
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if err = attack(); err != nil {
			break
		}
	}
	if err == nil {
		return fmt.Errorf("%s: admitted, want it refused with %q", what, want)
	}
	if !strings.Contains(err.Error(), want) {
		return fmt.Errorf("%s: refused with %v, want %q", what, err, want)
	}
	return nil
}

func admitted(what string, attempt func() error) error {
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if err = attempt(); err == nil {
			return nil
		}
	}
	return fmt.Errorf("%s: refused (%v), want it admitted", what, err)
}

const tamperRefusal = "hardened_namespace tamper protection"

// Attacks run as dry runs: admission (Pod Security, quota, RBAC, every admission policy) judges
// them exactly as real requests, and one admitted before a new policy is loaded changes nothing,
// so the retry in refused stays meaningful.
var (
	dryRun    = metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
	dryPatch  = metav1.PatchOptions{DryRun: []string{metav1.DryRunAll}}
	dryDelete = metav1.DeleteOptions{DryRun: []string{metav1.DryRunAll}}
)

func patchOpts() metav1.PatchOptions { return metav1.PatchOptions{} }

func TestAccNamespace_tenantAttacks(t *testing.T) {
	testAccPreCheck(t)
	name, edge := acctest.RandomWithPrefix("acc-tenant"), acctest.RandomWithPrefix("acc-edge")
	ctx := context.Background()
	var tc kubernetes.Interface
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(testAccCheckNamespacesGone(t, name, edge), clusterObjectsGone(t, name)),
		Steps: []resource.TestStep{
			{
				Config: tenantConfig(name, edge, ""),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("hardened_namespace.test", "tamper_protection", "true"),
					func(*terraform.State) error { return tenantImageAttacks(ctx, tc, adminClientset(t), name) },
					func(*terraform.State) error { return tenantTamperAttacks(ctx, tc, name) },
					func(*terraform.State) error { return tenantLegitimateWork(ctx, tc, name) },
					func(*terraform.State) error { return networkTruthTable(ctx, adminClientset(t), name, edge, false) },
				),
			},
			{
				// The tenant's own allow-all policy (tenants may add policies) and an admin's
				// RoleBinding to cluster-admin: not removed, but reported by compliance.
				PreConfig: func() {
					mustCreateAllowAll(t, tc, name)
					mustCreateBinding(t, adminClientset(t), name, "by-hand", "cluster-admin")
				},
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return networkTruthTable(ctx, adminClientset(t), name, edge, true) },
					complianceSays(5, false, "NetworkPolicy/tenant-allow-all"),
					complianceSays(4, false, "RoleBinding/by-hand: grants ClusterRole cluster-admin"),
				),
			},
			{
				// Applying does not remove what Terraform did not create, and the plan stays empty:
				// the findings are facts about the namespace, not changes to make.
				Config: tenantConfig(name, edge, "") + fmt.Sprintf(`
data "hardened_cluster_posture" "test" {
  namespaces = { include = [%q] }
  depends_on = [hardened_namespace.test]
}
`, name),
				Check: complianceSays(5, false, "NetworkPolicy/tenant-allow-all"),
				ConfigStateChecks: []statecheck.StateCheck{clusterPostureCheck(func(findings []map[string]any) error {
					for _, want := range []string{"HRD-5003 failed high NetworkPolicy " + name + "/tenant-allow-all",
						"HRD-4003 failed high RoleBinding " + name + "/by-hand"} {
						if !slices.ContainsFunc(findings, func(f map[string]any) bool { return clusterPostureKey(f) == want }) {
							return fmt.Errorf("hardened_cluster_posture does not report %q", want)
						}
					}
					return nil
				})},
			},
			{
				PreConfig: func() {
					mustDelete(t, adminClientset(t).NetworkingV1().NetworkPolicies(name).Delete(ctx, "tenant-allow-all", metav1.DeleteOptions{}))
					mustDelete(t, adminClientset(t).RbacV1().RoleBindings(name).Delete(ctx, "by-hand", metav1.DeleteOptions{}))
				},
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					complianceSays(5, true, ""), complianceSays(4, true, ""),
					func(*terraform.State) error { return networkTruthTable(ctx, adminClientset(t), name, edge, false) },
				),
			},
		},
	})
}

// TestAccNamespace_tenantDriftWithoutGuard: with tamper_protection off the tenant can change the
// provider's objects; every change, including fields the provider never sets, shows in the next
// plan and apply restores the object exactly.
func TestAccNamespace_tenantDriftWithoutGuard(t *testing.T) {
	testAccPreCheck(t)
	name, edge := acctest.RandomWithPrefix("acc-drift"), acctest.RandomWithPrefix("acc-edge")
	ctx := context.Background()
	var tc kubernetes.Interface
	cfg := tenantConfig(name, edge, "tamper_protection = false")
	attack := func(what string, f func() error) {
		t.Helper()
		if err := f(); err != nil {
			t.Fatalf("%s (tamper_protection = false, so the tenant may): %v", what, err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name, edge),
		Steps: []resource.TestStep{
			{Config: cfg, Check: resource.TestCheckResourceAttr("hardened_namespace.test", "tamper_protection", "false")},
			{
				PreConfig: func() {
					np := tc.NetworkingV1().NetworkPolicies(name)
					attack("add ingress: [{}] to the default deny", func() error {
						_, err := np.Patch(ctx, "hardened-default-deny", types.MergePatchType, []byte(`{"spec":{"ingress":[{}]}}`), patchOpts())
						return err
					})
					attack("narrow the same-namespace allow's pod selector", func() error {
						_, err := np.Patch(ctx, "hardened-allow-same-namespace", types.MergePatchType,
							[]byte(`{"spec":{"podSelector":{"matchLabels":{"app":"x"}}}}`), patchOpts())
						return err
					})
					attack("flip automount on the default ServiceAccount", func() error {
						_, err := tc.CoreV1().ServiceAccounts(name).Patch(ctx, "default", types.MergePatchType,
							[]byte(`{"automountServiceAccountToken":true}`), patchOpts())
						return err
					})
					// Fields the provider never sets, in objects that are its own: an extra subject and an
					// extra quota key (by an admin: edit may not write RoleBindings or quotas).
					admin := adminClientset(t)
					attack("append a subject to the edit binding", func() error {
						_, err := admin.RbacV1().RoleBindings(name).Patch(ctx, "hardened-access-edit", types.JSONPatchType,
							[]byte(`[{"op":"add","path":"/subjects/-","value":{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"mallory"}}]`), patchOpts())
						return err
					})
					attack("add a key to the quota", func() error {
						_, err := admin.CoreV1().ResourceQuotas(name).Patch(ctx, "hardened-quota", types.MergePatchType,
							[]byte(`{"spec":{"hard":{"count/secrets":"1000"}}}`), patchOpts())
						return err
					})
					attack("plant a policy that claims to be Terraform's", func() error {
						p := allowAllPolicy(name, "hardened-extra")
						p.Labels = map[string]string{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}
						_, err := np.Create(ctx, p, metav1.CreateOptions{})
						return err
					})
				},
				Config: cfg, PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				Check: func(*terraform.State) error {
					cs := adminClientset(t)
					deny, err := cs.NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-default-deny", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if len(deny.Spec.Ingress) != 0 {
						return fmt.Errorf("default deny still has the tenant's ingress rules: %+v", deny.Spec.Ingress)
					}
					for _, m := range deny.ManagedFields {
						if m.Manager != "terraform-provider-hardened" && strings.Contains(m.FieldsV1.GetRawString(), "f:spec") {
							return fmt.Errorf("manager %s still owns part of the default deny's spec", m.Manager)
						}
					}
					same, err := cs.NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-allow-same-namespace", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if len(same.Spec.PodSelector.MatchLabels) != 0 {
						return fmt.Errorf("same-namespace allow still selects %v", same.Spec.PodSelector.MatchLabels)
					}
					if _, err := cs.NetworkingV1().NetworkPolicies(name).Get(ctx, "hardened-extra", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
						return fmt.Errorf("the planted policy carrying the managed-by label should be pruned, got %v", err)
					}
					rb, err := cs.RbacV1().RoleBindings(name).Get(ctx, "hardened-access-edit", metav1.GetOptions{})
					if err != nil || len(rb.Subjects) != 1 {
						return fmt.Errorf("edit binding subjects not restored: %v %v", rb, err)
					}
					q, err := cs.CoreV1().ResourceQuotas(name).Get(ctx, "hardened-quota", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if _, extra := q.Spec.Hard["count/secrets"]; extra {
						return fmt.Errorf("the quota key added by hand survived apply: %v", q.Spec.Hard)
					}
					sa, err := cs.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{})
					if err != nil || sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
						return fmt.Errorf("default ServiceAccount automount not restored: %v %v", sa.AutomountServiceAccountToken, err)
					}
					return networkTruthTable(ctx, cs, name, edge, false)
				},
			},
		},
	})
}

// TestAccNamespace_tamperHandover: without runner_identity the guard exempts the user name of the
// run that last applied. Another runner (cluster-admin through RBAC, not break-glass) is warned at
// plan and refused at apply: it cannot take the namespace over. A break-glass identity
// (system:masters) can, in the same apply that changes the guarded Pod Security labels, and the
// first runner is refused from then on.
func TestAccNamespace_tamperHandover(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-handover")
	ctx := context.Background()
	testAccPreCheck(t)
	// Minted before the steps are built: their configurations name the kubeconfigs.
	runnerA, runnerACS := rbacAdmin(t, "ci-runner-a-"+name)
	runnerB, _ := rbacAdmin(t, "ci-runner-b-"+name)
	cfg := func(kubeconfig string, env ...string) string {
		p := ""
		if kubeconfig != "" {
			p = fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n}\n", kubeconfig)
		}
		environment := "prod"
		if len(env) > 0 {
			environment = env[0]
		}
		return p + fmt.Sprintf("resource \"hardened_namespace\" \"test\" {\n  name = %q\n  environment = %q\n}\n", name, environment)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(testAccCheckNamespacesGone(t, name), clusterObjectsGone(t, name)),
		Steps: []resource.TestStep{
			{Config: cfg(runnerA)},
			{
				// Runner A may still change the objects the guard protects; runner B's plan shows the
				// change of exempt identity.
				PreConfig: func() {
					err := admitted("runner A annotates its own policy", func() error {
						_, err := runnerACS.NetworkingV1().NetworkPolicies(name).Patch(ctx, "hardened-default-deny", types.MergePatchType,
							[]byte(`{"metadata":{"annotations":{"note":"a"}}}`), patchOpts())
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg(runnerB), PlanOnly: true, ExpectNonEmptyPlan: true,
			},
			{
				// Runner B is not exempt and not break-glass: the guard refuses its apply, and the
				// error says how to declare a runner.
				Config:      cfg(runnerB, "dev"),
				ExpectError: regexp.MustCompile(`(?s)tamper protection.*runner_identity`),
			},
			{
				// A cluster administrator (system:masters) takes over in the same apply that changes
				// the guarded Pod Security labels (dev enforces baseline).
				Config: cfg("", "dev"),
				Check: func(*terraform.State) error {
					ns, err := adminClientset(t).CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
					if err != nil {
						return err
					}
					if ns.Labels["pod-security.kubernetes.io/enforce"] != "baseline" {
						return fmt.Errorf("the administrator's apply did not relabel the namespace: %v", ns.Labels)
					}
					return refused("runner A changes the default deny after the handover", tamperRefusal, func() error {
						_, err := runnerACS.NetworkingV1().NetworkPolicies(name).Patch(ctx, "hardened-default-deny", types.MergePatchType,
							[]byte(`{"spec":{"ingress":[{}]}}`), dryPatch)
						return err
					})
				},
			},
			{Config: cfg("", "dev"), PlanOnly: true},
		},
	})
}

func tenantImageAttacks(ctx context.Context, tc, admin kubernetes.Interface, ns string) error {
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	pods := tc.CoreV1().Pods(ns)
	pod := func(image string) func() error {
		return func() error { _, err := pods.Create(ctx, podWithImage(ns, image), dryRun); return err }
	}
	notAllowed := "is not from an allowed registry"
	// The registries are not a tenant-writable ConfigMap any more: there is none to patch, and one
	// planted under that name cannot claim to be Terraform's.
	if _, err := admin.CoreV1().ConfigMaps(ns).Get(ctx, "hardened-image-policy", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		errs = append(errs, fmt.Sprintf("ConfigMap hardened-image-policy exists (err=%v): registries must not be tenant-writable", err))
	}
	check(refused("tenant plants a labelled registry ConfigMap", tamperRefusal, func() error {
		_, err := tc.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "hardened-image-policy",
			Labels: map[string]string{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}},
			Data: map[string]string{"registry.zz": "docker.io"}}, dryRun)
		return err
	}))
	check(admitted("allowed registry", pod("registry.example.com/app:1.2.3")))
	check(admitted("allowed registry, upper-case host", pod("REGISTRY.EXAMPLE.COM/app:1.2.3")))
	check(admitted("allowed host:port registry", pod("localhost:5000/app:1")))
	check(admitted("allowed registry by digest", pod("ghcr.io/acme/api@sha256:"+strings.Repeat("b", 64))))
	for _, image := range []string{
		"docker.io/library/nginx:1.27", "nginx:1.27", "harbor/app:1", "registry.example.com.evil.io/app:1",
		"ghcr.io/acme-evil/app:1", "GHCR.IO/acme-evil/app:1", "registry.example.com:5000/app:1", "localhost:5001/app:1",
		"docker.io/library/nginx@sha256:" + strings.Repeat("c", 64),
	} {
		check(refused("image "+image, notAllowed, pod(image)))
	}
	// Image volumes (on by default since 1.36, allowed by Pod Security restricted). A server with the
	// ImageVolume feature off drops the field before admission: then nothing is pulled either.
	imageVolume := func() (*corev1.Pod, error) {
		p := podWithImage(ns, "registry.example.com/app:1")
		p.Spec.Volumes = []corev1.Volume{{Name: "data", VolumeSource: corev1.VolumeSource{Image: &corev1.ImageVolumeSource{
			Reference: "docker.io/evil/data:1", PullPolicy: corev1.PullIfNotPresent}}}}
		p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data", ReadOnly: true}}
		return pods.Create(ctx, p, dryRun)
	}
	if got, err := imageVolume(); err == nil && len(got.Spec.Volumes) > 0 && got.Spec.Volumes[0].Image == nil {
		fmt.Printf("image volumes: the server dropped spec.volumes[].image (ImageVolume feature off); nothing to check\n")
	} else {
		check(refused("image volume from Docker Hub", "docker.io/evil/data:1 is not from an allowed registry", func() error {
			_, err := imageVolume()
			return err
		}))
	}
	// Every pod template kind.
	tpl := func(image string) corev1.PodTemplateSpec {
		return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}}, Spec: podWithImage(ns, image).Spec}
	}
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}}
	meta := metav1.ObjectMeta{Name: "x", Namespace: ns}
	onFail := func(spec corev1.PodSpec) corev1.PodSpec { spec.RestartPolicy = corev1.RestartPolicyNever; return spec }
	workloads := map[string]func(image string) error{
		"Deployment": func(i string) error {
			_, err := tc.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{ObjectMeta: meta, Spec: appsv1.DeploymentSpec{Selector: sel, Template: tpl(i)}}, dryRun)
			return err
		},
		"StatefulSet": func(i string) error {
			_, err := tc.AppsV1().StatefulSets(ns).Create(ctx, &appsv1.StatefulSet{ObjectMeta: meta, Spec: appsv1.StatefulSetSpec{Selector: sel, Template: tpl(i)}}, dryRun)
			return err
		},
		"DaemonSet": func(i string) error {
			_, err := tc.AppsV1().DaemonSets(ns).Create(ctx, &appsv1.DaemonSet{ObjectMeta: meta, Spec: appsv1.DaemonSetSpec{Selector: sel, Template: tpl(i)}}, dryRun)
			return err
		},
		"ReplicaSet": func(i string) error {
			_, err := tc.AppsV1().ReplicaSets(ns).Create(ctx, &appsv1.ReplicaSet{ObjectMeta: meta, Spec: appsv1.ReplicaSetSpec{Selector: sel, Template: tpl(i)}}, dryRun)
			return err
		},
		"Job": func(i string) error {
			t := tpl(i)
			t.Spec = onFail(t.Spec)
			_, err := tc.BatchV1().Jobs(ns).Create(ctx, &batchv1.Job{ObjectMeta: meta, Spec: batchv1.JobSpec{Template: t}}, dryRun)
			return err
		},
		"CronJob": func(i string) error {
			t := tpl(i)
			t.Spec = onFail(t.Spec)
			_, err := tc.BatchV1().CronJobs(ns).Create(ctx, &batchv1.CronJob{ObjectMeta: meta, Spec: batchv1.CronJobSpec{Schedule: "@daily",
				JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: t}}}}, dryRun)
			return err
		},
	}
	for kind, create := range workloads {
		check(admitted(kind+" with an allowed image", func() error { return create("registry.example.com/app:1") }))
		check(refused(kind+" with a foreign image", "quay.io/evil/app:1 "+notAllowed, func() error { return create("quay.io/evil/app:1") }))
	}
	// Ephemeral containers: edit may not add them, so an admin tries.
	check(refused("ephemeral container with a foreign image", "quay.io/evil/debug:1 "+notAllowed, func() error {
		p, err := admin.CoreV1().Pods(ns).Get(ctx, "eph", metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			p, err = admin.CoreV1().Pods(ns).Create(ctx, func() *corev1.Pod {
				p := podWithImage(ns, "registry.example.com/app:1")
				p.Name = "eph"
				return p
			}(), metav1.CreateOptions{})
		}
		if err != nil {
			return fmt.Errorf("setting up: %w", err)
		}
		c := p.Spec.Containers[0]
		p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name: "debug", Image: "quay.io/evil/debug:1", SecurityContext: c.SecurityContext}}}
		_, err = admin.CoreV1().Pods(ns).UpdateEphemeralContainers(ctx, "eph", p, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
		return err
	}))
	if len(errs) > 0 {
		return fmt.Errorf("image policy:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

func tenantTamperAttacks(ctx context.Context, tc kubernetes.Interface, ns string) error {
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	np := tc.NetworkingV1().NetworkPolicies(ns)
	merge := func(f func(context.Context, string, types.PatchType, []byte, metav1.PatchOptions, ...string) error, name, patch string) func() error {
		return func() error { return f(ctx, name, types.MergePatchType, []byte(patch), dryPatch) }
	}
	patchNP := func(ctx context.Context, name string, pt types.PatchType, b []byte, o metav1.PatchOptions, sub ...string) error {
		_, err := np.Patch(ctx, name, pt, b, o, sub...)
		return err
	}
	check(refused("narrow the default deny's pod selector", tamperRefusal, merge(patchNP, "hardened-default-deny", `{"spec":{"podSelector":{"matchLabels":{"app":"x"}}}}`)))
	check(refused("add ingress: [{}] to the default deny", tamperRefusal, merge(patchNP, "hardened-default-deny", `{"spec":{"ingress":[{}]}}`)))
	check(refused("drop the managed-by label of the DNS allow", tamperRefusal, merge(patchNP, "hardened-allow-dns", `{"metadata":{"labels":{"app.kubernetes.io/managed-by":null}}}`)))
	check(refused("delete the default deny", tamperRefusal, func() error {
		return np.Delete(ctx, "hardened-default-deny", dryDelete)
	}))
	check(refused("plant an allow-all that claims to be Terraform's", tamperRefusal, func() error {
		p := allowAllPolicy(ns, "hardened-allow-everything")
		p.Labels = map[string]string{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}
		_, err := np.Create(ctx, p, dryRun)
		return err
	}))
	sa := tc.CoreV1().ServiceAccounts(ns)
	check(refused("turn on automount on the default ServiceAccount", tamperRefusal, func() error {
		_, err := sa.Patch(ctx, "default", types.MergePatchType, []byte(`{"automountServiceAccountToken":true}`), dryPatch)
		return err
	}))
	check(refused("delete the default ServiceAccount", tamperRefusal, func() error {
		return sa.Delete(ctx, "default", dryDelete)
	}))
	// RBAC already keeps edit away from these; the test shows it stays so.
	check(refused("raise the quota", "forbidden", func() error {
		_, err := tc.CoreV1().ResourceQuotas(ns).Patch(ctx, "hardened-quota", types.MergePatchType, []byte(`{"spec":{"hard":{"pods":"1000"}}}`), dryPatch)
		return err
	}))
	check(refused("relabel the namespace", "forbidden", func() error {
		_, err := tc.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(`{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}`), dryPatch)
		return err
	}))
	// What the shared admission policies read lives on the namespace: a tenant can neither name
	// itself the exempt identity nor widen the registries or drop the image policy's label.
	for what, patch := range map[string]string{
		"exempt itself from the guard": `{"metadata":{"annotations":{"` + hardening.TerraformIdentityAnnotation + `":"tenant-` + ns + `"}}}`,
		"widen the allowed registries": `{"metadata":{"annotations":{"` + hardening.AllowedRegistriesAnnotation + `":"docker.io"}}}`,
		"unbind the image policy":      `{"metadata":{"labels":{"` + hardening.ImagePolicyLabel + `":null}}}`,
	} {
		check(refused(what, "forbidden", func() error {
			_, err := tc.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(patch), dryPatch)
			return err
		}))
	}
	check(refused("bind admin", "forbidden", func() error {
		_, err := tc.RbacV1().RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "me-admin"},
			RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "admin"},
			Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "tenant-" + ns}}}, dryRun)
		return err
	}))
	if len(errs) > 0 {
		return fmt.Errorf("tamper protection:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// tenantLegitimateWork: what tenants may do keeps working with the guard in place.
func tenantLegitimateWork(ctx context.Context, tc kubernetes.Interface, ns string) error {
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	check(admitted("add imagePullSecrets to the default ServiceAccount", func() error {
		_, err := tc.CoreV1().ServiceAccounts(ns).Patch(ctx, "default", types.MergePatchType, []byte(`{"imagePullSecrets":[{"name":"regcred"}]}`), dryPatch)
		return err
	}))
	check(admitted("annotate Terraform's policy (metadata others may own)", func() error {
		_, err := tc.NetworkingV1().NetworkPolicies(ns).Patch(ctx, "hardened-default-deny", types.MergePatchType,
			[]byte(`{"metadata":{"annotations":{"mesh.example.com/seen":"yes"}}}`), dryPatch)
		return err
	}))
	check(admitted("create a ConfigMap of their own", func() error {
		_, err := tc.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "app-config"}}, dryRun)
		return err
	}))
	check(admitted("create a narrow allow of their own", func() error {
		p := allowAllPolicy(ns, "web-from-same")
		p.Spec.Ingress = []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}}}
		p.Spec.Egress = nil
		p.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		_, err := tc.NetworkingV1().NetworkPolicies(ns).Create(ctx, p, dryRun)
		return err
	}))
	if len(errs) > 0 {
		return fmt.Errorf("legitimate tenant work:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

func allowAllPolicy(ns, name string) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Spec: networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
		Ingress:     []networkingv1.NetworkPolicyIngressRule{{}}, Egress: []networkingv1.NetworkPolicyEgressRule{{}}}}
}

func mustCreateAllowAll(t *testing.T, cs kubernetes.Interface, ns string) {
	t.Helper()
	if _, err := cs.NetworkingV1().NetworkPolicies(ns).Create(context.Background(), allowAllPolicy(ns, "tenant-allow-all"), metav1.CreateOptions{}); err != nil {
		t.Fatalf("the tenant may add policies of their own: %v", err)
	}
}

func mustCreateBinding(t *testing.T, cs kubernetes.Interface, ns, name, role string) {
	t.Helper()
	_, err := cs.RbacV1().RoleBindings(ns).Create(context.Background(), &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role},
		Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "mallory"}}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func mustDelete(t *testing.T, err error) {
	t.Helper()
	if err != nil && !apierrors.IsNotFound(err) {
		t.Fatal(err)
	}
}

// complianceSays checks compliance's verdict on a practice (the RBAC one for practice 4): a gap
// line naming detail when it is not satisfied, no gap line for it when it is.
func complianceSays(practice int, satisfied bool, detail string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources["hardened_namespace.test"]
		if !ok {
			return fmt.Errorf("hardened_namespace.test not in state")
		}
		a := rs.Primary.Attributes
		if a["compliance.gaps.#"] == "" {
			return fmt.Errorf("compliance.gaps is not in the state")
		}
		prefix := fmt.Sprintf("practice %d (", practice)
		if practice == 4 {
			prefix += "RBAC"
		}
		var gap string
		for i := 0; a[fmt.Sprintf("compliance.gaps.%d", i)] != ""; i++ {
			if g := a[fmt.Sprintf("compliance.gaps.%d", i)]; strings.HasPrefix(g, prefix) {
				gap = g
			}
		}
		switch {
		case satisfied && gap != "":
			return fmt.Errorf("compliance reports a gap for practice %d: %q", practice, gap)
		case !satisfied && !strings.Contains(gap, detail):
			return fmt.Errorf("compliance practice %d: gap %q; want a gap naming %q", practice, gap, detail)
		case !satisfied && a["compliance.satisfied"] != "false":
			return fmt.Errorf("compliance.satisfied = %q with a gap for practice %d", a["compliance.satisfied"], practice)
		}
		return nil
	}
}

// networkTruthTable reads the namespace's policies back from the API server and asks an
// independent evaluator (cyclonus's matcher) what they allow; it must be exactly what the
// configuration promises, or, after the tenant's allow-all, open.
func networkTruthTable(ctx context.Context, cs kubernetes.Interface, ns, edge string, open bool) error {
	var policies []networkingv1.NetworkPolicy
	for _, n := range []string{ns, edge} {
		list, err := cs.NetworkingV1().NetworkPolicies(n).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		policies = append(policies, list.Items...)
	}
	c := netpoleval.Cluster{Policies: policies}
	pod := func(n string) netpoleval.Endpoint {
		return netpoleval.Endpoint{Namespace: n, PodLabels: map[string]string{"app": "web"}}
	}
	ext := func(ip string) netpoleval.Endpoint { return netpoleval.Endpoint{IP: ip} }
	other := "some-other-namespace"
	rows := []struct {
		what     string
		from, to netpoleval.Endpoint
		port     int
		proto    string
		want     bool
	}{
		{"same namespace", pod(ns), pod(ns), 9000, "TCP", true},
		{"another namespace in", pod(other), pod(ns), 8080, "TCP", open},
		{"the allowed namespace on the allowed port", pod(edge), pod(ns), 8080, "TCP", true},
		{"the allowed namespace on another port", pod(edge), pod(ns), 9090, "TCP", open},
		{"DNS over UDP", pod(ns), pod("kube-system"), 53, "UDP", true},
		{"DNS over TCP", pod(ns), pod("kube-system"), 53, "TCP", true},
		{"kube-system on another port", pod(ns), pod("kube-system"), 443, "TCP", open},
		{"out to another namespace", pod(ns), pod(other), 443, "TCP", open},
		{"the allowed CIDR on the allowed port", pod(ns), ext("10.20.3.4"), 443, "TCP", true},
		{"the allowed CIDR on another port", pod(ns), ext("10.20.3.4"), 80, "TCP", open},
		{"an address outside the CIDR", pod(ns), ext("8.8.8.8"), 443, "TCP", open},
		{"in from the internet", ext("203.0.113.9"), pod(ns), 8080, "TCP", open},
	}
	var errs []string
	for _, r := range rows {
		if got := c.Allowed(r.from, r.to, r.port, r.proto); got != r.want {
			errs = append(errs, fmt.Sprintf("%s (%d/%s): allowed=%t, want %t\n%s", r.what, r.port, r.proto, got, r.want, c.Explain(r.from, r.to, r.port, r.proto)))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("network truth table (open=%t):\n%s", open, strings.Join(errs, "\n"))
	}
	return nil
}

// clusterObjectsGone: no admission policy or binding is left that belongs to the namespace alone
// (the shared ones serve every namespace and select them by label).
func clusterObjectsGone(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cs := adminClientset(t).AdmissionregistrationV1()
		policies, err := cs.ValidatingAdmissionPolicies().List(context.Background(), metav1.ListOptions{})
		if err != nil {
			return err
		}
		bindings, err := cs.ValidatingAdmissionPolicyBindings().List(context.Background(), metav1.ListOptions{})
		if err != nil {
			return err
		}
		var names []string
		for _, p := range policies.Items {
			names = append(names, "ValidatingAdmissionPolicy/"+p.Name)
		}
		for _, b := range bindings.Items {
			names = append(names, "ValidatingAdmissionPolicyBinding/"+b.Name)
		}
		for _, n := range names {
			if strings.Contains(n, ns) {
				return fmt.Errorf("%s outlived namespace %s", n, ns)
			}
		}
		return nil
	}
}
