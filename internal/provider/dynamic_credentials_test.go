package provider

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// HCP Terraform dynamic credentials, reproduced: an OIDC issuer served by the test signs workload
// identity tokens whose sub names the run phase; the API server's JWT authenticator (structured
// authentication configuration) maps sub to the user name and the organization and workspace
// claims to a group, as the threat model's recipe shows.

// oidcIssuer is a minimal OpenID provider: discovery, a JWKS and RS256 tokens.
type oidcIssuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
}

func newOIDCIssuer(t *testing.T) *oidcIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := &oidcIssuer{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss.srv.URL, "jwks_uri": iss.srv.URL + "/jwks",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
		}}})
	})
	iss.srv = httptest.NewTLSServer(mux)
	t.Cleanup(iss.srv.Close)
	return iss
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// caPEM is the issuer's serving certificate, for the API server to trust.
func (o *oidcIssuer) caPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: o.srv.Certificate().Raw}))
}

// token signs a workload identity token as HCP Terraform issues one for a run phase.
func (o *oidcIssuer) token(t *testing.T, org, workspace, phase string) string {
	t.Helper()
	now := time.Now()
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "k1", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{
		"iss": o.srv.URL, "aud": "kubernetes", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"sub":                         fmt.Sprintf("organization:%s:project:Default Project:workspace:%s:run_phase:%s", org, workspace, phase),
		"terraform_organization_name": org, "terraform_workspace_name": workspace, "terraform_run_phase": phase,
	})
	signing := b64(header) + "." + b64(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, o.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + b64(sig)
}

// authenticationConfig maps the token's claims as the threat model's HCP Terraform recipe does.
func (o *oidcIssuer) authenticationConfig() string {
	indented := "        " + strings.ReplaceAll(strings.TrimSpace(o.caPEM()), "\n", "\n        ")
	return fmt.Sprintf(`apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
  - issuer:
      url: %s
      audiences: ["kubernetes"]
      certificateAuthority: |
%s
    claimMappings:
      username:
        expression: "'tfc:' + claims.sub"
      groups:
        expression: "['tfc:' + claims.terraform_organization_name + ':' + claims.terraform_workspace_name]"
`, o.srv.URL, indented)
}

// TestAccNamespace_hcpDynamicCredentials: the plan phase and the apply phase of a run authenticate
// with their own tokens, as different users of one group; with that group as runner_identity, the
// plan, the saved plan's apply, the next plan and the destroy all succeed with no hand-over, and a
// token of another workspace fails at plan.
func TestAccNamespace_hcpDynamicCredentials(t *testing.T) {
	testAccPreCheck(t)
	ctx := context.Background()
	iss := newOIDCIssuer(t)
	dir := t.TempDir()
	authn := filepath.Join(dir, "authentication.yaml")
	if err := os.WriteFile(authn, []byte(iss.authenticationConfig()), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := testcluster.Start(ctx, testcluster.Options{Version: os.Getenv("HARDENED_TEST_K8S_VERSION"), Log: os.Stderr,
		ExtraAPIServerArgs: []string{"--authentication-config=" + authn}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	admin := clientsetFor(t, c.AdminKubeconfig)
	workspace := acctest.RandomWithPrefix("platform-namespaces")
	group := "tfc:acme:" + workspace
	// This workspace's runner, and another team's workspace with the same rights.
	for i, g := range []string{group, "tfc:acme:another-workspace"} {
		if _, err := admin.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("tfc-runner-%d", i)},
			RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
			Subjects: []rbacv1.Subject{{Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: g}}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	name := acctest.RandomWithPrefix("acc-hcp")
	config := fmt.Sprintf(`
provider "hardened" {
  host                   = %q
  cluster_ca_certificate = %q
  # token: KUBE_TOKEN, the run phase's workload identity token
  runner_identity = { groups = [%q] }
}
resource "hardened_namespace" "test" {
  name = %q
}
`, c.Host, c.CACertPEM, group, name)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	devTerraform(t, dir) // builds the provider binary and writes the CLI configuration
	run := func(token string, args ...string) (string, error) {
		full := append([]string{args[0], "-no-color", "-input=false"}, args[1:]...)
		cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), full...)
		cmd.Dir = dir
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "KUBE_") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "dev.tfrc"), "KUBE_TOKEN="+token)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	phase := func(p string) string { return iss.token(t, "acme", workspace, p) }
	// The authenticator fetches the issuer's keys in the background after start.
	var last string
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Second) {
		out, err := run(phase("plan"), "plan", "-out=tfplan")
		if err == nil {
			break
		}
		last = out
		if time.Now().After(deadline) {
			t.Fatalf("plan with the plan phase's token: %v\n%s", err, last)
		}
	}
	destroyAtCleanup(t, admin, name, func(args ...string) (string, error) { return run(phase("apply"), args...) })
	if out, err := run(phase("apply"), "apply", "tfplan"); err != nil {
		t.Fatalf("apply of the saved plan with the apply phase's token: %v\n%s", err, out)
	}
	ns, err := admin.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ns.Annotations[hardening.TerraformGroupsAnnotation] != group || ns.Annotations[hardening.TerraformIdentityAnnotation] != "" {
		t.Errorf("the guard should exempt the workspace's group and no phase's user: %v", ns.Annotations)
	}
	out, err := run(phase("plan"), "plan", "-detailed-exitcode")
	if err != nil || strings.Count(out, "Warning:") != strings.Count(out, "Warning: Provider development overrides") {
		t.Fatalf("the next run's plan should be empty and quiet: %v\n%s", err, out)
	}
	out, err = run(iss.token(t, "acme", "another-workspace", "plan"), "plan")
	if err == nil || !strings.Contains(out, "not the declared runner_identity") || !strings.Contains(out, "tfc:acme:another-workspace") {
		t.Fatalf("a token of another workspace should fail at plan, naming its group: %v\n%s", err, out)
	}
}
