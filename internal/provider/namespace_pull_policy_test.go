package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

const pullRefusal = "hardened_namespace image policy: container "

// TestAccNamespace_pullPolicy: in prod every container of a tenant's pods pulls on start, and
// so do the ephemeral containers a tenant allowed to debug adds. On a
// cluster that serves MutatingAdmissionPolicy (1.37) the pull policy is set for the tenant, pods
// and templates stay as written; on one that does not (1.35) pods and templates that pull
// otherwise are refused with what to change. Turned off, the tenant's pull policy stays.
func TestAccNamespace_pullPolicy(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-pull")
	mutates := servesMutatingPolicies(t, adminClientset(t))
	if v := strings.TrimPrefix(os.Getenv("HARDENED_TEST_K8S_VERSION"), "v"); (v == "" || strings.HasPrefix(v, "1.37")) && !mutates {
		t.Fatalf("Kubernetes %s should serve MutatingAdmissionPolicy v1", v)
	}
	var tc kubernetes.Interface
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: pullPolicySteps("", name, mutates, func() kubernetes.Interface { return tc },
			func() kubernetes.Interface { return adminClientset(t) }, func() error {
				// The label both paths read cannot be dropped by someone who may write namespaces.
				patch := namespaceWriterPatch(context.Background(), t, "acc-pull-writer-"+name, name)
				return refused("drop the pull policy as a namespace writer", tamperRefusal,
					patch(`{"metadata":{"labels":{"`+hardening.PullPolicyLabel+`":null}}}`))
			}),
	})
}

// TestAccNamespace_pullPolicyWithoutMutation: the same on a control plane with
// MutatingAdmissionPolicy turned off (as platforms may), whatever its version: refusal.
func TestAccNamespace_pullPolicyWithoutMutation(t *testing.T) {
	testAccPreCheck(t)
	c, err := testcluster.Start(context.Background(), testcluster.Options{Version: os.Getenv("HARDENED_TEST_K8S_VERSION"), Log: os.Stderr,
		WithoutMutatingAdmissionPolicies: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	if servesMutatingPolicies(t, clientsetFor(t, c.AdminKubeconfig)) {
		t.Fatal("the cluster option did not turn MutatingAdmissionPolicy off")
	}
	name := acctest.RandomWithPrefix("acc-pull-refuse")
	var tc kubernetes.Interface
	provider := fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n}\n", c.AdminKubeconfig)
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			kc, _, err := c.User("tenant-"+name, "tenants-"+name)
			if err != nil {
				t.Fatal(err)
			}
			tc = clientsetFor(t, kc)
		},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Tamper protection of the label is the same code on every cluster (TestAccNamespace_pullPolicy).
		Steps: pullPolicySteps(provider, name, false, func() kubernetes.Interface { return tc },
			func() kubernetes.Interface { return clientsetFor(t, c.AdminKubeconfig) }, func() error { return nil }),
	})
}

func servesMutatingPolicies(t *testing.T, cs kubernetes.Interface) bool {
	t.Helper()
	list, err := cs.Discovery().ServerResourcesForGroupVersion("admissionregistration.k8s.io/v1")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.APIResources {
		if r.Name == "mutatingadmissionpolicies" {
			return true
		}
	}
	return false
}

