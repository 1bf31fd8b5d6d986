package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// TestAccNamespace_withoutAdmissionPolicyAPI: a control plane that does not serve
// ValidatingAdmissionPolicy (turned off with --runtime-config, as on clusters older than 1.30).
// Refresh lists that kind; a 404 there must not read as "namespace gone" and drop the resource.
// With image_policy the error says why.
func TestAccNamespace_withoutAdmissionPolicyAPI(t *testing.T) {
	testAccPreCheck(t)
	c, err := testcluster.Start(context.Background(), testcluster.Options{Version: os.Getenv("HARDENED_TEST_K8S_VERSION"), Log: os.Stderr,
		WithoutAdmissionPolicies: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	name := acctest.RandomWithPrefix("acc-novap")
	cfg := func(body string) string {
		return fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n}\n", c.AdminKubeconfig) +
			testAccNamespaceConfig(name, "tamper_protection = false\nservice_policy = { enabled = false }\n"+body)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// Applied, refreshed and planned empty (the post-apply plan of the step).
			{Config: cfg("")},
			{Config: cfg(""), PlanOnly: true},
			{
				// The Services policy is on unless turned off: the error says how.
				Config: fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n}\n", c.AdminKubeconfig) +
					testAccNamespaceConfig(name, "tamper_protection = false\n"),
				ExpectError: regexp.MustCompile(`(?s)does not serve.*ValidatingAdmissionPolicy.*service_policy = \{ enabled = false \}`),
			},
			{
				Config:      cfg(`image_policy = { allowed_registries = ["registry.example.com"] }`),
				ExpectError: regexp.MustCompile(`(?s)does not serve.*ValidatingAdmissionPolicy.*image_policy`),
			},
			{Config: cfg("")},
		},
	})
}
