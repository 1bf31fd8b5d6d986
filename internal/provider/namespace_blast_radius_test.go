package provider

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	k8sresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// expectBlastRadius checks the planned blast_radius of addr: exactly these "impact object"
// entries, in order.
type expectBlastRadius struct {
	addr string
	want []string
}

func (e expectBlastRadius) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != e.addr {
			continue
		}
		after, ok := rc.Change.After.(map[string]any)
		if !ok {
			resp.Error = fmt.Errorf("%s: no planned values", e.addr)
			return
		}
		list, ok := after["blast_radius"].([]any)
		if !ok {
			resp.Error = fmt.Errorf("%s: blast_radius is %v, want a known list", e.addr, after["blast_radius"])
			return
		}
		var got, detail []string
		for _, item := range list {
			m, _ := item.(map[string]any)
			got = append(got, fmt.Sprintf("%v %v", m["impact"], m["object"]))
			detail = append(detail, fmt.Sprintf("%v %v: %v", m["impact"], m["object"], m["reason"]))
		}
		if !slices.Equal(got, e.want) {
			resp.Error = fmt.Errorf("%s: blast_radius is\n  %s\nwant\n  %s", e.addr, strings.Join(detail, "\n  "), strings.Join(e.want, "\n  "))
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", e.addr)
}

// blastRadiusGate is the precondition the resource page shows.
const blastRadiusGate = `
resource "terraform_data" "nothing_breaks" {
  input = hardened_namespace.test.blast_radius
  lifecycle {
    precondition {
      condition     = try(length(hardened_namespace.test.blast_radius) == 0, false)
      error_message = "The change breaks workloads in ${hardened_namespace.test.name}: see the plan's warnings."
    }
  }
}
`

// limited gives a container requests and limits inside every preset's LimitRange.
func limited(c corev1.Container) corev1.Container {
	c.Resources = corev1.ResourceRequirements{
		Requests: corev1.ResourceList{corev1.ResourceCPU: k8sresource.MustParse("100m"), corev1.ResourceMemory: k8sresource.MustParse("64Mi")},
		Limits:   corev1.ResourceList{corev1.ResourceCPU: k8sresource.MustParse("200m"), corev1.ResourceMemory: k8sresource.MustParse("128Mi")},
	}
	return c
}

// webDeployment runs image in restricted pods labelled app=name, recreating them on a change (the
// control plane has no kubelet, so a rolling update would never finish).
func webDeployment(namespace, name, image string, replicas int32) *appsv1.Deployment {
	pod := testcluster.RestrictedPod(namespace)
	c := limited(pod.Spec.Containers[0])
	c.Image = image
	c.Ports = []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}
	pod.Spec.Containers = []corev1.Container{c}
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr.To(replicas), Selector: &metav1.LabelSelector{MatchLabels: labels},
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: pod.Spec},
		},
	}
}

// waitPods waits until the namespace holds exactly n pods labelled app=app.
func waitPods(t *testing.T, cs kubernetes.Interface, namespace, app string, n int) {
	t.Helper()
	waitFor(t, time.Minute, fmt.Sprintf("%d pods of %s", n, app), func() bool {
		pods, err := cs.CoreV1().Pods(namespace).List(context.Background(), metav1.ListOptions{LabelSelector: "app=" + app})
		return err == nil && len(pods.Items) == n
	})
}

