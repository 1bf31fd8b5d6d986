package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
