package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

func imagePolicyConfig(name, other, policy string) string {
	return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name = %q
  %s
}
resource "hardened_namespace" "other" {
  name = %q
}
`, name, policy, other)
}

func TestAccNamespace_imagePolicy(t *testing.T) {
	testAccPreCheck(t)
	name, other := acctest.RandomWithPrefix("acc-img"), acctest.RandomWithPrefix("acc-img-other")
	registries := `allowed_registries = ["registry.example.com", "ghcr.io/acme"]`
	// The image policy is shared by every namespace; a namespace without image_policy carries
	// nothing that binds it, so nothing of it may remain on the namespace.
	policyGone := func(*terraform.State) error {
		ns, err := adminClientset(t).CoreV1().Namespaces().Get(context.Background(), name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		for k := range ns.Labels {
			if strings.HasPrefix(k, hardening.ImagePolicyLabel) {
				return fmt.Errorf("namespace %s still carries the image policy label %s", name, k)
			}
		}
		for _, k := range []string{hardening.AllowedRegistriesAnnotation, hardening.ImageRulesAnnotation} {
			if _, ok := ns.Annotations[k]; ok {
				return fmt.Errorf("namespace %s still carries the annotation %s", name, k)
			}
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeAggregateTestCheckFunc(testAccCheckNamespacesGone(t, name, other), policyGone),
		Steps: []resource.TestStep{
			{
				Config: imagePolicyConfig(name, other, "image_policy = { "+registries+" }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectImage(t, name, "registry.example.com/app:1.2.3", ""),
					expectImage(t, name, "ghcr.io/acme/api:2.0", ""),
					expectImage(t, name, "docker.io/library/nginx:1.25", "docker.io/library/nginx:1.25 is not from an allowed registry (allowed: "),
					expectImage(t, name, "registry.example.com.evil.io/x:1", "is not from an allowed registry"),
					expectImage(t, name, "ghcr.io/acme-evil/x:1", "is not from an allowed registry"),
					expectImage(t, name, "registry.example.com/app", "has no tag or the :latest tag"),
					expectImage(t, name, "registry.example.com/app:latest", "has no tag or the :latest tag"),
					expectInitContainerRefused(t, name),
					expectDeploymentRefused(t, name),
					// Another namespace is unaffected.
					expectImage(t, other, "docker.io/library/nginx:latest", ""),
				),
			},
			{
				Config: imagePolicyConfig(name, other, "image_policy = { "+registries+", require_digest = true }"),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectImage(t, name, "registry.example.com/app:1.2.3", "is not pinned by digest"),
					expectImage(t, name, "registry.example.com/app:1.2.3@sha256:"+strings.Repeat("a", 64), ""),
				),
			},
			{
				Config: imagePolicyConfig(name, other, "image_policy = { "+registries+", action = \"Warn\" }"),
				Check:  expectWarnedButAdmitted(name, "docker.io/library/nginx:1.25"),
			},
			{
				ResourceName: "hardened_namespace.test", ImportState: true, ImportStateId: name, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Removing image_policy unbinds the namespace from the shared policy.
				Config: imagePolicyConfig(name, other, ""),
				Check:  resource.ComposeAggregateTestCheckFunc(policyGone, expectImage(t, name, "docker.io/library/nginx:1.25", "")),
			},
		},
	})
}

func podWithImage(ns, image string) *corev1.Pod {
	p := testcluster.RestrictedPod(ns)
	p.Spec.Containers[0].Image = image
	return p
}

// expectImage creates a pod (dry run) and expects it admitted (want == "") or refused with want
// in the message. A new policy takes a moment to load, so refusals are retried briefly.
func expectImage(t *testing.T, ns, image, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cs := adminClientset(t)
		var err error
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
			err = testcluster.CreatePod(context.Background(), cs, podWithImage(ns, image), true)
			if want == "" && err == nil || want != "" && err != nil && strings.Contains(err.Error(), want) {
				return nil
			}
		}
		if want == "" {
			return fmt.Errorf("image %s should be admitted in %s: %v", image, ns, err)
		}
		return fmt.Errorf("image %s should be refused in %s with %q, got %v", image, ns, want, err)
	}
}

func expectInitContainerRefused(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p := podWithImage(ns, "registry.example.com/app:1")
		init := p.Spec.Containers[0]
		init.Name, init.Image = "init", "quay.io/evil/tool:1"
		p.Spec.InitContainers = []corev1.Container{init}
		err := testcluster.CreatePod(context.Background(), adminClientset(t), p, true)
		if err == nil || !strings.Contains(err.Error(), "quay.io/evil/tool:1 is not from an allowed registry") {
			return fmt.Errorf("init container image should be refused, got %v", err)
		}
		return nil
	}
}

func expectDeploymentRefused(t *testing.T, ns string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		pod := podWithImage(ns, "docker.io/library/redis:7")
		labels := map[string]string{"app": "cache"}
		d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "cache", Namespace: ns}, Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: pod.Spec}}}
		_, err := adminClientset(t).AppsV1().Deployments(ns).Create(context.Background(), d, metav1.CreateOptions{})
		if err == nil || !strings.Contains(err.Error(), "docker.io/library/redis:7 is not from an allowed registry") {
			return fmt.Errorf("a Deployment with a foreign image should be refused at creation, got %v", err)
		}
		return nil
	}
}

type warnings struct {
	mu  sync.Mutex
	got []string
}

func (w *warnings) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.got = append(w.got, text)
}

// expectWarnedButAdmitted: with action Warn the pod is admitted and the client gets a warning.
func expectWarnedButAdmitted(ns, image string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cfg, err := clientcmd.BuildConfigFromFlags("", testCluster.AdminKubeconfig)
		if err != nil {
			return err
		}
		var last []string
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
			w := &warnings{}
			cfg.WarningHandler = w
			cs, err := kubernetes.NewForConfig(cfg)
			if err != nil {
				return err
			}
			if err := testcluster.CreatePod(context.Background(), cs, podWithImage(ns, image), true); err != nil {
				last = []string{err.Error()}
				continue
			}
			for _, g := range w.got {
				if strings.Contains(g, image+" is not from an allowed registry") {
					return nil
				}
			}
			last = w.got
		}
		return fmt.Errorf("with action Warn, %s should be admitted with a warning; last result: %v", image, last)
	}
}
