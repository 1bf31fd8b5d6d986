package bench

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestComparisons(t *testing.T) {
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		{"AtMost below", AtMost(1.99, 2), StatusMet},
		{"AtMost equal", AtMost(2, 2), StatusMet},
		{"AtMost above", AtMost(2.01, 2), StatusNotMet},
		{"AtLeast below", AtLeast(4.99, 5), StatusNotMet},
		{"AtLeast equal", AtLeast(5, 5), StatusMet},
		{"AtLeast above", AtLeast(5.01, 5), StatusMet},
		{"Below below", Below(7.99, 8), StatusMet},
		{"Below equal", Below(8, 8), StatusNotMet},
		{"Below above", Below(8.01, 8), StatusNotMet},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
}

// plan is a successful no-op plan.
func plan(secs, cpu, providerCPU, reqs float64) Step {
	return Step{Seconds: secs, CPUSeconds: cpu, ProviderCPUSeconds: providerCPU, ProviderCPUReaped: providerCPU,
		ProviderProcesses: 1, Requests: reqs, PeakRSSKB: 40 * 1024, Load1Before: 1.5, Load1After: 1.75}
}

// boundaryReport is a run at N=200 exactly on every limit, and at N=1000 exactly on the memory one.
func boundaryReport() Report {
	return Report{
		Sizes: []int{TargetN, LargeN}, Plans: 1, TargetN: TargetN, LargeN: LargeN, AnchorSkipped: []int{LargeN},
		Results: []Result{
			// 3 s = 2x the floor's 1.5 s and 1/5 of the anchor's 15 s; 400 requests = 2 per
			// namespace; 1.6 s provider CPU = 8 ms per namespace.
			{Variant: Ours, N: TargetN, HasProvider: true, NoopPlans: []Step{plan(3, 4, 1.6, 400)}},
			{Variant: Anchor, N: TargetN, HasProvider: true, NoopPlans: []Step{plan(15, 20, 12, 2400)}},
			{Variant: Floor, N: TargetN, NoopPlans: []Step{plan(1.5, 1.5, 0, 2)}},
			{Variant: Ours, N: LargeN, HasProvider: true, Apply: &Step{Seconds: 100, PeakRSSKB: 150 * 1024},
				NoopPlans: []Step{plan(12, 14, 6, 30)}},
			{Variant: Floor, N: LargeN, Apply: &Step{Seconds: 9}, NoopPlans: []Step{plan(6, 6, 0, 3)}},
		},
	}
}

func verdicts(rep Report) map[string]string {
	got := map[string]string{}
	for _, v := range Evaluate(rep) {
		got[v.Target] = v.Status + ": " + v.Detail
	}
	return got
}

const (
	tPlanFloor  = "N=200 no-op plan at most 2x the `terraform_data` floor"
	tPlanAnchor = "N=200 no-op plan at least 5x faster than hashicorp/kubernetes"
	tRequests   = "N=200 refresh at most 2 API requests per namespace (no-op plan requests / N)"
	tCPU        = "N=200 provider CPU per namespace per no-op plan < 8 ms"
	tRSS        = "N=1000 provider peak RSS < 150 MB"
	tLarge      = "N=1000 plan and apply times (one for_each)"
)

func checkVerdicts(t *testing.T, rep Report, want map[string]string) {
	t.Helper()
	got := verdicts(rep)
	if len(got) != 6 {
		t.Errorf("%d verdicts, want 6: %q", len(got), got)
	}
	for target, w := range want {
		if got[target] != w {
			t.Errorf("%s\n got %q\nwant %q", target, got[target], w)
		}
	}
}