func pullPolicySteps(provider, name string, mutates bool, tc, admin func() kubernetes.Interface, writerRefused func() error) []resource.TestStep {
	ctx := context.Background()
	config := func(extra string) string {
		return provider + tenantNamespaceConfig(name, `image_policy = { allowed_registries = ["registry.example.com"] `+extra+` }`)
	}
	pod := func(policy corev1.PullPolicy) *corev1.Pod {
		p := quotaPod("p")
		p.Spec.Containers[0].Image = "registry.example.com/app:1.0"
		p.Spec.Containers[0].ImagePullPolicy = policy
		init := p.Spec.Containers[0]
		init.Name = "init"
		p.Spec.InitContainers = []corev1.Container{init}
		return p
	}
	createPod := func(policy corev1.PullPolicy) (*corev1.Pod, error) {
		return tc().CoreV1().Pods(name).Create(ctx, pod(policy), dryRun)
	}
	deployment := func(policy corev1.PullPolicy) func() error {
		return func() error {
			spec := pod(policy).Spec
			_, err := tc().AppsV1().Deployments(name).Create(ctx, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"},
				Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
					Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}}, Spec: spec}}}, dryRun)
			return err
		}
	}
	pullPolicies := func(p *corev1.Pod) string {
		var out []string
		for _, c := range append(p.Spec.InitContainers, p.Spec.Containers...) {
			out = append(out, string(c.ImagePullPolicy))
		}
		return strings.Join(out, ",")
	}
	podPolicies := func(policy corev1.PullPolicy, want string) func() error {
		return func() error {
			p, err := createPod(policy)
			if err != nil {
				return err
			}
			if got := pullPolicies(p); got != want {
				return fmt.Errorf("a pod asking for %s runs with pull policies %s, want %s", policy, got, want)
			}
			return nil
		}
	}
	// debug adds an ephemeral container (kubectl debug) to a real pod of the tenant's.
	debug := func(policy corev1.PullPolicy) (string, error) {
		if err := allowDebug(ctx, admin(), name); err != nil {
			return "", err
		}
		p, err := tc().CoreV1().Pods(name).Get(ctx, "dbg", metav1.GetOptions{})
		if err != nil {
			p, err = tc().CoreV1().Pods(name).Create(ctx, func() *corev1.Pod { p := pod(corev1.PullAlways); p.Name = "dbg"; return p }(), metav1.CreateOptions{})
		}
		if err != nil {
			return "", err
		}
		c := p.Spec.Containers[0]
		p.Spec.EphemeralContainers = append(p.Spec.EphemeralContainers, corev1.EphemeralContainer{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name: fmt.Sprintf("debug-%d", len(p.Spec.EphemeralContainers)), Image: c.Image, ImagePullPolicy: policy, SecurityContext: c.SecurityContext}})
		out, err := tc().CoreV1().Pods(name).UpdateEphemeralContainers(ctx, "dbg", p, metav1.UpdateOptions{DryRun: []string{metav1.DryRunAll}})
		if err != nil {
			return "", err
		}
		return string(out.Spec.EphemeralContainers[len(out.Spec.EphemeralContainers)-1].ImagePullPolicy), nil
	}
	debugPolicy := func(policy corev1.PullPolicy, want string) func() error {
		return func() error {
			got, err := debug(policy)
			if err == nil && got != want {
				err = fmt.Errorf("an ephemeral container asking for %s runs with %s, want %s", policy, got, want)
			}
			return err
		}
	}
	mapID := "MutatingAdmissionPolicy/" + hardening.PullPolicyName
	return []resource.TestStep{
		{
			Config: config(""),
			Check: func(s *terraform.State) error {
				ids := s.RootModule().Resources["hardened_namespace.test"].Primary.Attributes
				listed := false
				for k, v := range ids {
					listed = listed || (strings.HasPrefix(k, "managed_objects.") && v == mapID)
				}
				errs := []error{admitted("a pod that pulls always", podPolicies(corev1.PullAlways, "Always,Always")),
					admitted("a Deployment whose containers pull always", deployment(corev1.PullAlways)),
					writerRefused()}
				if mutates {
					errs = append(errs,
						admitted("a pod that would run cached images gets Always", podPolicies(corev1.PullIfNotPresent, "Always,Always")),
						admitted("a pod that never pulls gets Always", podPolicies(corev1.PullNever, "Always,Always")),
						admitted("a Deployment whose pods the policy sets", deployment(corev1.PullIfNotPresent)),
						admitted("an ephemeral container gets Always", debugPolicy(corev1.PullIfNotPresent, "Always")),
					)
					if !listed {
						errs = append(errs, fmt.Errorf("managed_objects does not list %s", mapID))
					}
				} else {
					errs = append(errs,
						refused("a pod that would run cached images", pullRefusal+"app (IfNotPresent), init (IfNotPresent) must pull its image on every start: set imagePullPolicy: Always",
							func() error { _, err := createPod(corev1.PullIfNotPresent); return err }),
						refused("a Deployment template that never pulls", pullRefusal+"app (Never), init (Never) must pull", deployment(corev1.PullNever)),
						refused("an ephemeral container that would run a cached image", pullRefusal+"debug-0 (IfNotPresent) must pull",
							func() error { _, err := debug(corev1.PullIfNotPresent); return err }),
					)
					if listed {
						errs = append(errs, fmt.Errorf("managed_objects lists %s on a cluster that does not serve it", mapID))
					}
				}
				return joinErrs(errs...)
			},
		},
		{
			// Off, the tenant's pull policy stays: what the first step saw came from the policy.
			Config: config(", always_pull_images = false"),
			Check: func(*terraform.State) error {
				return joinErrs(
					admitted("a pod keeps IfNotPresent", podPolicies(corev1.PullIfNotPresent, "IfNotPresent,IfNotPresent")),
					admitted("a Deployment that never pulls", deployment(corev1.PullNever)),
					admitted("an ephemeral container keeps IfNotPresent", debugPolicy(corev1.PullIfNotPresent, "IfNotPresent")),
				)
			},
		},
	}
}

// allowDebug lets the namespace's tenants add ephemeral containers (kubectl debug), which no
// built-in role grants: platforms that offer debugging add a role like this one.
func allowDebug(ctx context.Context, admin kubernetes.Interface, ns string) error {
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "debugger"}, Rules: []rbacv1.PolicyRule{{
		APIGroups: []string{""}, Resources: []string{"pods/ephemeralcontainers"}, Verbs: []string{"update", "patch"}}}}
	if _, err := admin.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	binding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "debuggers"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "debugger"},
		Subjects: []rbacv1.Subject{{Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: "tenants-" + ns}}}
	if _, err := admin.RbacV1().RoleBindings(ns).Create(ctx, binding, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}
