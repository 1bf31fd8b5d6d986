package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the real terraform CLI.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"hardened": func() (tfprotov6.ProviderServer, error) { return NewProtocol6("test", withShadow(testShadow))(), nil },
}

// testShadow checks every answer the acceptance tests get without the framework against the
// framework's, and counts the plans so answered.
var testShadow = &shadowRecord{}

// testCluster is the real control plane the acceptance tests run against; nil without TF_ACC.
var testCluster *testcluster.Cluster

// TestMain starts one control plane for the package's acceptance tests. Configurations reach it
// through KUBE_CONFIG_PATH, exactly as a user's CI would.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Minute)
	defer cancel()
	if err := testcluster.EnsureCLIConfig(); err != nil {
		fmt.Fprintln(os.Stderr, "acceptance tests:", err)
		return 1
	}
	tf, isTofu, err := testcluster.TerraformCLI(ctx, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "acceptance tests need a terraform CLI:", err)
		return 1
	}
	os.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	if isTofu {
		os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
	auditArgs, err := auditLogArgs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "acceptance tests:", err)
		return 1
	}
	c, err := testcluster.Start(ctx, testcluster.Options{
		Version: os.Getenv("HARDENED_TEST_K8S_VERSION"), Log: os.Stderr, ExtraAPIServerArgs: auditArgs,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "acceptance tests: starting the control plane:", err)
		return 1
	}
	testCluster = c
	defer func() {
		if err := c.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests: stopping the control plane:", err)
		}
	}()
	clearKubeEnv()
	os.Setenv("KUBE_CONFIG_PATH", c.AdminKubeconfig)
	return m.Run()
}

// auditLogPath is the test control plane's audit log: writes at Metadata level, where the tamper
// guard's break-glass annotation shows.
var auditLogPath string

func auditLogArgs() ([]string, error) {
	dir, err := os.MkdirTemp("", "hardened-audit-")
	if err != nil {
		return nil, err
	}
	policy := filepath.Join(dir, "policy.yaml")
	auditLogPath = filepath.Join(dir, "audit.log")
	const writes = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create, update, patch, delete]
  - level: None
`
	if err := os.WriteFile(policy, []byte(writes), 0o600); err != nil {
		return nil, err
	}
	return []string{"--audit-policy-file=" + policy, "--audit-log-path=" + auditLogPath, "--audit-log-maxsize=200"}, nil
}

// clearKubeEnv drops any KUBE_* variables from the caller's shell so tests see only their own.
func clearKubeEnv() {
	for _, k := range []string{"KUBE_HOST", "KUBE_TOKEN", "KUBE_CONFIG_PATH", "KUBE_CONFIG_PATHS", "KUBE_CTX",
		"KUBE_CTX_AUTH_INFO", "KUBE_CTX_CLUSTER", "KUBE_CLIENT_CERT_DATA", "KUBE_CLIENT_KEY_DATA",
		"KUBE_CLUSTER_CA_CERT_DATA", "KUBE_INSECURE", "KUBE_TLS_SERVER_NAME", "KUBE_PROXY_URL"} {
		os.Unsetenv(k)
	}
}

// testAccPreCheck is the first statement of every acceptance test (TestAcceptanceTestsCallPreCheck
// holds them to it). Without TF_ACC the test is skipped, so `go test ./...` is the unit loop; with
// TF_ACC it never skips: TestMain has started the control plane or exited, and a test that finds
// none fails.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: runs with TF_ACC=1 (make testacc), against the local control plane")
	}
	if testCluster == nil {
		t.Fatal("TF_ACC is set but the local control plane is not running: see TestMain's output")
	}
}

// adminClientset talks to the test cluster as cluster-admin, to check what Terraform did.
func adminClientset(t *testing.T) kubernetes.Interface {
	t.Helper()
	return clientsetFor(t, testCluster.AdminKubeconfig)
}

func clientsetFor(t *testing.T, kubeconfig string) kubernetes.Interface {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}