// TestAccNamespace_blastRadiusImport imports a namespace that already runs workloads, plans the
// hardening it should end up with, and follows the staged rollout of the guide: the first plan
// names the privileged pod Pod Security would refuse, the Deployment whose registry the image
// policy would refuse, the quota already used beyond the planned limit and the Service the default
// deny cuts off; the warn-only stage breaks nothing; once the workloads are fixed and the callers
// allowed, the same hardening breaks nothing and is applied.
func TestAccNamespace_blastRadiusImport(t *testing.T) {
	testAccPreCheck(t)
	t.Parallel()
	ctx := context.Background()
	cs := adminClientset(t)
	name := acctest.RandomWithPrefix("acc-blast")
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	debug := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "debug", Namespace: name}, Spec: corev1.PodSpec{Containers: []corev1.Container{limited(corev1.Container{
		Name: "shell", Image: "registry.example.com/tools:1.0", SecurityContext: &corev1.SecurityContext{Privileged: ptr.To(true)}})}}}
	if _, err := cs.CoreV1().Pods(name).Create(ctx, debug, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.AppsV1().Deployments(name).Create(ctx, webDeployment(name, "web", "docker.io/bitnami/nginx:1.27", 2), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: name}, Spec: corev1.ServiceSpec{
		Selector: map[string]string{"app": "web"}, Ports: []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromString("http")}}}}
	if _, err := cs.CoreV1().Services(name).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPods(t, cs, name, "web", 2)

	addr := "hardened_namespace.test"
	importBlock := fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", addr, name)
	const target = `environment = "dev"
  pod_security   = { enforce = "restricted" }
  image_policy   = { allowed_registries = ["registry.example.com"] }
  resource_quota = { hard = { pods = "2" } }
  network_policy = { deny_ingress = true %s }`
	final := testAccNamespaceConfig(name, fmt.Sprintf(target, ""))
	warnOnly := testAccNamespaceConfig(name, `environment = "dev"
  pod_security   = { enforce = "privileged", warn = "restricted", audit = "restricted" }
  image_policy   = { allowed_registries = ["registry.example.com"], action = "Warn" }
  network_policy = { deny_ingress = false }`)
	quotaName := "ResourceQuota/" + hardening.ResourceQuotaName
	everything := []string{"pod_security Pod/debug", "image_policy Deployment/web", "quota " + quotaName, "network Service/web"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// Importing with the target configuration: everything that would break is named.
			{Config: importBlock + final, PlanOnly: true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{expectBlastRadius{addr, everything}}}},
			// The gate of the resource page stops the plan.
			{Config: importBlock + final + blastRadiusGate, PlanOnly: true, ExpectError: regexp.MustCompile(`breaks workloads in ` + name)},
			// Stage 1: warn and audit only. Nothing breaks.
			{Config: importBlock + warnOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectBlastRadius{addr, nil}}}},
			// The target from the managed namespace: the same list.
			{Config: final, PlanOnly: true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{expectBlastRadius{addr, everything}}}},
			// The privileged pod is removed: Pod Security drops out.
			{PreConfig: func() {
				if err := cs.CoreV1().Pods(name).Delete(ctx, "debug", metav1.DeleteOptions{GracePeriodSeconds: ptr.To[int64](0)}); err != nil {
					t.Fatal(err)
				}
			}, Config: final, PlanOnly: true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					expectBlastRadius{addr, []string{"image_policy Deployment/web", "network Service/web"}}}}},
			// The Deployment moves to the allowed registry and the ingress controller's namespace is
			// allowed in: nothing breaks, and the target is applied.
			{PreConfig: func() {
				d, err := cs.AppsV1().Deployments(name).Get(ctx, "web", metav1.GetOptions{})
				if err != nil {
					t.Fatal(err)
				}
				d.Spec.Template.Spec.Containers[0].Image = "registry.example.com/web:1.0"
				if _, err := cs.AppsV1().Deployments(name).Update(ctx, d, metav1.UpdateOptions{}); err != nil {
					t.Fatal(err)
				}
				waitFor(t, time.Minute, "the web pods to run the new image", func() bool {
					pods, err := cs.CoreV1().Pods(name).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
					if err != nil || len(pods.Items) != 2 {
						return false
					}
					for _, p := range pods.Items {
						if p.Spec.Containers[0].Image != "registry.example.com/web:1.0" {
							return false
						}
					}
					return true
				})
			}, Config: testAccNamespaceConfig(name, fmt.Sprintf(target, `, allow_ingress_from_namespaces = ["ingress-nginx"]`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectBlastRadius{addr, nil}}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "blast_radius.#", "0"),
					// The hardening is live: a privileged pod is now refused.
					func(*terraform.State) error {
						err := testcluster.CreatePod(ctx, cs, debug.DeepCopy(), true)
						if err == nil || !strings.Contains(err.Error(), "violates PodSecurity") {
							return fmt.Errorf("privileged pod: %v, want a Pod Security refusal", err)
						}
						return nil
					}),
			},
		},
	})
}

