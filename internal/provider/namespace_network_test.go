package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/netpoleval"
)

// TestAccNamespace_ingressFromCIDRs: platform traffic from address ranges (a cloud load balancer's
// health checks) through the default deny, judged by the independent evaluator on the policies
// read back from the API server; a /16 is no compliance gap, every address is.
func TestAccNamespace_ingressFromCIDRs(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-lbcidr")
	ctx := context.Background()
	cfg := func(cidrs string) string {
		return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name           = %q
  network_policy = { allow_ingress_from_cidrs = [%s], allow_ingress_ports = ["8080"] }
}
`, name, cidrs)
	}
	truth := func(*terraform.State) error {
		list, err := adminClientset(t).NetworkingV1().NetworkPolicies(name).List(ctx, metav1.ListOptions{})
		if err != nil {
			return err
		}
		c := netpoleval.Cluster{Policies: append([]networkingv1.NetworkPolicy(nil), list.Items...)}
		pod := func(n string) netpoleval.Endpoint {
			return netpoleval.Endpoint{Namespace: n, PodLabels: map[string]string{"app": "web"}}
		}
		ext := func(ip string) netpoleval.Endpoint { return netpoleval.Endpoint{IP: ip} }
		var errs []string
		for _, r := range []struct {
			what     string
			from, to netpoleval.Endpoint
			port     int
			want     bool
		}{
			{"a health check from 35.191.0.0/16 on 8080", ext("35.191.3.4"), pod(name), 8080, true},
			{"a health check from 130.211.0.0/22 on 8080", ext("130.211.1.9"), pod(name), 8080, true},
			{"the range on another port", ext("35.191.3.4"), pod(name), 9090, false},
			{"an address outside the ranges", ext("203.0.113.9"), pod(name), 8080, false},
			{"another namespace's pod", pod("elsewhere"), pod(name), 8080, false},
			{"egress to the range (ingress allow only)", pod(name), ext("35.191.3.4"), 8080, false},
		} {
			if got := c.Allowed(r.from, r.to, r.port, "TCP"); got != r.want {
				errs = append(errs, fmt.Sprintf("%s: allowed=%t, want %t\n%s", r.what, got, r.want, c.Explain(r.from, r.to, r.port, "TCP")))
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("network truth table:\n%s", strings.Join(errs, "\n"))
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: cfg(`"35.191.0.0/16", "130.211.0.0/22"`),
				Check: resource.ComposeAggregateTestCheckFunc(truth, complianceSays(5, true, ""),
					resource.TestCheckTypeSetElemAttr("hardened_namespace.test", "managed_objects.*", "NetworkPolicy/hardened-allow-ingress-from-cidrs")),
			},
			{Config: cfg(`"0.0.0.0/0"`), Check: complianceSays(5, false, "allow_ingress_from_cidrs 0.0.0.0/0 admits every address (0.0.0.0/0) on ports 8080")},
			{ResourceName: "hardened_namespace.test", ImportState: true, ImportStateId: name, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"}},
		},
	})
}
