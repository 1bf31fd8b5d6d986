package testcluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// demoEnv is the environment without the variables that name a cluster.
func demoEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KUBE_") && !strings.HasPrefix(kv, "DEMO_ALLOW_REMOTE=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// TestDemoRefusesOtherClusters: `make demo` applies with -auto-approve, so a cluster it did not
// start (KUBE_HOST here names a loopback port where nothing listens) stops it before anything is
// built or sent, in one line naming DEMO_ALLOW_REMOTE.
func TestDemoRefusesOtherClusters(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "--no-print-directory", "demo")
	cmd.Dir = root
	cmd.Env = demoEnv("KUBE_HOST=https://127.0.0.1:1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("make demo with KUBE_HOST set succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "DEMO_ALLOW_REMOTE=1") || !strings.Contains(string(out), "KUBE_HOST=https://127.0.0.1:1") {
		t.Errorf("the refusal does not name the variable and DEMO_ALLOW_REMOTE:\n%s", out)
	}
	if strings.Contains(string(out), "go build") || strings.Contains(string(out), "installed kubehardening") {
		t.Errorf("make demo built the provider before refusing:\n%s", out)
	}
	guard := filepath.Join(root, "tools", "demo-guard.sh")
	local := filepath.Join(root, ".cache", "cluster", "admin.kubeconfig")
	for _, c := range []struct {
		env  []string
		want bool // allowed
	}{
		{demoEnv(), true},
		{demoEnv("KUBE_CONFIG_PATH=/home/me/.kube/prod"), false},
		{demoEnv("KUBE_CONFIG_PATHS=/a:/b"), false},
		{demoEnv("KUBE_CONFIG_PATH=" + local), true},
		{demoEnv("KUBE_HOST=https://prod.example.com", "DEMO_ALLOW_REMOTE=1"), true},
	} {
		cmd := exec.Command(guard, local)
		cmd.Env = c.env
		out, err := cmd.CombinedOutput()
		if (err == nil) != c.want {
			t.Errorf("demo-guard with %v: err %v, want allowed=%t\n%s", c.env[len(c.env)-1], err, c.want, out)
		}
	}
}
