package bench

import (
	"math"
	"slices"
	"sort"
	"time"
)

// Variant names, in the order the tables list them and the interleaved steps run them.
const (
	Ours   = "ours"
	Anchor = "anchor"
	Echo   = "echo"
	Noop   = "noop"
	Floor  = "floor"
)

// Variants is the order of the variants in every table and in every round of interleaved steps.
// Echo plans a copy of ours' state, so it comes after ours.
var Variants = []string{Ours, Anchor, Echo, Noop, Floor}

// nothingToDrift says a variant makes no cluster objects: its plan after drift is its no-op plan.
func nothingToDrift(variant string) bool {
	return variant == Echo || variant == Noop || variant == Floor
}

// Targets the report judges: the product requirement, at TargetN (the no-op plan, its requests
// and its CPU) and at LargeN (memory).
const (
	TargetN                  = 200
	TargetPlanVsFloor        = 2.0   // ours' no-op plan at most this many times the floor's
	TargetPlanSpeedup        = 5.0   // ours' no-op plan at least this many times faster than the anchor's
	TargetRequestsPerNS      = 2.0   // no-op plan (refresh) API requests per namespace, at most
	TargetProviderCPUMsPerNS = 8.0   // provider CPU per namespace per no-op plan, ms, below
	LargeN                   = 1000  // the size at which memory is judged (one for_each)
	TargetRSSMB              = 150.0 // provider peak RSS at LargeN, MB, below
)

// How a run is made.
const (
	DriftPercent       = 5
	DefaultPlans       = 5 // no-op plans per variant, interleaved
	PodSecurityEnforce = "pod-security.kubernetes.io/enforce"
	DriftEnforceLevel  = "privileged"
	RequestsMetric     = "apiserver_request_total"
	ProcPollInterval   = 100 * time.Millisecond
	DefaultParallelism = 10
	kbPerMB            = 1024.0
)

// Step is one timed terraform command.
type Step struct {
	Seconds float64 `json:"seconds"`
	// CPUSeconds is user+system CPU of terraform and every descendant it waited for (the provider
	// plugins): the rusage wait4 reports for the terraform process.
	CPUSeconds float64 `json:"cpu_seconds"`
	// TerraformCPUSeconds is terraform's own user+system CPU, read from its /proc/<pid>/stat once
	// it has exited and before it is reaped (0 when that read failed).
	TerraformCPUSeconds float64 `json:"terraform_cpu_seconds"`
	// ProviderCPUSeconds is the provider plugins' user+system CPU (see ProviderCPU).
	ProviderCPUSeconds float64 `json:"provider_cpu_seconds"`
	// ProviderCPUReaped is the CPU of the children terraform reaped (cutime+cstime of its zombie's
	// /proc/<pid>/stat); ProviderCPUPolled sums the last utime+stime polled of each provider process.
	ProviderCPUReaped float64 `json:"provider_cpu_reaped_seconds"`
	ProviderCPUPolled float64 `json:"provider_cpu_polled_seconds"`
	ProviderProcesses int     `json:"provider_processes"`
	Requests          float64 `json:"requests"`
	// ExitCode is terraform's exit code; plans run with -detailed-exitcode (0 no changes, 2 changes).
	ExitCode int `json:"exit_code"`
	// Summary is terraform's "Plan: ..." / "Apply complete! ..." / "No changes." line.
	Summary string `json:"summary,omitempty"`
	// PeakRSSKB is the largest VmRSS seen for the variant's provider process during the step.
	PeakRSSKB int64 `json:"peak_rss_kb"`
	// Load1Before and Load1After are the 1-minute load average just before and after the command.
	Load1Before float64 `json:"load1_before"`
	Load1After  float64 `json:"load1_after"`
	// CPUCheck says why the CPU numbers do not add up, when they do not (see CheckCPU).
	CPUCheck string `json:"cpu_check,omitempty"`
	Err      string `json:"error,omitempty"`
}

// Result is one variant at one N.
type Result struct {
	Variant string `json:"variant"`
	N       int    `json:"n"`
	// HasProvider is false for the floor: terraform_data runs inside Terraform core.
	HasProvider bool `json:"has_provider"`
	// StateFrom names the variant whose state this one plans instead of applying its own (echo:
	// ours). Its apply copies that state, untimed; its destroy removes the copy.
	StateFrom string `json:"state_from,omitempty"`
	Apply     *Step  `json:"apply,omitempty"`
	NoopPlans []Step `json:"noop_plans,omitempty"`
	// DriftPlan is nil for the variants with nothing to drift (echo, noop, the floor); the table
	// shows their no-op plan instead.
	DriftPlan *Step  `json:"drift_plan,omitempty"`
	Drifted   int    `json:"drifted"`
	Destroy   *Step  `json:"destroy,omitempty"`
	Err       string `json:"error,omitempty"`
}

