package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	schedulingv1 "k8s.io/api/scheduling/v1"
	apiresource "k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

const classRefusal = "hardened_namespace class policy: "

// A tenant in edit of a prod namespace may use only the listed storage and priority classes, and
// no class that preempts other tenants' pods; raising max_preempting_priority admits it, and a dev
// namespace with no class settings bounds nothing.
func TestAccNamespace_classPolicy(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-classes")
	ctx := context.Background()
	preempt, polite, other := name+"-preempt", name+"-polite", name+"-other"
	never := corev1.PreemptNever
	admin := adminClientset(t)
	for _, pc := range []*schedulingv1.PriorityClass{
		{ObjectMeta: metav1.ObjectMeta{Name: preempt}, Value: 1000},
		{ObjectMeta: metav1.ObjectMeta{Name: polite}, Value: 1000, PreemptionPolicy: &never},
		{ObjectMeta: metav1.ObjectMeta{Name: other}, Value: 10},
	} {
		if _, err := admin.SchedulingV1().PriorityClasses().Create(ctx, pc, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = admin.SchedulingV1().PriorityClasses().Delete(context.Background(), pc.Name, metav1.DeleteOptions{})
		})
	}
	config := func(extra string) string { return tenantNamespaceConfig(name, extra) }
	lists := fmt.Sprintf(`allowed_storage_classes  = ["acc-fast"]
  allowed_priority_classes = [%q, %q]`, preempt, polite)
	var tc kubernetes.Interface
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: config(lists),
				Check: func(*terraform.State) error {
					pvc := func(class *string) func() error {
						return func() error {
							_, err := tc.CoreV1().PersistentVolumeClaims(name).Create(ctx, classClaim(class), dryRun)
							return err
						}
					}
					fast, slow := "acc-fast", "slow"
					return joinErrs(
						admitted("a claim of an allowed class", pvc(&fast)),
						refused("a claim of another class", classRefusal+"storage class slow is not allowed (allowed: acc-fast)", pvc(&slow)),
						refused("a claim of the cluster's default class", classRefusal+"storage class (none: the cluster default) is not allowed", pvc(nil)),
						refused("a generic ephemeral volume of another class", classRefusal+"storage class slow is not allowed", func() error {
							p := quotaPod("scratch")
							p.Spec.Volumes = []corev1.Volume{{Name: "scratch", VolumeSource: corev1.VolumeSource{Ephemeral: &corev1.EphemeralVolumeSource{
								VolumeClaimTemplate: &corev1.PersistentVolumeClaimTemplate{Spec: classClaim(&slow).Spec}}}}}
							_, err := tc.CoreV1().Pods(name).Create(ctx, p, dryRun)
							return err
						}),
						refused("a pod of an unlisted priority class", classRefusal+"priority class "+other+" is not allowed", classPod(ctx, tc, name, other)),
						refused("a Deployment template of an unlisted priority class", classRefusal+"priority class "+other+" is not allowed", func() error {
							p := quotaPod("x")
							p.Spec.PriorityClassName = other
							_, err := tc.AppsV1().Deployments(name).Create(ctx, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"},
								Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
									Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}}, Spec: p.Spec}}}, dryRun)
							return err
						}),
						refused("a pod that preempts above prod's bound", classRefusal+"priority class "+preempt+" (priority 1000) preempts other pods above 0",
							classPod(ctx, tc, name, preempt)),
						admitted("a pod of a listed class that never preempts", classPod(ctx, tc, name, polite)),
						classWriterCannotLoosen(ctx, t, name),
					)
				},
			},
			{
				Config: config(lists + "\n  max_preempting_priority = 5000"),
				Check: func(*terraform.State) error {
					return admitted("a preempting pod within a raised bound", classPod(ctx, tc, name, preempt))
				},
			},
			{
				// Without the policy nothing is judged: the refusals above come from it.
				Config: config(`environment = "dev"`),
				Check: func(*terraform.State) error {
					return joinErrs(
						admitted("any priority class in dev", classPod(ctx, tc, name, other)),
						admitted("a preempting class in dev", classPod(ctx, tc, name, preempt)),
					)
				},
			},
		},
	})
}

func classPod(ctx context.Context, tc kubernetes.Interface, ns, class string) func() error {
	return func() error {
		p := quotaPod("p")
		p.Spec.PriorityClassName = class
		_, err := tc.CoreV1().Pods(ns).Create(ctx, p, dryRun)
		return err
	}
}

func classClaim(class *string) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: "data"}, Spec: corev1.PersistentVolumeClaimSpec{
		StorageClassName: class, AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: apiresource.MustParse("1Gi")}}}}
}

// classWriterCannotLoosen: the bounds live on the namespace; someone RBAC lets write namespaces
// (not break-glass) is refused by tamper protection on every class key.
func classWriterCannotLoosen(ctx context.Context, t *testing.T, name string) error {
	patch := namespaceWriterPatch(ctx, t, "acc-class-writer-"+name, name)
	return joinErrs(
		refused("raise the preemption bound as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"annotations":{"`+hardening.MaxPreemptingPriorityAnnotation+`":"1000000000"}}}`)),
		refused("widen the storage classes as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"annotations":{"`+hardening.StorageClassesAnnotation+`":"acc-fast,slow"}}}`)),
		refused("take the namespace out of the class policy as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"labels":{"`+hardening.ClassPolicyLabel+`":null}}}`)),
	)
}

// namespaceWriterPatch mints user, who holds cluster-admin through RBAC only (not break-glass),
// and returns a dry-run merge patch of namespace ns as that user.
func namespaceWriterPatch(ctx context.Context, t *testing.T, user, ns string) func(body string) func() error {
	_, writer := rbacAdmin(t, user)
	return func(body string) func() error {
		return func() error {
			_, err := writer.CoreV1().Namespaces().Patch(ctx, ns, types.MergePatchType, []byte(body), dryPatch)
			return err
		}
	}
}
