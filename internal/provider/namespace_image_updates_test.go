package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// TestAccNamespace_imagePolicyNarrowed: narrowing allowed_registries judges what an update adds,
// not what already runs. A ReplicaSet from the dropped registry still scales to zero and a Job's
// pod still loses its finalizer (so rollouts and namespace deletion do not stall), while a new pod
// from the dropped registry is refused. Then image names are judged as runtimes resolve them.
func TestAccNamespace_imagePolicyNarrowed(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-narrow")
	ctx := context.Background()
	var tc kubernetes.Interface
	cfg := func(registries string) string {
		return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name         = %q
  access       = [{ role = "edit", groups = ["tenants-%[1]s"] }]
  image_policy = { allowed_registries = [%s] }
}
`, name, registries)
	}
	dropped := "quay.io/team/app:1"
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: cfg(`"registry.example.com", "quay.io/team"`),
				Check:  func(*terraform.State) error { return startWorkloads(ctx, tc, name, dropped) },
			},
			{
				Config: cfg(`"registry.example.com"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						return refused("a new pod from the dropped registry", "is not from an allowed registry", func() error {
							_, err := tc.CoreV1().Pods(name).Create(ctx, podWithImage(name, dropped), dryRun)
							return err
						})
					},
					func(*terraform.State) error {
						return refused("a ReplicaSet changed to another image of the dropped registry", "is not from an allowed registry", func() error {
							_, err := tc.AppsV1().ReplicaSets(name).Patch(ctx, "old", types.JSONPatchType,
								[]byte(`[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"quay.io/team/app:2"}]`), dryPatch)
							return err
						})
					},
					func(*terraform.State) error { return stopWorkloads(ctx, tc, name) },
				),
			},
			{
				// Image names as github.com/distribution/reference resolves them.
				Config: cfg(`"docker.io", "registry.example.com", "[fd00::1]:5000"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					expectImage(t, name, "Evil/app:1.0", "evil/app:1.0 is not from an allowed registry"),
					expectImage(t, name, "EVIL.example/app:1.0", "evil.example/app:1.0 is not from an allowed registry"),
					expectImage(t, name, "index.docker.io/library/nginx:1.27", ""),
					expectImage(t, name, "registry-1.docker.io/library/nginx:1.27", ""),
					expectImage(t, name, "docker.io/nginx:1.27", ""),
					expectImage(t, name, "nginx:1.27", ""),
					expectImage(t, name, "acme/app:1", ""),
					expectImage(t, name, "REGISTRY.EXAMPLE.COM/app:1", ""),
					expectImage(t, name, "[fd00::1]:5000/app:1", ""),
					expectImage(t, name, "[FD00::1]:5000/app:1", ""),
					expectImage(t, name, "[fd00::2]:5000/app:1", "[fd00::2]:5000/app:1 is not from an allowed registry"),
					expectImage(t, name, "[fd00::1]:5001/app:1", "is not from an allowed registry"),
					expectImage(t, name, "registry.example.com.evil.io/app:1", "is not from an allowed registry"),
					expectImage(t, name, "localhost/app:1", "localhost/app:1 is not from an allowed registry"),
				),
			},
		},
	})
}

// startWorkloads runs a ReplicaSet and a Job from image; their controllers create the pods
// (Pending: the test cluster has no scheduler), the Job's with its tracking finalizer.
func startWorkloads(ctx context.Context, tc kubernetes.Interface, ns, image string) error {
	tpl := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "old"}}, Spec: podWithImage(ns, image).Spec}
	one := int32(1)
	if _, err := tc.AppsV1().ReplicaSets(ns).Create(ctx, &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "old"},
		Spec: appsv1.ReplicaSetSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "old"}}, Template: tpl}},
		metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("creating the ReplicaSet: %w", err)
	}
	jobTpl := corev1.PodTemplateSpec{Spec: podWithImage(ns, image).Spec}
	jobTpl.Spec.RestartPolicy = corev1.RestartPolicyNever
	if _, err := tc.BatchV1().Jobs(ns).Create(ctx, &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "old"},
		Spec: batchv1.JobSpec{Template: jobTpl}}, metav1.CreateOptions{}); err != nil {
		return fmt.Errorf("creating the Job: %w", err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		pods, err := tc.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		rs, job := false, false
		for _, p := range pods.Items {
			rs = rs || p.Labels["app"] == "old"
			job = job || (p.Labels["job-name"] == "old" && len(p.Finalizers) > 0)
		}
		if rs && job {
			return nil
		}
	}
	return fmt.Errorf("the ReplicaSet's and the Job's pods (with a finalizer) did not appear in 30 s")
}

// stopWorkloads scales the ReplicaSet to zero through the object itself (an UPDATE the image
// policy judges) and removes the finalizer of the Job's pod, as the tenant.
func stopWorkloads(ctx context.Context, tc kubernetes.Interface, ns string) error {
	if _, err := tc.AppsV1().ReplicaSets(ns).Patch(ctx, "old", types.MergePatchType, []byte(`{"spec":{"replicas":0}}`), patchOpts()); err != nil {
		return fmt.Errorf("scaling the old ReplicaSet to 0 after the registry list was narrowed: %w", err)
	}
	pods, err := tc.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "job-name=old"})
	if err != nil {
		return err
	}
	for _, p := range pods.Items {
		if _, err := tc.CoreV1().Pods(ns).Patch(ctx, p.Name, types.JSONPatchType, []byte(`[{"op":"remove","path":"/metadata/finalizers"}]`), patchOpts()); err != nil {
			return fmt.Errorf("removing the finalizer of the Job's pod %s: %w", p.Name, err)
		}
	}
	// The ReplicaSet controller deletes the pod it no longer wants.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		list, err := tc.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=old"})
		if err == nil && len(list.Items) == 0 {
			return nil
		}
	}
	return fmt.Errorf("the old ReplicaSet's pod is still there 30 s after scaling to 0")
}
