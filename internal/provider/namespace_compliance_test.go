package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestAccNamespace_complianceJudgedAgainstThePlan: a tenant's policy admitting traffic from a
// namespace the configuration allows is no finding; the plan that drops that namespace from the
// configuration already shows the default deny re-opened (practice 5 unsatisfied), instead of the
// state saying so only from the next refresh on.
func TestAccNamespace_complianceJudgedAgainstThePlan(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-plan-compliance")
	addr := "hardened_namespace.test"
	network := func(from string) string {
		return testAccNamespaceConfig(name, `network_policy = { allow_ingress_from_namespaces = `+from+` }`)
	}
	gaps := tfjsonpath.New("compliance").AtMapKey("gaps")
	// No image_policy: practice 2 is the one gap the configuration leaves.
	imageGap := knownvalue.StringRegexp(regexp.MustCompile(`^practice 2 \(`))
	networkGap := knownvalue.StringRegexp(regexp.MustCompile(`^practice 5 \(Network policies.*re-opened by policies not made by Terraform: NetworkPolicy/team-from-edge`))
	tenantPolicy := func() {
		np := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "team-from-edge"},
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
				Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{
					NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "edge"}}}}}}}}
		if _, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).Create(context.Background(), np, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: network(`["edge"]`)},
			{
				PreConfig: tenantPolicy,
				Config:    network(`["edge"]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, gaps, knownvalue.ListExact([]knownvalue.Check{imageGap})),
				},
			},
			{
				Config: network(`[]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, gaps, knownvalue.ListExact([]knownvalue.Check{imageGap, networkGap})),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, gaps, knownvalue.ListExact([]knownvalue.Check{imageGap, networkGap})),
				},
			},
		},
	})
}
