package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// TestAccLeastPrivilege runs the namespace lifecycle as an identity bound only to the documented
// ClusterRole (examples/least-privilege/clusterrole.yaml), proving it is enough.
func TestAccLeastPrivilege(t *testing.T) {
	testAccPreCheck(t)
	ctx := context.Background()
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "examples", "least-privilege", "clusterrole.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var role rbacv1.ClusterRole
	if err := yaml.Unmarshal(raw, &role); err != nil {
		t.Fatal(err)
	}
	cs := adminClientset(t)
	if _, err := cs.RbacV1().ClusterRoles().Create(ctx, &role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	user := acctest.RandomWithPrefix("tf-runner")
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects: []rbacv1.Subject{{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: user}}}
	if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.RbacV1().ClusterRoleBindings().Delete(ctx, user, metav1.DeleteOptions{}) })
	kubeconfig, _, err := testCluster.User(user)
	if err != nil {
		t.Fatal(err)
	}
	name := acctest.RandomWithPrefix("acc-lp")
	cfg := func(extra string) string {
		return fmt.Sprintf(`
provider "hardened" {
  config_path = %q
}
resource "hardened_namespace" "test" {
  name         = %q
  access       = [{ role = "edit", groups = ["devs"] }, { role = "view", users = ["auditor"] }%s]
  image_policy = { allowed_registries = ["registry.k8s.io", "registry.example.com"] }
}
`, kubeconfig, name, extra)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{Config: cfg(""), Check: testAccCheckPodSecurityEnforced(t, name)},
			{
				PreConfig: func() { makeDrift(t, name) },
				Config:    cfg(""),
				Check:     testAccCheckNetworkPolicies(t, name),
			},
			{
				// A role the ClusterRole has no `bind` on is refused by RBAC's escalation check,
				// with the API server's reason passed through.
				Config:      cfg(`, { role = "cluster-admin", users = ["root"], allow_cluster_admin = true }`),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)RoleBinding hardened-access-cluster-admin: RBAC's escalation check refused a RoleBinding: the provider's identity needs the ` + "`bind`" + ` verb`)),
			},
			{
				// The posture data source works as the same identity: no permission errors, and the
				// hardened namespace has no findings.
				Config: cfg("") + fmt.Sprintf(`
data "hardened_cluster_posture" "p" {
  namespaces = { include = [%q] }
  depends_on = [hardened_namespace.test]
}
`, name),
				Check: resource.ComposeAggregateTestCheckFunc(
					func(s *terraform.State) error {
						attrs := s.RootModule().Resources["data.hardened_cluster_posture.p"].Primary.Attributes
						for k, v := range attrs {
							if strings.HasSuffix(k, ".namespace") && v == name {
								return fmt.Errorf("posture reports a finding for the hardened namespace: %s", k)
							}
							// Only what no identity can see here (the API server's static pod) may be
							// unknown: the role grants every read the checks need.
							if strings.HasSuffix(k, ".status") && v == "unknown" {
								id := attrs[strings.TrimSuffix(k, ".status")+".id"]
								if id != "HRD-8002" && id != "HRD-10001" {
									return fmt.Errorf("posture check %s is unknown for the least-privilege identity", id)
								}
							}
						}
						return nil
					},
				),
			},
			{ResourceName: "hardened_namespace.test", ImportState: true, ImportStateId: name, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts"}},
		},
	})
}