func TestEvaluateAtTheLimits(t *testing.T) {
	checkVerdicts(t, boundaryReport(), map[string]string{
		tPlanFloor:  "met: ours 3.00 s, floor 1.50 s: 2.00x the floor (CPU: ours 4.00 s, floor 1.50 s)",
		tPlanAnchor: "met: ours 3.00 s, anchor 15.00 s: 5.00x faster (CPU: ours 4.00 s, anchor 20.00 s)",
		tRequests:   "met: 400 requests / 200 = 2.00 per namespace (anchor 12.00)",
		tCPU:        "NOT met: provider CPU 1.60 s / 200 = 8.00 ms per namespace (anchor 60.00 ms)",
		tRSS:        "NOT met: peak 150.0 MB over all steps",
		tLarge:      "reported: ours: apply 100.0 s, no-op plan 12.0 s; floor: apply 9.0 s, no-op plan 6.0 s; ours' no-op plan 2.00x the floor",
	})
}

func TestEvaluateJustAcrossTheLimits(t *testing.T) {
	rep := boundaryReport()
	ours := rep.Find(Ours, TargetN)
	ours.NoopPlans = []Step{plan(3.03, 4, 1.598, 401)}
	rep.Find(Ours, LargeN).Apply.PeakRSSKB = 150*1024 - 1
	checkVerdicts(t, rep, map[string]string{
		tPlanFloor:  "NOT met: ours 3.03 s, floor 1.50 s: 2.02x the floor (CPU: ours 4.00 s, floor 1.50 s)",
		tPlanAnchor: "NOT met: ours 3.03 s, anchor 15.00 s: 4.95x faster (CPU: ours 4.00 s, anchor 20.00 s)",
		tRequests:   "NOT met: 401 requests / 200 = 2.00 per namespace (anchor 12.00)",
		tCPU:        "met: provider CPU 1.60 s / 200 = 7.99 ms per namespace (anchor 60.00 ms)",
		tRSS:        "met: peak 150.0 MB over all steps",
	})
}

func TestEvaluateUsesTheMedianPlan(t *testing.T) {
	rep := boundaryReport()
	rep.Plans = 3
	// One slow outlier among three plans does not move the median.
	rep.Find(Ours, TargetN).NoopPlans = []Step{plan(2.9, 4, 1.5, 380), plan(30, 40, 15, 390), plan(2.8, 3.9, 1.4, 370)}
	got := verdicts(rep)
	if want := "met: ours 2.90 s, floor 1.50 s: 1.93x the floor (CPU: ours 4.00 s, floor 1.50 s)"; got[tPlanFloor] != want {
		t.Errorf("got %q, want %q", got[tPlanFloor], want)
	}
	if want := "met: provider CPU 1.50 s / 200 = 7.50 ms per namespace (anchor 60.00 ms)"; got[tCPU] != want {
		t.Errorf("got %q, want %q", got[tCPU], want)
	}
}

func TestEvaluateWithoutTheTargetSizes(t *testing.T) {
	rep := Report{Sizes: []int{50}, Plans: 1, Results: []Result{
		{Variant: Ours, N: 50, HasProvider: true, Apply: &Step{Seconds: 5, PeakRSSKB: 60 * 1024}, NoopPlans: []Step{plan(1, 1, 0.2, 10)}},
	}}
	checkVerdicts(t, rep, map[string]string{
		tPlanFloor:  "not evaluated: N=200 was not run",
		tPlanAnchor: "not evaluated: N=200 was not run",
		tRequests:   "not evaluated: N=200 was not run",
		tCPU:        "not evaluated: N=200 was not run",
		tRSS:        "not evaluated: N=1000 was not run (BENCH_LARGE=1 runs it); largest N run: N=50, peak 60.0 MB",
		tLarge:      "not evaluated: N=1000 was not run (BENCH_LARGE=1 runs it)",
	})
}

func TestEvaluateFailedPlans(t *testing.T) {
	rep := boundaryReport()
	rep.Find(Anchor, TargetN).NoopPlans = []Step{{Err: "terraform plan: exit status 1"}}
	got := verdicts(rep)
	if want := "not evaluated: anchor's no-op plans failed or did not run"; got[tPlanAnchor] != want {
		t.Errorf("got %q, want %q", got[tPlanAnchor], want)
	}
	if want := "met: 400 requests / 200 = 2.00 per namespace"; got[tRequests] != want {
		t.Errorf("got %q, want %q", got[tRequests], want)
	}
}

