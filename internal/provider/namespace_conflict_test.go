package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// TestAccNamespace_applyConflict: a field another server-side apply manager took over is a
// conflict that names the manager and the field; force_conflicts takes it back.
func TestAccNamespace_applyConflict(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-conflict")
	cfg := func(force bool) string {
		return fmt.Sprintf("resource \"hardened_namespace\" \"test\" {\n  name = %q\n  force_conflicts = %t\n}\n", name, force)
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: cfg(false)},
			{
				PreConfig: func() {
					force := true
					body := fmt.Sprintf(`{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"hardened-quota","namespace":%q},"spec":{"hard":{"pods":"99"}}}`, name)
					_, err := adminClientset(t).CoreV1().ResourceQuotas(name).Patch(context.Background(), "hardened-quota", types.ApplyPatchType,
						[]byte(body), metav1.PatchOptions{FieldManager: "argocd", Force: &force})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:      cfg(false),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)another field manager owns fields.*spec.hard.pods: conflict with "argocd".*force_conflicts = true`)),
			},
			{
				Config: cfg(true),
				Check: func(*terraform.State) error {
					q, err := adminClientset(t).CoreV1().ResourceQuotas(name).Get(context.Background(), "hardened-quota", metav1.GetOptions{})
					if err != nil {
						return err
					}
					if got := q.Spec.Hard.Pods().String(); got != "200" {
						return fmt.Errorf("quota pods = %s after force_conflicts, want the preset's 200", got)
					}
					return nil
				},
			},
		},
	})
}
