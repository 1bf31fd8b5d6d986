package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// A tenant in edit fills the namespace up to each bound of the prod preset's quota and limit
// range, and no further: the numbers come from the preset, so the test follows it.
func TestAccNamespace_quotaCompleteness(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-quota")
	ctx := context.Background()
	preset, err := hardening.PresetFor(hardening.EnvProd)
	if err != nil {
		t.Fatal(err)
	}
	config := tenantNamespaceConfig(name, "")
	var tc kubernetes.Interface
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					complianceSays(7, true, ""),
					func(*terraform.State) error { return quotaBounds(ctx, tc, name, preset) },
				),
			},
			{
				// A quota left incomplete (here by an administrator; an earlier release wrote one too)
				// is reported by the posture data source, read before apply puts the bound back.
				PreConfig: func() {
					_, err := adminClientset(t).CoreV1().ResourceQuotas(name).Patch(ctx, "hardened-quota", types.JSONPatchType,
						[]byte(`[{"op":"remove","path":"/spec/hard/replicationcontrollers"}]`), metav1.PatchOptions{})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: config + fmt.Sprintf(`
data "hardened_cluster_posture" "test" {
  namespaces = { include = [%q] }
}
`, name),
				ConfigStateChecks: []statecheck.StateCheck{clusterPostureListHas("findings",
					[]string{"HRD-7003 failed medium Namespace " + name + "/" + name}, nil)},
				Check: func(*terraform.State) error {
					q, err := adminClientset(t).CoreV1().ResourceQuotas(name).Get(ctx, "hardened-quota", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if got := q.Spec.Hard[corev1.ResourceReplicationControllers]; got.String() != preset.ResourceQuota["replicationcontrollers"] {
						return fmt.Errorf("apply did not restore replicationcontrollers: %s", got.String())
					}
					return nil
				},
			},
		},
	})
}

func quotaBounds(ctx context.Context, tc kubernetes.Interface, ns string, preset hardening.Preset) error {
	var errs []string
	check := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	// Up to the bound for real (quota charges only what is stored), then one more is refused.
	fill := func(key string, create func(i int, opts metav1.CreateOptions) error) {
		n, err := strconv.Atoi(preset.ResourceQuota[key])
		if err != nil {
			check(fmt.Errorf("the prod preset's %s is %q, not a count", key, preset.ResourceQuota[key]))
			return
		}
		for i := 0; i < n; i++ {
			if err := admitted(fmt.Sprintf("%s %d of %d", key, i+1, n), func() error { return create(i, metav1.CreateOptions{}) }); err != nil {
				check(err)
				return
			}
		}
		check(refused(fmt.Sprintf("%s %d of %d", key, n+1, n), "exceeded quota: hardened-quota", func() error { return create(n, dryRun) }))
	}
	fill("replicationcontrollers", func(i int, opts metav1.CreateOptions) error {
		_, err := tc.CoreV1().ReplicationControllers(ns).Create(ctx, quotaRC(fmt.Sprintf("rc-%d", i)), opts)
		return err
	})
	fill("persistentvolumeclaims", func(i int, opts metav1.CreateOptions) error {
		_, err := tc.CoreV1().PersistentVolumeClaims(ns).Create(ctx, &corev1.PersistentVolumeClaim{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("pvc-%d", i)},
			Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: apiresource.MustParse("1Gi")}}},
		}, opts)
		return err
	})

	// A container asking for more ephemeral storage than the limit range's max is refused; one that
	// names none gets the defaults, so the quota's ephemeral-storage bound never blocks it.
	most := preset.LimitRange.Max["ephemeral-storage"]
	over := apiresource.MustParse(most)
	over.Add(apiresource.MustParse("1Gi"))
	big := quotaPod("big")
	big.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceEphemeralStorage: over}
	check(refused("a container over the ephemeral-storage max", "maximum ephemeral-storage usage per Container is "+most, func() error {
		_, err := tc.CoreV1().Pods(ns).Create(ctx, big, dryRun)
		return err
	}))
	check(admitted("a container that names no ephemeral storage", func() error {
		p, err := tc.CoreV1().Pods(ns).Create(ctx, quotaPod("plain"), dryRun)
		if err != nil {
			return err
		}
		req := p.Spec.Containers[0].Resources.Requests[corev1.ResourceEphemeralStorage]
		if want := preset.LimitRange.DefaultRequest["ephemeral-storage"]; req.String() != want {
			return fmt.Errorf("ephemeral-storage request %s, want the limit range's default %s", req.String(), want)
		}
		return nil
	}))
	if len(errs) > 0 {
		return fmt.Errorf("quota bounds:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// quotaPod satisfies the restricted Pod Security level, so only the limit range judges it.
func quotaPod(name string) *corev1.Pod {
	no := false
	yes := true
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.PodSpec{
		SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: &yes, SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}},
		Containers: []corev1.Container{{Name: "app", Image: "registry.example.com/app:1.0", ImagePullPolicy: corev1.PullAlways,
			SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: &no, Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}}}}},
	}}
}

// quotaRC has no replicas: it counts against the quota without making pods.
func quotaRC(name string) *corev1.ReplicationController {
	zero := int32(0)
	pod := quotaPod(name)
	return &corev1.ReplicationController{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.ReplicationControllerSpec{
		Replicas: &zero, Selector: map[string]string{"app": name},
		Template: &corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}}, Spec: pod.Spec},
	}}
}
