package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// fakeTerraform starts one "provider" (bash renamed by argv[0]) that burns CPU, waits for it as
// terraform waits for its plugins, burns a little CPU itself and prints a plan summary.
const fakeTerraform = `#!/usr/bin/env bash
( exec -a terraform-provider-fake bash -c 'for ((i = 0; i < 200000; i++)); do :; done' ) &
wait
for ((i = 0; i < 50000; i++)); do :; done
echo "No changes. Your infrastructure matches the configuration."
`

// TestRunAccountsThePluginCPU runs a fake terraform (no cluster) and checks that the plugin's CPU
// is seen by both sources and included in the command's CPU.
func TestRunAccountsThePluginCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc and waitid: Linux only")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	tf := filepath.Join(dir, "terraform")
	if err := os.WriteFile(tf, []byte(fakeTerraform), 0o755); err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintf(w, "%s{verb=\"GET\"} %d\n", RequestsMetric, requests.Add(7))
	}))
	defer srv.Close()
	r := &Runner{API: API{Host: srv.URL, Client: srv.Client()}, Terraform: tf, WorkRoot: dir, Log: io.Discard}

	s := r.Run(context.Background(), dir, "terraform-provider-fake", "plan")
	if s.Err != "" {
		t.Fatal(s.Err)
	}
	if s.Summary != "No changes. Your infrastructure matches the configuration." || s.Requests != 7 || s.ProviderProcesses != 1 || s.CPUCheck != "" {
		t.Errorf("step %+v", s)
	}
	if s.ProviderCPUReaped < 0.05 || s.ProviderCPUSeconds != s.ProviderCPUReaped || s.ProviderCPUPolled > s.ProviderCPUReaped+cpuSlack(s.ProviderCPUReaped) {
		t.Errorf("plugin CPU: reaped %.2f s, polled %.2f s, reported %.2f s", s.ProviderCPUReaped, s.ProviderCPUPolled, s.ProviderCPUSeconds)
	}
	if s.CPUSeconds < s.ProviderCPUSeconds || s.CPUSeconds+cpuSlack(s.CPUSeconds) < s.TerraformCPUSeconds+s.ProviderCPUSeconds {
		t.Errorf("CPU %.2f s does not include terraform %.2f s + plugin %.2f s", s.CPUSeconds, s.TerraformCPUSeconds, s.ProviderCPUSeconds)
	}
	t.Logf("CPU %.2f s: terraform %.2f s, plugin %.2f s reaped, %.2f s polled", s.CPUSeconds, s.TerraformCPUSeconds, s.ProviderCPUReaped, s.ProviderCPUPolled)
	if s.Load1Before == 0 && s.Load1After == 0 {
		t.Log("load average 0 before and after (an idle machine?)")
	}
}

func TestRetargetState(t *testing.T) {
	state := []byte(`{"version": 4, "serial": 3, "lineage": "l", "resources": [
  {"mode": "managed", "type": "hardened_namespace", "name": "bench", "provider": "provider[\"registry.terraform.io/kubehardening/hardened\"]",
   "instances": [{"index_key": "a", "schema_version": 1, "attributes": {"name": "a", "environment": "prod"}}]},
  {"mode": "managed", "type": "terraform_data", "name": "other", "provider": "provider[\"terraform.io/builtin/terraform\"]", "instances": []}
]}`)
	out, err := RetargetState(state, "hardened", "echo")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Serial    int `json:"serial"`
		Resources []struct {
			Type      string           `json:"type"`
			Provider  string           `json:"provider"`
			Instances []map[string]any `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Serial != 3 || len(got.Resources) != 2 {
		t.Fatalf("state %s", out)
	}
	if r := got.Resources[0]; r.Type != "echo_namespace" || r.Provider != `provider["registry.terraform.io/kubehardening/echo"]` ||
		fmt.Sprint(r.Instances[0]["attributes"]) != "map[environment:prod name:a]" || r.Instances[0]["schema_version"] != 1.0 {
		t.Errorf("retargeted resource %+v", r)
	}
	if r := got.Resources[1]; r.Type != "terraform_data" || r.Provider != `provider["terraform.io/builtin/terraform"]` {
		t.Errorf("other provider's resource changed: %+v", r)
	}
	if _, err := RetargetState([]byte(`{"resources": []}`), "hardened", "echo"); err == nil {
		t.Error("a state without the provider's resources was retargeted")
	}
	if _, err := RetargetState([]byte(`not json`), "hardened", "echo"); err == nil {
		t.Error("a state that is not JSON was retargeted")
	}
}

// TestCopyState gives echo ours' state only once ours' apply succeeded.
func TestCopyState(t *testing.T) {
	root := t.TempDir()
	cfgs := []Config{OursConfig(1, "0.1.0"), EchoConfig(1)}
	runs := []*variantRun{{cfg: cfgs[0], dir: filepath.Join(root, "ours"), ready: true}, {cfg: cfgs[1], dir: filepath.Join(root, "echo"), ready: true}}
	index := map[string]int{Ours: 0, Echo: 1}
	results := []Result{{Variant: Ours}, {Variant: Echo}}
	for _, r := range runs {
		if err := os.MkdirAll(r.dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if s := copyState(runs, index, results, runs[1]); s.Err != "ours was not applied" {
		t.Errorf("before ours' apply: %+v", s)
	}
	results[0].Apply = &Step{}
	state := `{"resources": [{"type": "hardened_namespace", "provider": "provider[\"registry.terraform.io/kubehardening/hardened\"]"}]}`
	if err := os.WriteFile(filepath.Join(runs[0].dir, stateFile), []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := copyState(runs, index, results, runs[1]); s.Err != "" {
		t.Fatal(s.Err)
	}
	b, err := os.ReadFile(filepath.Join(runs[1].dir, stateFile))
	if err != nil || !strings.Contains(string(b), `"echo_namespace"`) {
		t.Errorf("echo's state: %s, %v", b, err)
	}
	if !strings.Contains(cfgs[1].HCL, `resource "echo_namespace" "bench"`) || !strings.Contains(cfgs[1].HCL, `"bench-ours-0000"`) {
		t.Errorf("echo's configuration does not plan ours' names:\n%s", cfgs[1].HCL)
	}
}
