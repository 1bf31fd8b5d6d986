package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kubehardening/terraform-provider-hardened/internal/bench"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := testcluster.RepoRoot()
	if err != nil {
		return err
	}
	sizesFlag := flag.String("sizes", "50,200", "comma-separated values of N")
	plans := flag.Int("plans", bench.DefaultPlans, "no-op plans per variant and N, interleaved across the variants")
	large := flag.Bool("large", os.Getenv("BENCH_LARGE") == "1", "also run the large N (-large-n) for every variant but the anchor (default from BENCH_LARGE=1)")
	largeAnchor := flag.Bool("large-anchor", os.Getenv("BENCH_LARGE_ANCHOR") == "1", "run the anchor at the large N too; it takes very long (default from BENCH_LARGE_ANCHOR=1)")
	largeN := flag.Int("large-n", bench.LargeN, "the large N: memory is judged there; the anchor skips it and larger sizes unless -large-anchor")
	targetN := flag.Int("target-n", bench.TargetN, "the N the plan, request and CPU targets are judged at")
	out := flag.String("out", filepath.Join(root, "docs", "benchmarks.md"), "Markdown file to write")
	provider := flag.String("provider", filepath.Join(root, "bin", "terraform-provider-hardened"), "our provider binary (make build)")
	version := flag.String("version", "0.1.0", "version our provider is installed as in the mirror")
	work := flag.String("work", filepath.Join(root, ".cache", "bench"), "working folder (mirror, CLI config, one folder per variant)")
	parallelism := flag.Int("parallelism", bench.DefaultParallelism, "terraform -parallelism")
	k8sVersion := flag.String("k8s-version", os.Getenv("HARDENED_TEST_K8S_VERSION"), "Kubernetes release of the local control plane")
	rtt := flag.Duration("rtt", bench.DefaultRTT, "round trip a delaying proxy adds for the latency section (0: skip it)")
	latencyN := flag.Int("latency-n", bench.LatencyN, "the N ours and the anchor run at through the delaying proxy (also run on loopback)")
	render := flag.String("render", "", "measure nothing: write -out again from this results.json of an earlier run (after a change to the report's layout)")
	flag.Parse()
	if *render != "" {
		return rerender(*render, *out)
	}

	// terraform runs inside the variant folders: every path handed to it must be absolute.
	for _, p := range []*string{work, out, provider} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	if *plans < 1 || *largeN < 1 || *targetN < 1 {
		return fmt.Errorf("-plans, -large-n and -target-n must be positive")
	}
	sizes, err := runSizes(*sizesFlag, *large, *largeN, *rtt, *latencyN)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := os.Stderr

	tf, err := exec.LookPath("terraform")
	if err != nil {
		return fmt.Errorf("the benchmark drives the terraform CLI and none is on PATH: %w", err)
	}
	if _, err := os.Stat(*provider); err != nil {
		return fmt.Errorf("our provider binary (run `make build` first): %w", err)
	}
	cliConfig, err := prepareMirror(ctx, root, *work, *provider, *version, log)
	if err != nil {
		return err
	}

	rep := bench.Report{Date: time.Now(), Sizes: sizes, Parallelism: *parallelism, Plans: *plans,
		TargetN: *targetN, LargeN: *largeN, Command: command(*large, *largeAnchor)}
	rep.Machine = machine(ctx, tf, root, *version)

	fmt.Fprintf(log, "bench: starting the local control plane\n")
	c, api, err := startCluster(ctx, *k8sVersion, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := c.Stop(); err != nil {
			fmt.Fprintln(log, "bench: stopping the control plane:", err)
		}
	}()
	rep.Machine.KubernetesVersion = serverVersion(ctx, api, c.Version)

	rep.Machine.BackgroundRPS = backgroundRate(ctx, api, log)

	runner := &bench.Runner{API: api, Terraform: tf, CLIConfig: cliConfig, Kubeconfig: c.AdminKubeconfig,
		WorkRoot: *work, Parallelism: *parallelism, Log: log}
	started := time.Now()
	var saveErr error
	save := func() {
		// Written after every step: an interrupted run still leaves what it measured.
		if err := write(*out, *work, rep); err != nil && saveErr == nil {
			saveErr = err
			fmt.Fprintln(log, "bench: writing the results:", err)
		}
	}
	if err := measure(ctx, runner, c, &rep, sizeRun{sizes: sizes, plans: *plans, largeN: *largeN, largeAnchor: *largeAnchor,
		rtt: *rtt, latencyN: *latencyN, version: *version}, save); err != nil {
		return err
	}
	rep.Machine.LoadEnd = bench.LoadAvg()
	if ctx.Err() != nil {
		rep.Notes = append(rep.Notes, "The run was interrupted; sizes or variants without numbers did not run.")
	}
	rep.Notes = append(rep.Notes, rawNumbersNote(root, *work, *plans, time.Since(started)))
	if err := write(*out, *work, rep); err != nil {
		return err
	}
	fmt.Fprintf(log, "bench: wrote %s\n", *out)
	return ctx.Err()
}