// TestAccNamespace_blastRadiusNarrowing narrows an already hardened namespace: a shorter registry
// list and one user fewer. The plan names the Deployment from the dropped registry and the user
// who loses edit; after apply the refreshed blast radius is empty and the next plan is too. With
// compute_blast_radius = false the attribute is null.
func TestAccNamespace_blastRadiusNarrowing(t *testing.T) {
	testAccPreCheck(t)
	t.Parallel()
	ctx := context.Background()
	cs := adminClientset(t)
	name := acctest.RandomWithPrefix("acc-narrow")
	addr := "hardened_namespace.test"
	cfg := func(registries, users string) string {
		return testAccNamespaceConfig(name, fmt.Sprintf(`environment = "dev"
  image_policy = { allowed_registries = [%s] }
  access       = [{ role = "edit", users = [%s] }]`, registries, users))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg(`"registry.example.com", "ghcr.io/acme"`, `"alice", "bob"`),
				Check: func(*terraform.State) error {
					d := webDeployment(name, "api", "ghcr.io/acme/api:1.0", 1)
					return retryAdmitted(func() error {
						_, err := cs.AppsV1().Deployments(name).Create(ctx, d, metav1.CreateOptions{})
						return err
					})
				}},
			// The same configuration: nothing changes, nothing is judged.
			{Config: cfg(`"registry.example.com", "ghcr.io/acme"`, `"alice", "bob"`), PlanOnly: true},
			{Config: cfg(`"registry.example.com"`, `"alice"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectBlastRadius{addr, []string{"image_policy Deployment/api", "access User/bob"}}}},
				// The state keeps what the applied plan said until the next refresh.
				Check: resource.TestCheckResourceAttr(addr, "blast_radius.#", "2")},
			{RefreshState: true, Check: resource.TestCheckResourceAttr(addr, "blast_radius.#", "0")},
			// Opted out: nothing is read and the attribute is null.
			{Config: strings.Replace(cfg(`"registry.example.com"`, `"alice"`), `environment = "dev"`, "environment = \"dev\"\n  compute_blast_radius = false\n  labels = { opted = \"out\" }", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("blast_radius"), knownvalue.Null())}}},
		},
	})
}

// retryAdmitted retries a create while a policy just applied may not have reached admission.
func retryAdmitted(create func() error) error {
	var err error
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if err = create(); err == nil {
			return nil
		}
	}
	return err
}

// TestAccNamespace_blastRadiusImageVerdicts asks the API server, by dry-run creates, what the image
// policy decides for each reference of internal/hardening/testdata/image_references.txt, and
// checks that the table, the blast radius's verdict (hardening.ImageRefusals) and the API server
// agree on every one.
func TestAccNamespace_blastRadiusImageVerdicts(t *testing.T) {
	testAccPreCheck(t)
	t.Parallel()
	ctx := context.Background()
	cs := adminClientset(t)
	name := acctest.RandomWithPrefix("acc-verdicts")
	refs := readImageReferenceTable(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccNamespaceConfig(name, `environment = "dev"
  image_policy = {
    allowed_registries = ["registry.example.com", "ghcr.io/acme", "docker.io/library", "localhost:5000", "[fd00::1]:5000"]
    forbid_latest_tag  = true
  }`),
			Check: func(*terraform.State) error {
				live, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
				if err != nil {
					return err
				}
				meta := hardening.NamespaceMetadata(name, live.Labels, live.Annotations)
				pod := func(image string) *corev1.Pod {
					p := testcluster.RestrictedPod(name)
					p.Spec.Containers[0].Image = image
					return p
				}
				// The policy reaches admission a moment after apply.
				if err := refused("an unlisted registry", "not from an allowed registry", func() error {
					return testcluster.CreatePod(ctx, cs, pod("quay.io/acme/api:1.0"), true)
				}); err != nil {
					return err
				}
				var wrong []string
				for _, ref := range refs {
					p := pod(ref.image)
					apiErr := testcluster.CreatePod(ctx, cs, p, true)
					obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(p)
					if err != nil {
						return err
					}
					obj["kind"] = "Pod"
					reasons, err := hardening.ImageRefusals(meta, obj)
					if err != nil {
						return err
					}
					if (apiErr == nil) != ref.admit || (len(reasons) == 0) != ref.admit {
						wrong = append(wrong, fmt.Sprintf("%s: table admit=%v, API server: %v, blast radius: %q", ref.image, ref.admit, apiErr, reasons))
					}
				}
				if len(wrong) > 0 {
					return fmt.Errorf("verdicts disagree:\n%s", strings.Join(wrong, "\n"))
				}
				return nil
			},
		}},
	})
}

type imageReference struct {
	image string
	admit bool
}

func readImageReferenceTable(t *testing.T) []imageReference {
	t.Helper()
	f, err := os.Open("../hardening/testdata/image_references.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []imageReference
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			image, verdict, _ := strings.Cut(line, "\t")
			out = append(out, imageReference{image, verdict == "admit"})
		}
	}
	if len(out) < 30 {
		t.Fatalf("%d references, want at least 30", len(out))
	}
	return out
}