func sampleReport() Report {
	rep := boundaryReport()
	rep.Date = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	rep.Parallelism = 10
	rep.Plans = 3
	rep.Command = "make bench BENCH_LARGE=1"
	rep.Machine = Machine{CPUs: 2, MemTotal: "23.5 GiB", Kernel: "6.1.0", GoVersion: "go1.26.8 linux/amd64", TerraformVersion: "1.11.4",
		KubernetesVersion: "v1.37.2", OurVersion: "0.1.0", AnchorVersion: "3.2.1", LoadStart: "9.0 / 8.0 / 7.0", LoadEnd: "1 / 2 / 3", BackgroundRPS: 1.5}
	ours := rep.Find(Ours, TargetN)
	ours.Apply = &Step{Seconds: 20, CPUSeconds: 30, Requests: 2000, PeakRSSKB: 50 * 1024, Load1Before: 0.5, Load1After: 1.25}
	ours.NoopPlans = []Step{plan(3, 4, 1.2, 400), plan(2, 3, 1.0, 380), plan(4, 5, 1.4, 420)}
	ours.NoopPlans[2].CPUCheck = "rusage 5.00 s differs from terraform's /proc times 1.00 s + children 1.40 s"
	ours.DriftPlan = &Step{Seconds: 2.5, ExitCode: 2, Requests: 30, Summary: "Plan: 0 to add, 10 to change, 0 to destroy."}
	ours.Drifted = 10
	ours.Destroy = &Step{Seconds: 30, CPUSeconds: 20, Requests: 9000, PeakRSSKB: 60 * 1024}
	anchor := rep.Find(Anchor, TargetN)
	anchor.Apply = &Step{Seconds: 80, CPUSeconds: 90, Requests: 4000, PeakRSSKB: 100 * 1024}
	anchor.NoopPlans = []Step{plan(15, 20, 12, 2400), plan(16, 21, 13, 2400), plan(14, 19, 11, 2400)}
	anchor.DriftPlan = &Step{Seconds: 9, ExitCode: 2}
	anchor.Drifted = 10
	anchor.Destroy = &Step{Seconds: 214, CPUSeconds: 40, Requests: 12000}
	floor := rep.Find(Floor, TargetN)
	floor.Apply = &Step{Seconds: 1, CPUSeconds: 1.2, Requests: 5}
	floor.NoopPlans = []Step{plan(1.5, 1.5, 0, 2), plan(1, 1.2, 0, 1), plan(2, 2, 0, 3)}
	floor.Destroy = &Step{Seconds: 1, CPUSeconds: 1.1, Requests: 4}
	// The plugin floor: a provider that does nothing, nothing to drift.
	rep.Results = append(rep.Results, Result{Variant: Noop, N: TargetN, HasProvider: true,
		Apply:     &Step{Seconds: 2, CPUSeconds: 2.5, Requests: 3},
		NoopPlans: []Step{plan(2.4, 3.3, 0.9, 2), plan(2.2, 3.0, 0.8, 1), plan(2.6, 3.6, 1.0, 3)},
		Destroy:   &Step{Seconds: 2, CPUSeconds: 2.2, Requests: 2}})
	// The schema floor: ours' state copied, nothing applied or destroyed of its own.
	rep.Results = append(rep.Results, Result{Variant: Echo, N: TargetN, HasProvider: true, StateFrom: Ours,
		Apply:     &Step{Summary: "state copied from ours"},
		NoopPlans: []Step{plan(2.1, 3.1, 0.6, 1), plan(1.9, 2.9, 0.5, 2), plan(2, 3, 0.55, 1)}})
	// At N=1000 ours failed, so echo had no state to plan.
	rep.Results = append(rep.Results, Result{Variant: Echo, N: LargeN, HasProvider: true, StateFrom: Ours,
		Apply: &Step{Err: "ours was not applied"}, Err: "copying the state failed: ours was not applied"})
	large := rep.Find(Ours, LargeN)
	large.Err = "apply failed: boom"
	large.Apply = &Step{Seconds: 1, Err: "boom", PeakRSSKB: 150 * 1024}
	large.NoopPlans = nil
	large.Destroy = &Step{Seconds: 2, Requests: 10}
	return rep
}

