package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestAccNamespace_concurrency: 50 namespaces applied with -parallelism=20 and destroyed, twice in
// a row, with no error and nothing left behind.
func TestAccNamespace_concurrency(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("TF_CLI_ARGS_apply", "-parallelism=20")
	t.Setenv("TF_CLI_ARGS_destroy", "-parallelism=20")
	t.Setenv("TF_CLI_ARGS_plan", "-parallelism=20")
	prefix := acctest.RandomWithPrefix("acc-many")
	var names []string
	for i := 0; i < 50; i++ {
		names = append(names, fmt.Sprintf("%s-%02d", prefix, i))
	}
	config := fmt.Sprintf(`
resource "hardened_namespace" "many" {
  count    = 50
  name     = format("%s-%%02d", count.index)
  access   = [{ role = "view", groups = ["readers"] }]
}
`, prefix)
	allThere := func(*terraform.State) error {
		list, err := adminClientset(t).NetworkingV1().NetworkPolicies("").List(context.Background(),
			metav1.ListOptions{LabelSelector: "app.kubernetes.io/managed-by=terraform-provider-hardened"})
		if err != nil {
			return err
		}
		count := map[string]int{}
		for _, np := range list.Items {
			count[np.Namespace]++
		}
		for _, n := range names {
			if count[n] != 3 {
				return fmt.Errorf("namespace %s has %d NetworkPolicies, want 3", n, count[n])
			}
		}
		return nil
	}
	for round := 1; round <= 2; round++ {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             testAccCheckNamespacesGone(t, names...),
				Steps:                    []resource.TestStep{{Config: config, Check: allThere}},
			})
		})
	}
}