// command is the make invocation that repeats this run: make's own flags are left out, any
// other flag set goes into BENCHARGS.
func command(large, largeAnchor bool) string {
	cmd := "make bench"
	if large {
		cmd += " BENCH_LARGE=1"
	}
	if largeAnchor {
		cmd += " BENCH_LARGE_ANCHOR=1"
	}
	var args []string
	flag.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "version", "provider", "work", "out", "large", "large-anchor":
			return
		}
		args = append(args, "-"+f.Name+" "+f.Value.String())
	})
	if len(args) > 0 {
		cmd += " BENCHARGS='" + strings.Join(args, " ") + "'"
	}
	return cmd
}

func write(out, work string, rep bench.Report) error {
	if rep.Machine.LoadEnd == "" {
		rep.Machine.LoadEnd = bench.LoadAvg() + " (run still going)"
	}
	if err := os.WriteFile(out, []byte(bench.Render(rep)), 0o644); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(work, "results.json"), b, 0o644)
}

// rerender writes the Markdown of an earlier run's results again, with the current layout.
func rerender(results, out string) error {
	b, err := os.ReadFile(results)
	if err != nil {
		return err
	}
	var rep bench.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("%s: %w", results, err)
	}
	return os.WriteFile(out, []byte(bench.Render(rep)), 0o644)
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive number", f)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-sizes: no sizes")
	}
	return out, nil
}

// machine describes the computer, the tools and the build the benchmark runs with.
func machine(ctx context.Context, tf, root, version string) bench.Machine {
	m := bench.Machine{CPUs: runtime.NumCPU(), MemTotal: "unknown", GoVersion: "unknown", TerraformVersion: "unknown"}
	if out, err := exec.CommandContext(ctx, "nproc").Output(); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(out))); err == nil {
			m.CPUs = n
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				f := strings.Fields(rest)
				if len(f) == 0 {
					break
				}
				if kb, err := strconv.ParseFloat(f[0], 64); err == nil {
					m.MemTotal = fmt.Sprintf("%.1f GiB (%s kB)", kb/1024/1024, f[0])
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.GoVersion = strings.TrimPrefix(strings.TrimSpace(string(out)), "go version ")
	}
	cmd := exec.CommandContext(ctx, tf, "version", "-json")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	if out, err := cmd.Output(); err == nil {
		var v struct {
			TerraformVersion string `json:"terraform_version"`
		}
		if json.Unmarshal(out, &v) == nil && v.TerraformVersion != "" {
			m.TerraformVersion = v.TerraformVersion
		}
	}
	m.OurVersion = version
	m.AnchorVersion = testcluster.AnchorVersion + " (built from " + testcluster.AnchorModuleVersion + ")"
	m.Commit = commit(ctx, root)
	m.LoadStart = bench.LoadAvg()
	return m
}

func serverVersion(ctx context.Context, api bench.API, fallback string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api.Host+"/version", nil)
	if err != nil {
		return fallback
	}
	resp, err := api.Client.Do(req)
	if err != nil {
		return fallback
	}
	defer resp.Body.Close()
	var v struct {
		GitVersion string `json:"gitVersion"`
	}
	b, _ := io.ReadAll(resp.Body)
	if json.Unmarshal(b, &v) != nil || v.GitVersion == "" {
		return fallback
	}
	return v.GitVersion
}