func TestRender(t *testing.T) {
	md := Render(sampleReport())
	for _, want := range []string{
		"Generated by `make bench` on 2026-11-26 08:00 UTC.",
		"2 CPUs (`nproc`), 23.5 GiB memory (`/proc/meminfo` MemTotal), Linux 6.1.0",
		"Kubernetes (local control plane): v1.37.2",
		"- Command: `make bench BENCH_LARGE=1`",
		"**Other load may have been running.**",
		"3 rounds of no-op `plan`, interleaved: ours, anchor, echo, noop, floor, ours, anchor, echo, noop, floor",
		"(echo, noop and floor have nothing to drift",
		"- **echo**: ours' configuration and a copy of ours' state",
		"The anchor did not run at N=1000",
		"## N = 200",
		"### No-op plan (3 interleaved runs per variant)",
		"| variant | wall s (median of 3) | wall s min–max | CPU s | provider CPU s | provider CPU ms per namespace | API requests | requests per namespace |",
		// Each number is the median of its own: 3 s, 4 CPU s, 1.2 provider s = 6 ms, 400 requests.
		"| ours: `hardened_namespace` | 3.00 | 2.00–4.00 | 4.00 | 1.20 | 6.00 | 400 | 2.00 |",
		"| anchor: hashicorp/kubernetes | 15.0 | 14.0–16.0 | 20.00 | 12.00 | 60.00 | 2400 | 12.00 |",
		"| floor: `terraform_data` | 1.50 | 1.00–2.00 | 1.50 | n/a | n/a | 2 | 0.01 |",
		"| ours/anchor | 0.20x | — | 0.20x | 0.10x | 0.10x | 0.17x | 0.17x |",
		"| noop: a provider that does nothing | 2.40 | 2.20–2.60 | 3.30 | 0.90 | 4.50 | 2 | 0.01 |",
		"| ours/noop | 1.25x | — | 1.21x | 1.33x | 1.33x | — | — |",
		"| echo: ours' schema and state, no provider work | 2.00 | 1.90–2.10 | 3.00 | 0.55 | 2.75 | 1 | 0.01 |",
		"| ours/echo | 1.50x | — | 1.33x | 2.18x | 2.18x | — | — |",
		// echo applies and destroys nothing of its own: no numbers, no ratios.
		"| echo: ours' schema and state, no provider work | — | — | — | 2.00 (no-op) | 1 (no-op) | — | — | — | 40.0 |",
		"| ours/echo | — | — | — | — | — | — | — | — | 1.50x |",
		"| ours/floor | 2.00x | — | 2.67x | — | — | — | — |",
		"### Apply, plan after drift, destroy",
		"| noop: a provider that does nothing | 2.00 | 2.50 | 3 | 2.40 (no-op) | 2 (no-op) | 2.00 | 2.20 | 2 | 40.0 |",
		"| variant | apply s | apply CPU s | apply requests | drift plan s | drift plan requests | destroy s | destroy CPU s | destroy requests | peak provider RSS MB |",
		"| ours: `hardened_namespace` | 20.0 | 30.00 | 2000 | 2.50 | 30 | 30.0 | 20.00 | 9000 | 60.0 |",
		"| floor: `terraform_data` | 1.00 | 1.20 | 5 | 1.50 (no-op) | 2 (no-op) | 1.00 | 1.10 | 4 | n/a |",
		// No drift ratio against a variant that had nothing to drift.
		"| ours/floor | 20.00x | 25.00x | — | — | — | 30.00x | 18.18x | — | — |",
		"- **ours/anchor**, **ours/echo**, **ours/noop**, **ours/floor**: ours' number divided by the other's, from the same run; against the floor only for times and CPU, against echo and noop also for the provider process;",
		"ours: drift on 10 of 200 namespaces detected by the plan (Plan: 0 to add, 10 to change, 0 to destroy, 30 API requests)",
		"ours: CPU accounting: rusage 5.00 s differs",
		"| step | ours | anchor | echo | noop | floor |",
		"| apply | 0.50 → 1.25 | — | — |",
		"| no-op plan 3 | 1.50 → 1.75 | 1.50 → 1.75 | 1.50 → 1.75 |",
		"## N = 1000",
		"| ours: `hardened_namespace` | not run | — | not run | not run | not run | not run | not run |",
		"| ours: `hardened_namespace` | failed | failed | failed | not run | not run | 2.00 | 0.00 | 10 | 150.0 |",
		"ours: **failed**: apply failed: boom",
		"## Targets",
		"| N=200 no-op plan at most 2x the `terraform_data` floor | **met** | ours 3.00 s, floor 1.50 s: 2.00x the floor (CPU: ours 4.00 s, floor 1.50 s); ours' schema and state through a provider that does no work (echo): 2.00 s, 1.33x the floor (CPU 3.00 s, of which the provider 0.55 s); a provider that does nothing (noop): 2.40 s, 1.60x the floor (CPU 3.30 s) |",
		"| N=200 no-op plan at least 5x faster than hashicorp/kubernetes | **met** | ours 3.00 s, anchor 15.00 s: 5.00x faster",
		"| N=200 refresh at most 2 API requests per namespace (no-op plan requests / N) | **met** | 400 requests / 200 = 2.00 per namespace (anchor 12.00) |",
		"| N=200 provider CPU per namespace per no-op plan < 8 ms | **met** | provider CPU 1.20 s / 200 = 6.00 ms per namespace (anchor 60.00 ms) |",
		"| N=1000 provider peak RSS < 150 MB | **NOT met** | peak 150.0 MB over all steps |",
		"| N=1000 plan and apply times (one for_each) | reported | ours: apply failed, no-op plan failed; echo: not run (ours was not applied); floor: apply 9.0 s, no-op plan 6.0 s |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The anchor skipped N=1000: no row for it there, nor a ratio against it.
	if large := md[strings.Index(md, "## N = 1000"):]; strings.Contains(large, "anchor: hashicorp") || strings.Contains(large, "ours/anchor") {
		t.Errorf("N=1000 without the anchor shows it")
	}
	if t.Failed() {
		t.Log(md)
	}
}

func TestRenderOtherTargetSizes(t *testing.T) {
	rep := sampleReport()
	rep.TargetN, rep.LargeN = 20, 40
	if md := Render(rep); !strings.Contains(md, "Judged at N=20 and N=40 instead of the requirement's N=200 and N=1000") {
		t.Errorf("no warning about the sizes:\n%s", md)
	}
}

// TestRenderWithoutEcho re-renders a run from before echo existed: no echo rows, ratios or text.
func TestRenderWithoutEcho(t *testing.T) {
	rep := sampleReport()
	rep.Results = slices.DeleteFunc(rep.Results, func(r Result) bool { return r.Variant == Echo })
	md := Render(rep)
	for _, unwanted := range []string{"| echo:", "ours/echo", "**echo**", "anchor, echo", "echo, noop"} {
		if strings.Contains(md, unwanted) {
			t.Errorf("a report without echo shows %q", unwanted)
		}
	}
	for _, want := range []string{
		"3 rounds of no-op `plan`, interleaved: ours, anchor, noop, floor, ours, anchor, noop, floor",
		"(noop and floor have nothing to drift",
		"- **ours/anchor**, **ours/noop**, **ours/floor**: ours' number divided by the other's, from the same run; against the floor only for times and CPU, against noop also for the provider process;",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q", want)
		}
	}
}
