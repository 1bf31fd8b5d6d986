package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccProvider_secretsNotLogged: with TF_LOG=trace for Terraform and the provider, the bearer token and
// the client key appear in no log and not in state.
func TestAccProvider_secretsNotLogged(t *testing.T) {
	testAccPreCheck(t)
	dir := t.TempDir()
	coreLog, providerLog := filepath.Join(dir, "terraform.log"), filepath.Join(dir, "provider.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", coreLog)
	t.Setenv("TF_ACC_LOG_PATH", providerLog)
	t.Setenv("TF_LOG_PROVIDER", "trace")
	t.Setenv("KUBE_CONFIG_PATH", "")
	t.Setenv("KUBE_HOST", testCluster.Host)
	t.Setenv("KUBE_TOKEN", testCluster.AdminToken)
	t.Setenv("KUBE_CLUSTER_CA_CERT_DATA", testCluster.CACertPEM)
	name := acctest.RandomWithPrefix("acc-secret")
	keyMarker := strings.Split(strings.TrimSpace(testCluster.AdminKeyPEM), "\n")[1]
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: testAccNamespaceConfig(name, ""),
				Check: func(s *terraform.State) error {
					for _, rs := range s.RootModule().Resources {
						for k, v := range rs.Primary.Attributes {
							if strings.Contains(v, testCluster.AdminToken) {
								t.Errorf("state attribute %s holds the token", k)
							}
						}
					}
					return nil
				},
			},
			{
				// The client key through the provider block (sensitive) this time.
				Config: `provider "hardened" {
  host                   = "` + testCluster.Host + `"
  client_certificate     = <<-EOT
` + testCluster.AdminCertPEM + `EOT
  client_key             = <<-EOT
` + testCluster.AdminKeyPEM + `EOT
  cluster_ca_certificate = <<-EOT
` + testCluster.CACertPEM + `EOT
}
` + testAccNamespaceConfig(name, ""),
			},
		},
	})
	var logged int64
	for _, f := range []string{coreLog, providerLog} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("expected a trace log at %s: %v", f, err)
		}
		b = withoutHarnessConfigEcho(b)
		logged += int64(len(b))
		if strings.Contains(string(b), testCluster.AdminToken) {
			t.Errorf("%s contains the bearer token", filepath.Base(f))
		}
		if strings.Contains(string(b), keyMarker) {
			t.Errorf("%s contains the client key", filepath.Base(f))
		}
	}
	if logged < 10000 {
		t.Fatalf("trace logs are suspiciously small (%d bytes): the test would prove nothing", logged)
	}
}

// withoutHarnessConfigEcho drops the log entries in which the test harness itself echoes the
// test's configuration (which holds the key because this test wrote it there); everything the
// provider and Terraform log stays.
func withoutHarnessConfigEcho(log []byte) []byte {
	var out []string
	skipping := false
	for _, line := range strings.Split(string(log), "\n") {
		entryStart := len(line) > 4 && line[:2] == "20" && strings.Contains(line[:30], "T")
		if entryStart {
			skipping = strings.Contains(line, "sdk.helper_resource") && strings.Contains(line, "Setting Terraform configuration")
		}
		if !skipping {
			out = append(out, line)
		}
	}
	return []byte(strings.Join(out, "\n"))
}