func commit(ctx context.Context, root string) string {
	cmd := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return "git " + strings.TrimSpace(string(out))
}

// runLatency runs ours and the anchor at n through a proxy adding rtt to every round trip, with
// namespaces of their own (the loopback run's may still be terminating).
func runLatency(ctx context.Context, loopback *bench.Runner, c *testcluster.Cluster, rep *bench.Report, rtt time.Duration, n, plans int, version string, save func()) error {
	host := strings.TrimPrefix(c.Host, "https://")
	proxy, err := bench.StartDelayProxy(ctx, host, rtt)
	if err != nil {
		return err
	}
	defer proxy.Stop()
	kc, err := os.ReadFile(c.AdminKubeconfig)
	if err != nil {
		return err
	}
	work := filepath.Join(loopback.WorkRoot, "latency")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	far := filepath.Join(work, "kubeconfig")
	if err := os.WriteFile(far, []byte(strings.ReplaceAll(string(kc), c.Host, "https://"+proxy.Addr())), 0o600); err != nil {
		return err
	}
	runner := *loopback
	runner.Kubeconfig, runner.WorkRoot = far, work
	anchorCfg, err := bench.AnchorConfig(n, testcluster.AnchorVersion)
	if err != nil {
		return err
	}
	cfgs := []bench.Config{bench.Renamed(bench.OursConfig(n, version), "far"), bench.Renamed(anchorCfg, "far")}
	rep.RTT, rep.LatencyN = rtt, n
	fmt.Fprintf(loopback.Log, "bench: N=%d through a proxy adding %s per round trip\n", n, rtt)
	runner.RunSize(ctx, cfgs, plans, func(rs []bench.Result) {
		rep.Latency = rs
		save()
	})
	return nil
}

// prepareMirror puts snapshots of the provider binaries into a private filesystem mirror (so a
// rebuild of bin/ by someone else during the run changes nothing) and writes the CLI config that
// installs from it; it returns that config's path.
func prepareMirror(ctx context.Context, root, work, provider, version string, log io.Writer) (string, error) {
	cache, err := testcluster.CacheDir()
	if err != nil {
		return "", err
	}
	anchorBin, err := testcluster.EnsureAnchor(ctx, cache, log)
	if err != nil {
		return "", fmt.Errorf("building the anchor provider hashicorp/kubernetes: %w", err)
	}

	// A private mirror and CLI config: snapshots of the provider binaries, so a rebuild of bin/ by
	// someone else during the run changes nothing.
	if err := os.MkdirAll(work, 0o755); err != nil {
		return "", err
	}
	mirror := filepath.Join(work, "mirror")
	if err := os.RemoveAll(mirror); err != nil {
		return "", err
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	if err := testcluster.CopyExecutable(provider, testcluster.MirrorPath(mirror, "kubehardening", "hardened", version, platform)); err != nil {
		return "", err
	}
	if err := testcluster.CopyExecutable(anchorBin, testcluster.MirrorPath(mirror, "hashicorp", "kubernetes", testcluster.AnchorVersion, platform)); err != nil {
		return "", err
	}
	// The plugin floor and the schema floor are built from this repository into the mirror directly.
	for _, p := range []struct{ name, version string }{{"noop", bench.NoopVersion}, {"echo", bench.EchoVersion}} {
		build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o",
			testcluster.MirrorPath(mirror, "kubehardening", p.name, p.version, platform), "./internal/bench/cmd/"+p.name+"-provider")
		build.Dir, build.Env = root, append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			return "", fmt.Errorf("building the %s provider: %w\n%s", p.name, err, out)
		}
	}
	cliConfig := filepath.Join(work, "terraformrc")
	if err := os.WriteFile(cliConfig, []byte(testcluster.CLIConfig(mirror)), 0o644); err != nil {
		return "", err
	}
	return cliConfig, nil
}

