package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// Each provider-configuration test creates a namespace through the configured client and proves
// it reached the real API server. They run one at a time because they change KUBE_* variables,
// which the in-process provider reads.

func providerConfigCase(t *testing.T, providerBlock string) resource.TestCase {
	name := acctest.RandomWithPrefix("acc-cfg")
	return resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{{
			Config: providerBlock + testAccNamespaceConfig(name, ""),
			Check:  testAccCheckNamespaceLabels(t, name, map[string]string{"pod-security.kubernetes.io/enforce": "restricted"}),
		}},
	}
}

func TestAccProviderConfig_configPath(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	resource.Test(t, providerConfigCase(t, fmt.Sprintf(`provider "hardened" {
  config_path    = %q
  config_context = "hardened-test"
}
`, testCluster.AdminKubeconfig)))
}

func TestAccProviderConfig_hostAndToken(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	resource.Test(t, providerConfigCase(t, fmt.Sprintf(`provider "hardened" {
  host                   = %q
  token                  = %q
  cluster_ca_certificate = %q
}
`, testCluster.Host, testCluster.AdminToken, testCluster.CACertPEM)))
}

func TestAccProviderConfig_hostAndClientCertificate(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	resource.Test(t, providerConfigCase(t, fmt.Sprintf(`provider "hardened" {
  host                   = %q
  client_certificate     = %q
  client_key             = %q
  cluster_ca_certificate = %q
}
`, testCluster.Host, testCluster.AdminCertPEM, testCluster.AdminKeyPEM, testCluster.CACertPEM)))
}

// TestAccProviderConfig_environmentOnly is the Terraform Cloud / CI case: no provider block at all.
func TestAccProviderConfig_environmentOnly(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	t.Setenv("KUBE_HOST", testCluster.Host)
	t.Setenv("KUBE_TOKEN", testCluster.AdminToken)
	t.Setenv("KUBE_CLUSTER_CA_CERT_DATA", testCluster.CACertPEM)
	resource.Test(t, providerConfigCase(t, ""))
}

func TestAccProviderConfig_environmentClientCertificate(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	t.Setenv("KUBE_HOST", testCluster.Host)
	t.Setenv("KUBE_CLIENT_CERT_DATA", testCluster.AdminCertPEM)
	t.Setenv("KUBE_CLIENT_KEY_DATA", testCluster.AdminKeyPEM)
	t.Setenv("KUBE_CLUSTER_CA_CERT_DATA", testCluster.CACertPEM)
	resource.Test(t, providerConfigCase(t, ""))
}

func TestAccProviderConfig_insecureStillWorks(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	t.Setenv("KUBE_INSECURE", "true")
	t.Setenv("KUBE_HOST", testCluster.Host)
	t.Setenv("KUBE_TOKEN", testCluster.AdminToken)
	resource.Test(t, providerConfigCase(t, ""))
}

func TestAccProviderConfig_errors(t *testing.T) {
	testAccPreCheck(t)
	t.Setenv("KUBE_CONFIG_PATH", "")
	otherCA, err := testcluster.NewCA("not-the-cluster-ca")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		provider string
		want     string
	}{
		"unreachable": {fmt.Sprintf(`provider "hardened" {
  host                   = "https://127.0.0.1:1"
  token                  = "x"
  cluster_ca_certificate = %q
}`, testCluster.CACertPEM), `(?s)cannot reach the Kubernetes API server at https://127.0.0.1:1`},
		"plain http": {fmt.Sprintf(`provider "hardened" {
  host  = "http://127.0.0.1:%d"
  token = "x"
}`, testCluster.Port()), `(?s)Plain HTTP API server refused.*uses plain http`},
		"wrong CA": {fmt.Sprintf(`provider "hardened" {
  host                   = %q
  token                  = %q
  cluster_ca_certificate = %q
}`, testCluster.Host, testCluster.AdminToken, otherCA.CertPEM), `(?s)not signed by the trusted CA.*cluster_ca_certificate`},
		"bad token": {fmt.Sprintf(`provider "hardened" {
  host                   = %q
  token                  = "not-a-token"
  cluster_ca_certificate = %q
}`, testCluster.Host, testCluster.CACertPEM), `(?s)rejected the credentials \(401 Unauthorized\)`},
		"nothing configured": {``, `(?s)no cluster is configured: set host`},
		"missing kubeconfig": {`provider "hardened" {
  config_path = "/nonexistent/kubeconfig"
}`, `(?s)/nonexistent/kubeconfig`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ns := acctest.RandomWithPrefix("acc-err")
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.provider + testAccNamespaceConfig(ns, ""),
					ExpectError: regexp.MustCompile(wrapTolerant(tc.want)),
				}},
			})
		})
	}
}

// wrapTolerant lets a pattern's spaces match the line breaks terraform puts in long diagnostics.
func wrapTolerant(pattern string) string {
	return strings.ReplaceAll(pattern, " ", `\s+`)
}
