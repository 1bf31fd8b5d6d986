package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Identities as real platforms present them, minted by the test CA (user name = CN, groups = O).

// eksSession is the user name an EKS access entry gives an assumed-role session: it changes with
// every session, while the access entry's groups stay.
func eksSession(role, session string) string {
	return "arn:aws:sts::111122223333:assumed-role/" + role + "/" + session
}

// bindClusterAdmin grants cluster-admin through RBAC to a user or group (kind "User" or "Group"):
// everything RBAC allows, but not system:masters, so not break-glass.
func bindClusterAdmin(t *testing.T, kind, name string) {
	t.Helper()
	ctx := context.Background()
	cs := adminClientset(t)
	crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{GenerateName: "acc-cluster-admin-"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects: []rbacv1.Subject{{Kind: kind, APIGroup: "rbac.authorization.k8s.io", Name: name}}}
	got, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cs.RbacV1().ClusterRoleBindings().Delete(context.Background(), got.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			t.Error(err)
		}
	})
}

// rbacAdmin mints a user that holds cluster-admin through RBAC only: the administrator the guard
// must still refuse unless break-glass names one of its groups.
func rbacAdmin(t *testing.T, user string, groups ...string) (kubeconfig string, cs kubernetes.Interface) {
	t.Helper()
	bindClusterAdmin(t, "User", user)
	kc, _, err := testCluster.User(user, groups...)
	if err != nil {
		t.Fatal(err)
	}
	return kc, clientsetFor(t, kc)
}

// session mints one session of a runner: its own user name, the runner's stable group.
func session(t *testing.T, user, group string) string {
	t.Helper()
	kc, _, err := testCluster.User(user, group)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}

// rotatingCredentials writes an exec credential plugin that hands out a new session on every call,
// as HCP Terraform dynamic credentials do per run phase: each provider process (plan, apply)
// authenticates as another user of group. client-go caches a credential for its process, so the
// provider must run as its own binary (devTerraform), not in the test's process. It returns the
// provider block and a counter of the sessions handed out.
func rotatingCredentials(t *testing.T, prefix, group, extra string) (providerBlock string, calls func() int) {
	t.Helper()
	dir := t.TempDir()
	const sessions = 8
	for i := range sessions {
		_, kp, err := testCluster.User(fmt.Sprintf("%s-phase-%d", prefix, i), group)
		if err != nil {
			t.Fatal(err)
		}
		cred, err := json.Marshal(map[string]any{
			"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
			"status": map[string]string{"clientCertificateData": string(kp.CertPEM), "clientKeyData": string(kp.KeyPEM)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("cred-%d.json", i)), cred, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "credentials.sh")
	body := fmt.Sprintf("#!/usr/bin/env bash\nset -e\ncd %q\nn=$(cat counter 2>/dev/null || echo 0)\necho $((n+1)) > counter\ncat cred-$((n %% %d)).json\n", dir, sessions)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil { //nolint:gosec // an executable the test runs
		t.Fatal(err)
	}
	// A kubeconfig whose user is the plugin, as `aws eks update-kubeconfig` writes one.
	kubeconfig := filepath.Join(dir, "kubeconfig")
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: rotating
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: %s
      interactiveMode: Never
contexts:
- name: test
  context: {cluster: test, user: rotating}
current-context: test
`, testCluster.Host, base64.StdEncoding.EncodeToString([]byte(testCluster.CACertPEM)), script)
	if err := os.WriteFile(kubeconfig, []byte(kc), 0o600); err != nil {
		t.Fatal(err)
	}
	providerBlock = fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n%s}\n", kubeconfig, extra)
	calls = func() int {
		b, _ := os.ReadFile(filepath.Join(dir, "counter"))
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return n
	}
	return providerBlock, calls
}