// sizeRun is what measure runs.
type sizeRun struct {
	sizes         []int
	plans, largeN int
	largeAnchor   bool
	rtt           time.Duration
	latencyN      int
	version       string
}

// measure runs every variant at every size, then the latency section and the destroy study,
// calling save after every step.
func measure(ctx context.Context, runner *bench.Runner, c *testcluster.Cluster, rep *bench.Report, r sizeRun, save func()) error {
	for _, n := range r.sizes {
		if ctx.Err() != nil {
			break
		}
		cfgs := []bench.Config{bench.OursConfig(n, r.version)}
		if n < r.largeN || r.largeAnchor {
			anchorCfg, err := bench.AnchorConfig(n, testcluster.AnchorVersion)
			if err != nil {
				return err
			}
			cfgs = append(cfgs, anchorCfg)
		} else {
			rep.AnchorSkipped = append(rep.AnchorSkipped, n)
		}
		cfgs = append(cfgs, bench.EchoConfig(n), bench.NoopConfig(n), bench.FloorConfig(n))
		base := len(rep.Results)
		runner.RunSize(ctx, cfgs, r.plans, func(rs []bench.Result) {
			rep.Results = append(rep.Results[:base], rs...)
			save()
		})
	}
	if r.rtt > 0 && ctx.Err() == nil {
		if err := runLatency(ctx, runner, c, rep, r.rtt, r.latencyN, r.plans, r.version, save); err != nil {
			rep.Notes = append(rep.Notes, "The latency section did not run: "+err.Error())
		}
	}
	if r.rtt > 0 && ctx.Err() == nil {
		study := runner.StudyDestroy(ctx, bench.Renamed(bench.OursConfig(r.latencyN, r.version), "study"))
		rep.Destroy = &study
		save()
	}
	return nil
}

// runSizes are the N to run: the -sizes list, the large N with -large, and the latency section's
// N (its loopback numbers are what the delayed ones are read against).
func runSizes(list string, large bool, largeN int, rtt time.Duration, latencyN int) ([]int, error) {
	sizes, err := parseSizes(list)
	if err != nil {
		return nil, err
	}
	if large && !slices.Contains(sizes, largeN) {
		sizes = append(sizes, largeN)
	}
	if rtt > 0 && !slices.Contains(sizes, latencyN) {
		sizes = append(sizes, latencyN)
	}
	slices.Sort(sizes)
	return sizes, nil
}

// backgroundRate lets the controller manager settle after start-up, then measures its idle
// request rate (0 when it cannot).
func backgroundRate(ctx context.Context, api bench.API, log io.Writer) float64 {
	time.Sleep(5 * time.Second)
	rate, err := api.BackgroundRate(ctx, 10*time.Second)
	if err != nil {
		return 0
	}
	fmt.Fprintf(log, "bench: background API traffic %.1f requests/s\n", rate)
	return rate
}

// rawNumbersNote says how long the run took and where its raw numbers are.
func rawNumbersNote(root, work string, plans int, took time.Duration) string {
	shown := work
	if rel, err := filepath.Rel(root, work); err == nil && !strings.HasPrefix(rel, "..") {
		shown = rel
	}
	return fmt.Sprintf("The whole run took %s. Raw numbers, including each of the %d no-op plans and the CPU sources of every step: `%s`; terraform output: `%s`.",
		took.Round(time.Second), plans, filepath.Join(shown, "results.json"), filepath.Join(shown, "<variant>-<N>", "terraform-*.log"))
}

// startCluster starts the local control plane and a client of its API that counts requests.
func startCluster(ctx context.Context, version string, log io.Writer) (*testcluster.Cluster, bench.API, error) {
	c, err := testcluster.Start(ctx, testcluster.Options{Version: version, Log: log})
	if err != nil {
		return nil, bench.API{}, err
	}
	client, err := c.HTTPClient()
	if err != nil {
		_ = c.Stop()
		return nil, bench.API{}, err
	}
	client.Timeout = 30 * time.Second
	return c, bench.API{Host: c.Host, Client: client}, nil
}
