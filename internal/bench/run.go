package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// API is what the runner needs from the control plane: an admin HTTPS client and its address.
type API struct {
	Host   string
	Client *http.Client
}

// Requests returns the current sum of apiserver_request_total.
func (a API) Requests(ctx context.Context) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.Host+"/metrics", nil)
	if err != nil {
		return 0, err
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	sum, samples, err := SumMetric(resp.Body, RequestsMetric)
	if err != nil {
		return 0, fmt.Errorf("parsing /metrics: %w", err)
	}
	if samples == 0 {
		return 0, fmt.Errorf("/metrics has no %s samples", RequestsMetric)
	}
	return sum, nil
}

// SetEnforce sets the pod-security enforce label of a namespace, as someone with kubectl would.
func (a API) SetEnforce(ctx context.Context, namespace, level string) error {
	body := fmt.Sprintf(`{"metadata":{"labels":{%q:%q}}}`, PodSecurityEnforce, level)
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, a.Host+"/api/v1/namespaces/"+url.PathEscape(namespace), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/merge-patch+json")
	resp, err := a.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("PATCH namespace %s: %s: %s", namespace, resp.Status, b)
	}
	return nil
}

// BackgroundRate measures requests per second over d with nothing of ours running.
func (a API) BackgroundRate(ctx context.Context, d time.Duration) (float64, error) {
	before, err := a.Requests(ctx)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-time.After(d):
	}
	after, err := a.Requests(ctx)
	if err != nil {
		return 0, err
	}
	return (after - before) / time.Since(start).Seconds(), nil
}

// Runner runs the terraform steps of each variant.
type Runner struct {
	API         API
	Terraform   string
	CLIConfig   string
	Kubeconfig  string
	WorkRoot    string
	Parallelism int
	Log         io.Writer
}

// Env is the environment terraform runs with: the caller's, minus anything that would point the
// providers or the CLI elsewhere, plus the offline CLI config and the admin kubeconfig.
func (r *Runner) Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "KUBE_") || strings.HasPrefix(k, "TF_") || k == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+r.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"KUBE_CONFIG_PATH="+r.Kubeconfig,
	)
}

var summaryRE = regexp.MustCompile(`(?m)^(Plan: \d+ to add, \d+ to change, \d+ to destroy\.|No changes\..*|Apply complete!.*|Destroy complete!.*)$`)

// Run measures one terraform command in dir: wall time, CPU (terraform with its plugins, and the
// plugins alone), API requests, the provider's peak RSS and the load average around it.
func (r *Runner) Run(ctx context.Context, dir, providerBinary string, args ...string) (s Step) {
	s.Load1Before = load1()
	defer func() { s.Load1After = load1() }()
	before, err := r.API.Requests(ctx)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, r.Terraform, args...)
	cmd.Dir = dir
	cmd.Env = r.Env()
	cmd.Stdout = &out
	cmd.Stderr = &out
	// Interrupted: let terraform stop its providers and release state instead of killing it.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 60 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		s.Err = err.Error()
		return s
	}
	var mon *ProcMonitor
	if providerBinary != "" {
		mon = StartProcMonitor(cmd.Process.Pid, providerBinary, ProcPollInterval)
	}
	// Terraform's final CPU times, and its reaped children's, are readable between its exit and
	// the Wait that reaps it.
	var exited *ProcStat
	if waitExited(cmd.Process.Pid) == nil {
		if st, err := readStat(cmd.Process.Pid); err == nil && st.State == 'Z' {
			exited = &st
		}
	}
	var seen MonitorResult
	if mon != nil {
		seen = mon.Stop()
	}
	waitErr := cmd.Wait()
	elapsed := time.Since(start)
	s.Seconds = elapsed.Seconds()
	s.PeakRSSKB, s.ProviderProcesses = seen.PeakRSSKB, seen.Processes
	cpu := AccountCPU(CPUSources{
		RusageSeconds: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(),
		Exited:        exited, PolledTicks: seen.CPUTicks, HasProvider: providerBinary != "",
	})
	s.CPUSeconds, s.TerraformCPUSeconds, s.ProviderCPUSeconds = cpu.Total, cpu.Terraform, cpu.Provider
	s.ProviderCPUReaped, s.ProviderCPUPolled, s.CPUCheck = cpu.Reaped, cpu.Polled, cpu.Check
	after, err := r.API.Requests(context.WithoutCancel(ctx))
	if err == nil {
		s.Requests = after - before
	}
	if m := summaryRE.FindAllString(out.String(), -1); len(m) > 0 {
		s.Summary = strings.TrimSpace(m[len(m)-1])
	}
	logPath := filepath.Join(dir, "terraform-"+args[0]+".log")
	_ = appendFile(logPath, fmt.Sprintf("$ terraform %s\n%s\n[%.2f s, CPU %.2f s (terraform %.2f s, provider %.2f s reaped, %.2f s polled), exit %v]\n\n",
		strings.Join(args, " "), out.String(), elapsed.Seconds(), cpu.Total, cpu.Terraform, cpu.Reaped, cpu.Polled, waitErr))
	var exitErr *exec.ExitError
	switch {
	case waitErr == nil:
	case errors.As(waitErr, &exitErr):
		s.ExitCode = exitErr.ExitCode()
	default:
		s.ExitCode = -1
	}
	// -detailed-exitcode: a plan with changes exits 2 and is not a failure.
	planWithChanges := args[0] == "plan" && s.ExitCode == 2
	if waitErr != nil && !planWithChanges {
		s.Err = fmt.Sprintf("terraform %s: %v: %s (full output in %s)", args[0], waitErr, lastLines(out.String(), 12), logPath)
	}
	if err != nil && s.Err == "" {
		s.Err = err.Error()
	}
	fmt.Fprintf(r.Log, "bench:   terraform %-7s %7.2f s  CPU %6.2f s (terraform %5.2f + provider %5.2f)  %6.0f requests  peak RSS %6.1f MB  %s\n",
		args[0], s.Seconds, s.CPUSeconds, s.TerraformCPUSeconds, s.ProviderCPUSeconds, s.Requests, float64(s.PeakRSSKB)/kbPerMB, firstNonEmpty(s.Summary, s.Err))
	if s.CPUCheck != "" {
		fmt.Fprintf(r.Log, "bench:   CPU accounting: %s\n", s.CPUCheck)
	}
	return s
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(text)
	return err
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// lastLines keeps the end of terraform's output, where its error is, without the box drawing.
func lastLines(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(l, "│╷╵ "))
		if l != "" {
			keep = append(keep, l)
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, " / ")
}

