package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

const serviceRefusal = "hardened_namespace service policy: "

// A tenant in edit tries every way a Service reaches past its namespace; the API server refuses
// each, admits the legitimate variants, and the tenant cannot widen the policy. Turned off, the
// same Services are admitted; turned back on, what already exists stays updatable.
func TestAccNamespace_servicePolicy(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-services")
	ctx := context.Background()
	config := func(policy string) string {
		return tenantNamespaceConfig(name, "resource_quota = { hard = { \"services.loadbalancers\" = \"1\" } }\n  "+policy)
	}
	withRanges := `service_policy = { allowed_external_ip_cidrs = ["192.0.2.0/28"] }`
	var tc kubernetes.Interface
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t); tc = tenant(t, name) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				// Default: no external IPs, no ExternalName, LoadBalancers only with source ranges.
				Config: config(""),
				Check: resource.ComposeAggregateTestCheckFunc(
					complianceSays(5, true, ""),
					resource.TestCheckTypeSetElemAttr("hardened_namespace.test", "managed_objects.*", "ValidatingAdmissionPolicy/hardened-services"),
					resource.TestCheckTypeSetElemAttr("hardened_namespace.test", "managed_objects.*", "ValidatingAdmissionPolicyBinding/hardened-services-deny"),
					func(*terraform.State) error {
						return tenantServiceAttacks(ctx, tc, name, "are not allowed in this namespace")
					},
					func(*terraform.State) error {
						_, writer := rbacAdmin(t, "acc-namespace-writer-"+name)
						return namespaceWriterCannotWiden(ctx, writer, name)
					},
				),
			},
			{
				// Listed ranges admit their addresses and nothing else.
				Config: config(withRanges),
				Check: func(*terraform.State) error {
					return joinErrs(
						admitted("externalIPs inside the allowed range", func() error {
							_, err := tc.CoreV1().Services(name).Create(ctx, svc("inside", func(s *corev1.Service) { s.Spec.ExternalIPs = []string{"192.0.2.5"} }), dryRun)
							return err
						}),
						refused("externalIPs outside the allowed range", serviceRefusal+"externalIPs 192.0.2.100 are outside the allowed ranges 192.0.2.0/28", func() error {
							_, err := tc.CoreV1().Services(name).Create(ctx, svc("outside", func(s *corev1.Service) { s.Spec.ExternalIPs = []string{"192.0.2.5", "192.0.2.100"} }), dryRun)
							return err
						}),
					)
				},
			},
			{
				// Off: the API server admits what the policy refused, and the tenant creates an
				// ExternalName Service for real.
				Config: config(`service_policy = { enabled = false }`),
				Check: resource.ComposeAggregateTestCheckFunc(complianceSays(5, false, "service_policy is off"), func(*terraform.State) error {
					return joinErrs(
						admitted("externalIPs without the policy", func() error {
							_, err := tc.CoreV1().Services(name).Create(ctx, svc("ips", func(s *corev1.Service) { s.Spec.ExternalIPs = []string{"198.51.100.1"} }), dryRun)
							return err
						}),
						admitted("an ExternalName Service without the policy", func() error {
							_, err := tc.CoreV1().Services(name).Create(ctx, externalName("legacy-alias", "db.example.com"), metav1.CreateOptions{})
							return err
						}),
					)
				}),
			},
			{
				// On again: the existing Service can still be labelled by its owner, not re-pointed.
				Config: config(""),
				Check: func(*terraform.State) error {
					return joinErrs(
						refused("re-point an existing ExternalName", serviceRefusal+"Services of type ExternalName are not allowed", func() error {
							_, err := tc.CoreV1().Services(name).Patch(ctx, "legacy-alias", types.MergePatchType, []byte(`{"spec":{"externalName":"payments.other.svc.cluster.local"}}`), dryPatch)
							return err
						}),
						admitted("label an existing ExternalName", func() error {
							_, err := tc.CoreV1().Services(name).Patch(ctx, "legacy-alias", types.MergePatchType, []byte(`{"metadata":{"labels":{"team":"a"}}}`), dryPatch)
							return err
						}),
					)
				},
			},
		},
	})
}

func tenantServiceAttacks(ctx context.Context, tc kubernetes.Interface, name, ipRefusal string) error {
	create := func(s *corev1.Service) func() error {
		return func() error { _, err := tc.CoreV1().Services(name).Create(ctx, s, dryRun); return err }
	}
	return joinErrs(
		refused("externalIPs (CVE-2020-8554)", serviceRefusal+"externalIPs 192.0.2.10 "+ipRefusal,
			create(svc("intercept", func(s *corev1.Service) { s.Spec.ExternalIPs = []string{"192.0.2.10"} }))),
		refused("an ExternalName Service (CVE-2021-25740)", serviceRefusal+"Services of type ExternalName are not allowed",
			create(externalName("alias", "payments.other.svc.cluster.local"))),
		refused("a LoadBalancer open to every address", serviceRefusal+"a LoadBalancer Service needs spec.loadBalancerSourceRanges",
			create(svc("lb", func(s *corev1.Service) { s.Spec.Type = corev1.ServiceTypeLoadBalancer }))),
		admitted("a LoadBalancer with source ranges", create(svc("lb-ranged", func(s *corev1.Service) {
			s.Spec.Type = corev1.ServiceTypeLoadBalancer
			s.Spec.LoadBalancerSourceRanges = []string{"203.0.113.0/24"}
			no := false // no NodePort, which the preset's quota bans
			s.Spec.AllocateLoadBalancerNodePorts = &no
		}))),
		admitted("a ClusterIP Service with a selector", create(svc("web", nil))),
		// The policy's values live on the namespace: the tenant may not write it at all.
		refused("widen the allowed ranges on the namespace", `cannot patch resource "namespaces"`, func() error {
			_, err := tc.CoreV1().Namespaces().Patch(ctx, name, types.MergePatchType,
				[]byte(`{"metadata":{"annotations":{"`+hardening.ServiceExternalIPCIDRsAnnotation+`":"0.0.0.0/0"}}}`), dryPatch)
			return err
		}),
	)
}

// namespaceWriterCannotWiden: someone RBAC lets write namespaces (an RBAC cluster-admin who is not
// break-glass, another team's runner) is refused by tamper protection.
func namespaceWriterCannotWiden(ctx context.Context, writer kubernetes.Interface, name string) error {
	patch := func(body string) func() error {
		return func() error {
			_, err := writer.CoreV1().Namespaces().Patch(ctx, name, types.MergePatchType, []byte(body), dryPatch)
			return err
		}
	}
	return joinErrs(
		refused("widen the allowed ranges as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"annotations":{"`+hardening.ServiceExternalIPCIDRsAnnotation+`":"0.0.0.0/0"}}}`)),
		refused("take the namespace out of the policy as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"labels":{"`+hardening.ServicePolicyLabel+`":null}}}`)),
		refused("allow ExternalName as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"annotations":{"`+hardening.ServiceRulesAnnotation+`":"allow-external-name"}}}`)),
	)
}

func svc(name string, edit func(*corev1.Service)) *corev1.Service {
	s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.ServiceSpec{
		Selector: map[string]string{"app": name}, Ports: []corev1.ServicePort{{Port: 443}}}}
	if edit != nil {
		edit(s)
	}
	return s
}

func externalName(name, target string) *corev1.Service {
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.ServiceSpec{
		Type: corev1.ServiceTypeExternalName, ExternalName: target}}
}

func joinErrs(errs ...error) error {
	var msgs []string
	for _, err := range errs {
		if err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(msgs, "\n  "))
}
