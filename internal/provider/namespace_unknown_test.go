package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// TestAccNamespace_valuesKnownAfterApply: the common ways to wire tenants together give values
// Terraform knows only after apply (each.key in for_each, another resource's id, terraform_data);
// the plan waits for them instead of refusing the configuration, and the applied objects use them.
func TestAccNamespace_valuesKnownAfterApply(t *testing.T) {
	testAccPreCheck(t)
	prefix := acctest.RandomWithPrefix("acc-wire")
	edge := prefix + "-edge"
	config := fmt.Sprintf(`
resource "terraform_data" "idp_group" {
  input = "%[1]s-platform"
}

resource "terraform_data" "lead_role" {
  input = "admin"
}

resource "hardened_namespace" "edge" {
  name = %[2]q
}

resource "hardened_namespace" "team" {
  for_each = toset(["a", "b"])
  name     = "%[1]s-${each.key}"
  access = [
    { role = "edit", groups = ["${each.key}-devs"] },
    { role = "view", groups = [terraform_data.idp_group.output] },
    { role = terraform_data.lead_role.output, users = ["${each.key}-lead"] },
  ]
  network_policy = {
    allow_ingress_from_namespaces = [hardened_namespace.edge.id]
    allow_ingress_ports           = ["8080"]
  }
}
`, prefix, edge)
	// plugin-testing cannot hold for_each instances in its state shim, so this test drives the
	// terraform CLI itself, with the provider binary built from this tree.
	testAccPreCheck(t)
	dir := t.TempDir()
	tf := devTerraform(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	check := func() error {
		cs := adminClientset(t)
		for _, k := range []string{"a", "b"} {
			ns := prefix + "-" + k
			rb, err := cs.RbacV1().RoleBindings(ns).Get(context.Background(), "hardened-access-edit", metav1.GetOptions{})
			if err != nil {
				return err
			}
			if len(rb.Subjects) != 1 || rb.Subjects[0].Name != k+"-devs" {
				return fmt.Errorf("%s: edit binding subjects %v, want group %s-devs", ns, rb.Subjects, k)
			}
			view, err := cs.RbacV1().RoleBindings(ns).Get(context.Background(), "hardened-access-view", metav1.GetOptions{})
			if err != nil || view.Subjects[0].Name != prefix+"-platform" {
				return fmt.Errorf("%s: view binding %v, %v", ns, view, err)
			}
			lead, err := cs.RbacV1().RoleBindings(ns).Get(context.Background(), "hardened-access-admin", metav1.GetOptions{})
			if err != nil || lead.Subjects[0].Name != k+"-lead" {
				return fmt.Errorf("%s: admin binding from a role known only after apply: %v, %v", ns, lead, err)
			}
			np, err := cs.NetworkingV1().NetworkPolicies(ns).Get(context.Background(), "hardened-allow-ingress-from-namespaces", metav1.GetOptions{})
			if err != nil {
				return err
			}
			if got := np.Spec.Ingress[0].From[0].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]; got != edge {
				return fmt.Errorf("%s: ingress allowed from %q, want %q", ns, got, edge)
			}
		}
		return nil
	}
	t.Cleanup(func() {
		if out, err := tf("destroy", "-auto-approve"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
	})
	if out, err := tf("apply", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if err := check(); err != nil {
		t.Fatal(err)
	}
	if out, err := tf("plan", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after apply is not empty: %v\n%s", err, out)
	}
	// What is known is still judged at plan time, next to unknown values.
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "g" {
  input = "x"
}
resource "hardened_namespace" "bad" {
  name   = "%s-bad"
  access = [{ role = "edit", groups = [terraform_data.g.output] }]
  network_policy = { allow_ingress_ports = ["99999"] }
}
`, prefix),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`99999`),
		}},
	})
}

var (
	devProviderOnce sync.Once
	devProviderDir  string
	devProviderErr  error
)

// devTerraform returns a runner of the terraform CLI in dir, using a provider binary built once
// from this tree (through dev_overrides) and the test cluster's admin kubeconfig.
func devTerraform(t *testing.T, dir string) func(args ...string) (string, error) {
	t.Helper()
	devProviderOnce.Do(func() {
		root, err := testcluster.RepoRoot()
		if err != nil {
			devProviderErr = err
			return
		}
		// Shared by every test in the binary, so not one test's TempDir.
		devProviderDir, devProviderErr = os.MkdirTemp("", "hardened-dev-provider-") //nolint:usetesting
		if devProviderErr != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(devProviderDir, "terraform-provider-hardened"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			devProviderErr = fmt.Errorf("building the provider: %v\n%s", err, out)
		}
	})
	if devProviderErr != nil {
		t.Fatal(devProviderErr)
	}
	return terraformWith(t, dir, devProviderDir)
}

// terraformWith returns a runner of the terraform CLI in dir that takes the provider binary in
// providerDir (dev_overrides; calling it again for the same dir switches the binary).
func terraformWith(t *testing.T, dir, providerDir string) func(args ...string) (string, error) {
	t.Helper()
	rc := filepath.Join(dir, "dev.tfrc")
	body := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"kubehardening/hardened\" = %q\n  }\n  direct {}\n}\n", providerDir)
	if err := os.WriteFile(rc, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	versions := "terraform {\n  required_providers {\n    hardened = { source = \"kubehardening/hardened\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o600); err != nil {
		t.Fatal(err)
	}
	return func(args ...string) (string, error) {
		// Flags right after the subcommand: a plan file argument must come last.
		full := append([]string{args[0], "-no-color", "-input=false"}, args[1:]...)
		cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), full...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "KUBE_CONFIG_PATH="+testCluster.AdminKubeconfig)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
}