// variantRun is one variant's working state during RunSize.
type variantRun struct {
	cfg   Config
	dir   string
	ready bool // initialised: its destroy runs whatever happens after
}

func (v *variantRun) applied(res *Result) bool {
	return v.ready && res.Apply != nil && res.Apply.Err == ""
}

// RunSize runs the variants at one N in the order Schedule gives: each is initialised (untimed)
// in a fresh folder, applied, planned round after round interleaved with the others, drifted and
// planned again, and destroyed. A variant whose apply failed is skipped until its destroy, which
// removes whatever was created so the next size starts clean; an interrupted run skips to the
// destroys. save is called with the results so far after every step.
func (r *Runner) RunSize(ctx context.Context, cfgs []Config, plans int, save func([]Result)) []Result {
	results := make([]Result, len(cfgs))
	runs := make([]*variantRun, len(cfgs))
	index := map[string]int{}
	var names, drifting []string
	for i, c := range cfgs {
		results[i] = Result{Variant: c.Variant, N: c.N, HasProvider: c.ProviderBinary != "", StateFrom: c.StateFrom}
		runs[i] = &variantRun{cfg: c, dir: filepath.Join(r.WorkRoot, fmt.Sprintf("%s-%d", c.Variant, c.N))}
		index[c.Variant] = i
		names = append(names, c.Variant)
		if len(DriftTargets(c.Namespaces)) > 0 {
			drifting = append(drifting, c.Variant)
		}
		if err := r.prepare(ctx, runs[i]); err != nil {
			results[i].Err = err.Error()
		}
	}
	save(results)
	par := "-parallelism=" + strconv.Itoa(r.Parallelism)
	n := 0
	if len(cfgs) > 0 {
		n = cfgs[0].N
	}
	for _, a := range Schedule(names, drifting, plans) {
		i := index[a.Variant]
		v, res := runs[i], &results[i]
		if !v.ready || (ctx.Err() != nil && a.Kind != ActDestroy) {
			continue
		}
		if a.Kind != ActApply && a.Kind != ActDestroy && !v.applied(res) {
			continue
		}
		fmt.Fprintf(r.Log, "bench: N=%d %s\n", n, a)
		if v.cfg.StateFrom != "" && (a.Kind == ActApply || a.Kind == ActDestroy) {
			// A variant planning another's state has nothing of its own to apply or destroy.
			if a.Kind == ActApply {
				res.Apply = ptr(copyState(runs, index, results, v))
				if res.Apply.Err != "" {
					res.Err = "copying the state failed: " + res.Apply.Err
				}
			} else if err := os.Remove(filepath.Join(v.dir, stateFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
				res.Err = strings.TrimPrefix(res.Err+"; ", "; ") + "removing the copied state: " + err.Error()
			}
			save(results)
			continue
		}
		switch a.Kind {
		case ActApply:
			res.Apply = ptr(r.Run(ctx, v.dir, v.cfg.ProviderBinary, "apply", "-input=false", "-no-color", "-auto-approve", par))
			if res.Apply.Err != "" {
				res.Err = "apply failed: " + res.Apply.Err
			}
		case ActNoopPlan:
			res.NoopPlans = append(res.NoopPlans, r.Run(ctx, v.dir, v.cfg.ProviderBinary, "plan", "-input=false", "-no-color", "-detailed-exitcode", par))
		case ActDrift:
			targets := DriftTargets(v.cfg.Namespaces)
			for _, ns := range targets {
				if err := r.API.SetEnforce(ctx, ns, DriftEnforceLevel); err != nil {
					res.DriftPlan = &Step{Err: "drifting: " + err.Error()}
					break
				}
			}
			if res.DriftPlan == nil {
				res.Drifted = len(targets)
				fmt.Fprintf(r.Log, "bench:   drifted %s on %d namespaces\n", PodSecurityEnforce, len(targets))
			}
		case ActDriftPlan:
			if res.Drifted > 0 && res.DriftPlan == nil {
				res.DriftPlan = ptr(r.Run(ctx, v.dir, v.cfg.ProviderBinary, "plan", "-input=false", "-no-color", "-detailed-exitcode", par))
			}
		case ActDestroy:
			res.Destroy = ptr(r.Run(context.WithoutCancel(ctx), v.dir, v.cfg.ProviderBinary, "destroy", "-input=false", "-no-color", "-auto-approve", par))
			if res.Destroy.Err != "" && res.Err == "" {
				res.Err = "destroy failed: " + res.Destroy.Err
			}
		}
		save(results)
	}
	return results
}

const stateFile = "terraform.tfstate"

// copyState gives v the state of the variant it plans (v.cfg.StateFrom), rewritten for v's
// provider: its resources of that variant's type become v's, e.g. hardened_namespace →
// echo_namespace. The step it returns is untimed; it fails when the source's apply did.
func copyState(runs []*variantRun, index map[string]int, results []Result, v *variantRun) Step {
	i, ok := index[v.cfg.StateFrom]
	if !ok || !runs[i].applied(&results[i]) {
		return Step{Err: v.cfg.StateFrom + " was not applied"}
	}
	b, err := os.ReadFile(filepath.Join(runs[i].dir, stateFile))
	if err != nil {
		return Step{Err: err.Error()}
	}
	out, err := RetargetState(b, runs[i].cfg.Provider, v.cfg.Provider)
	if err != nil {
		return Step{Err: err.Error()}
	}
	if err := os.WriteFile(filepath.Join(v.dir, stateFile), out, 0o644); err != nil {
		return Step{Err: err.Error()}
	}
	return Step{Summary: "state copied from " + v.cfg.StateFrom}
}

// RetargetState rewrites a Terraform state's managed resources of provider kubehardening/<from>
// for kubehardening/<to>: the resource type prefix and the provider address. Everything else,
// attributes and numbers included, is kept as it is.
func RetargetState(state []byte, from, to string) ([]byte, error) {
	var s map[string]any
	dec := json.NewDecoder(bytes.NewReader(state))
	dec.UseNumber()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("reading the state: %w", err)
	}
	resources, _ := s["resources"].([]any)
	moved := 0
	for _, r := range resources {
		res, _ := r.(map[string]any)
		typ, _ := res["type"].(string)
		rest, ok := strings.CutPrefix(typ, from+"_")
		if !ok || res["mode"] != "managed" || res["provider"] != providerAddress(from) {
			continue
		}
		res["type"] = to + "_" + rest
		res["provider"] = providerAddress(to)
		moved++
	}
	if moved == 0 {
		return nil, fmt.Errorf("the state has no resources of kubehardening/%s", from)
	}
	return json.MarshalIndent(s, "", "  ")
}

// providerAddress is how a state names a kubehardening provider.
func providerAddress(name string) string {
	return fmt.Sprintf(`provider["registry.terraform.io/kubehardening/%s"]`, name)
}

// prepare writes the variant's configuration into a fresh folder and runs terraform init.
func (r *Runner) prepare(ctx context.Context, v *variantRun) error {
	if err := os.RemoveAll(v.dir); err != nil {
		return err
	}
	if err := os.MkdirAll(v.dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(v.dir, "main.tf"), []byte(v.cfg.HCL), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(r.Log, "bench: N=%d init %s\n", v.cfg.N, v.cfg.Variant)
	if s := r.Run(ctx, v.dir, "", "init", "-input=false", "-no-color"); s.Err != "" {
		return fmt.Errorf("init failed: %s", s.Err)
	}
	v.ready = true
	return nil
}

func ptr[T any](v T) *T { return &v }

func load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

// LoadAvg returns the 1, 5 and 15 minute load averages as written in /proc/loadavg.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " / ")
}
