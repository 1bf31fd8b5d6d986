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

// fakeRunner writes script as a fake terraform in a fresh folder and returns a Runner using it and
// an API whose /metrics adds step requests per call. Runner.Run reads /proc and waits with waitid,
// which only Linux has, and the fakes are bash scripts: elsewhere the test is skipped, as those
// are conditions of the platform, not of the code (CI runs on Linux with bash).
func fakeRunner(t *testing.T, script string, step int64) (*Runner, string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("/proc and waitid: Linux only")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	tf := filepath.Join(dir, "terraform")
	if err := os.WriteFile(tf, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintf(w, "%s{verb=\"GET\"} %d\n", RequestsMetric, requests.Add(step))
	}))
	t.Cleanup(srv.Close)
	return &Runner{API: API{Host: srv.URL, Client: srv.Client()}, Terraform: tf, WorkRoot: dir, Log: io.Discard}, dir
}

// TestRunAccountsThePluginCPU runs a fake terraform (no cluster) and checks that the plugin's CPU
// is seen by both sources and included in the command's CPU.
func TestRunAccountsThePluginCPU(t *testing.T) {
	r, dir := fakeRunner(t, fakeTerraform, 7)

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
	state := []byte(`{"version": 4, "serial": 3, "lineage": "l", "check": 12345678901234567890, "resources": [
  {"mode": "managed", "type": "hardened_namespace", "name": "bench", "provider": "provider[\"registry.terraform.io/kubehardening/hardened\"]",
   "instances": [{"index_key": "a", "schema_version": 1, "attributes": {"name": "a", "environment": "prod"}}]},
  {"mode": "managed", "type": "terraform_data", "name": "other", "provider": "provider[\"terraform.io/builtin/terraform\"]", "instances": []},
  {"mode": "data", "type": "hardened_version_support", "name": "v", "provider": "provider[\"registry.terraform.io/kubehardening/hardened\"]", "instances": []}
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
	if got.Serial != 3 || len(got.Resources) != 3 || !strings.Contains(string(out), "12345678901234567890") {
		t.Fatalf("state %s", out)
	}
	if r := got.Resources[0]; r.Type != "echo_namespace" || r.Provider != `provider["registry.terraform.io/kubehardening/echo"]` ||
		fmt.Sprint(r.Instances[0]["attributes"]) != "map[environment:prod name:a]" || r.Instances[0]["schema_version"] != 1.0 {
		t.Errorf("retargeted resource %+v", r)
	}
	if r := got.Resources[1]; r.Type != "terraform_data" || r.Provider != `provider["terraform.io/builtin/terraform"]` {
		t.Errorf("other provider's resource changed: %+v", r)
	}
	if r := got.Resources[2]; r.Type != "hardened_version_support" || r.Provider != `provider["registry.terraform.io/kubehardening/hardened"]` {
		t.Errorf("a data source was retargeted: %+v", r)
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
	state := `{"resources": [{"mode": "managed", "type": "hardened_namespace", "provider": "provider[\"registry.terraform.io/kubehardening/hardened\"]"}]}`
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

// fakeStateTerraform writes ours' state on apply, as terraform would, and answers every command
// with its summary line; it records each command with the folder it ran in.
const fakeStateTerraform = `#!/usr/bin/env bash
echo "$(basename "$PWD") $1" >> ../commands.log
case "$1" in
apply)
  printf '{"resources": [{"mode": "managed", "type": "hardened_namespace", "provider": "provider[\\"registry.terraform.io/kubehardening/hardened\\"]"}]}' > terraform.tfstate
  echo "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." ;;
plan) echo "No changes. Your infrastructure matches the configuration." ;;
destroy) echo "Destroy complete! Resources: 1 destroyed." ;;
esac
`

// TestRunSizeCopiesState runs ours and echo with a fake terraform: echo is never applied or
// destroyed by terraform, plans a copy of ours' state interleaved with ours, and its copy is gone
// after the destroys.
func TestRunSizeCopiesState(t *testing.T) {
	r, dir := fakeRunner(t, fakeStateTerraform, 1)
	var echoState []byte
	results := r.RunSize(context.Background(), []Config{OursConfig(2, "0.1.0"), EchoConfig(2)}, 2, func(rs []Result) {
		if b, err := os.ReadFile(filepath.Join(dir, "echo-2", stateFile)); err == nil {
			echoState = b
		}
	})
	ours, echo := results[0], results[1]
	if ours.Err != "" || echo.Err != "" || echo.Apply == nil || echo.Apply.Summary != "state copied from ours" || len(echo.NoopPlans) != 2 {
		t.Fatalf("ours %+v\necho %+v", ours, echo)
	}
	if !strings.Contains(string(echoState), `"echo_namespace"`) {
		t.Errorf("echo planned %s", echoState)
	}
	if _, err := os.Stat(filepath.Join(dir, "echo-2", stateFile)); !os.IsNotExist(err) {
		t.Errorf("echo's copy is still there after its destroy: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "commands.log"))
	want := "ours-2 init\necho-2 init\nours-2 apply\nours-2 plan\necho-2 plan\nours-2 plan\necho-2 plan\nours-2 plan\nours-2 destroy\n"
	if string(b) != want {
		t.Errorf("commands\n%s\nwant\n%s", b, want)
	}
}