// NoopPlan returns the median no-op plan: each number is the median of its own across the
// plans (so the wall time and the CPU may come from different plans); the peak RSS is the largest.
func (r Result) NoopPlan() *Step {
	var ok []Step
	for _, s := range r.NoopPlans {
		if s.Err == "" {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		if len(r.NoopPlans) > 0 {
			return &Step{Err: r.NoopPlans[0].Err}
		}
		return nil
	}
	med := func(f func(Step) float64) float64 {
		xs := make([]float64, 0, len(ok))
		for _, s := range ok {
			xs = append(xs, f(s))
		}
		return Median(xs)
	}
	out := &Step{
		Seconds:             med(func(s Step) float64 { return s.Seconds }),
		CPUSeconds:          med(func(s Step) float64 { return s.CPUSeconds }),
		TerraformCPUSeconds: med(func(s Step) float64 { return s.TerraformCPUSeconds }),
		ProviderCPUSeconds:  med(func(s Step) float64 { return s.ProviderCPUSeconds }),
		ProviderCPUReaped:   med(func(s Step) float64 { return s.ProviderCPUReaped }),
		ProviderCPUPolled:   med(func(s Step) float64 { return s.ProviderCPUPolled }),
		Requests:            med(func(s Step) float64 { return s.Requests }),
		Summary:             ok[0].Summary,
	}
	for _, s := range ok {
		out.PeakRSSKB = max(out.PeakRSSKB, s.PeakRSSKB)
		out.ExitCode = max(out.ExitCode, s.ExitCode)
		out.ProviderProcesses = max(out.ProviderProcesses, s.ProviderProcesses)
	}
	return out
}

// NoopPlanRange returns the fastest and slowest successful no-op plan, seconds.
func (r Result) NoopPlanRange() (lo, hi float64, ok bool) {
	for _, s := range r.NoopPlans {
		if s.Err != "" {
			continue
		}
		if !ok {
			lo, hi, ok = s.Seconds, s.Seconds, true
			continue
		}
		lo, hi = min(lo, s.Seconds), max(hi, s.Seconds)
	}
	return lo, hi, ok
}

// PeakRSSKB is the largest provider VmRSS over every step of the variant (0 when none ran).
func (r Result) PeakRSSKB() int64 {
	var peak int64
	for _, s := range r.steps() {
		peak = max(peak, s.PeakRSSKB)
	}
	return peak
}

func (r Result) steps() []*Step {
	out := []*Step{r.Apply}
	for i := range r.NoopPlans {
		out = append(out, &r.NoopPlans[i])
	}
	out = append(out, r.DriftPlan, r.Destroy)
	return slices.DeleteFunc(out, func(s *Step) bool { return s == nil })
}

// Median of xs (the mean of the middle two for an even count); NaN for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Machine describes where the numbers were taken.
type Machine struct {
	CPUs              int     `json:"cpus"`
	MemTotal          string  `json:"mem_total"`
	Kernel            string  `json:"kernel,omitempty"`
	GoVersion         string  `json:"go_version"`
	TerraformVersion  string  `json:"terraform_version"`
	KubernetesVersion string  `json:"kubernetes_version"`
	OurVersion        string  `json:"our_version"`
	AnchorVersion     string  `json:"anchor_version"`
	Commit            string  `json:"commit"`
	LoadStart         string  `json:"load_start"`
	LoadEnd           string  `json:"load_end"`
	BackgroundRPS     float64 `json:"background_requests_per_second"`
}

// Report is everything docs/benchmarks.md shows.
type Report struct {
	Date    time.Time `json:"date"`
	Machine Machine   `json:"machine"`
	// Command is how the run was started, for the reader who wants to repeat it.
	Command     string `json:"command,omitempty"`
	Sizes       []int  `json:"sizes"`
	Parallelism int    `json:"parallelism"`
	// Plans is the number of interleaved no-op plans per variant.
	Plans int `json:"plans"`
	// TargetN and LargeN are the sizes the targets are judged at (normally the constants).
	TargetN int `json:"target_n"`
	LargeN  int `json:"large_n"`
	// AnchorSkipped lists the sizes the anchor did not run at.
	AnchorSkipped []int    `json:"anchor_skipped,omitempty"`
	Results       []Result `json:"results"`
	// RTT is the round trip a delaying proxy added to every request of Latency: ours and the
	// anchor at LatencyN (also measured on loopback, in Results). Zero: not measured.
	RTT      time.Duration `json:"rtt,omitempty"`
	LatencyN int           `json:"latency_n,omitempty"`
	Latency  []Result      `json:"latency,omitempty"`
	// Destroy is the destroy study at LatencyN (nil: not run).
	Destroy *DestroyStudy `json:"destroy,omitempty"`
	Notes   []string      `json:"notes,omitempty"`
}

// Find returns the result for a variant at n.
func (rep Report) Find(variant string, n int) *Result {
	for i := range rep.Results {
		if rep.Results[i].Variant == variant && rep.Results[i].N == n {
			return &rep.Results[i]
		}
	}
	return nil
}
