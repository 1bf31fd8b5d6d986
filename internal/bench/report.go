package bench

import (
	"math"
	"slices"
	"sort"
	"time"
)

// Variant names, in the order the table lists them.
const (
	Ours   = "ours"
	Anchor = "anchor"
	Floor  = "floor"
)

// Targets the report evaluates.
const (
	TargetSpeedup       = 3.0 // apply and destroy at N=TargetSpeedupN: at least this many times faster than the anchor
	TargetSpeedupN      = 200
	TargetPlanVsFloor   = 1.5 // no-op plan at most this many times the floor's
	TargetRequestsPerNS = 2.0 // no-op plan (refresh) API requests per namespace
	TargetRSSMB         = 150.0
	TargetRSSPreferredN = 500
	DriftPercent        = 5
	NoopPlanRepeats     = 3
	PodSecurityEnforce  = "pod-security.kubernetes.io/enforce"
	DriftEnforceLevel   = "privileged"
	RequestsMetric      = "apiserver_request_total"
	RSSPollInterval     = 100 * time.Millisecond
	DefaultParallelism  = 10
	kbPerMB             = 1024.0
)

// Step is one timed terraform command.
type Step struct {
	Seconds  float64 `json:"seconds"`
	Requests float64 `json:"requests"`
	// ExitCode is terraform's exit code; plans run with -detailed-exitcode (0 no changes, 2 changes).
	ExitCode int `json:"exit_code"`
	// Summary is terraform's "Plan: ..." / "Apply complete! ..." / "No changes." line.
	Summary string `json:"summary,omitempty"`
	// PeakRSSKB is the largest VmRSS seen for the variant's provider process during the step.
	PeakRSSKB int64  `json:"peak_rss_kb"`
	Err       string `json:"error,omitempty"`
}

// Result is one variant at one N.
type Result struct {
	Variant string `json:"variant"`
	N       int    `json:"n"`
	// HasProvider is false for the floor: terraform_data runs inside Terraform core.
	HasProvider bool   `json:"has_provider"`
	Apply       *Step  `json:"apply,omitempty"`
	NoopPlans   []Step `json:"noop_plans,omitempty"`
	// DriftPlan is nil for the floor (nothing to drift); the table shows its no-op plan instead.
	DriftPlan  *Step   `json:"drift_plan,omitempty"`
	Drifted    int     `json:"drifted"`
	Destroy    *Step   `json:"destroy,omitempty"`
	LoadBefore float64 `json:"load_before"`
	LoadAfter  float64 `json:"load_after"`
	Err        string  `json:"error,omitempty"`
}

// NoopPlan returns the median no-op plan (by time; requests are their own median).
func (r Result) NoopPlan() *Step {
	if len(r.NoopPlans) == 0 {
		return nil
	}
	secs := make([]float64, 0, len(r.NoopPlans))
	reqs := make([]float64, 0, len(r.NoopPlans))
	var peak int64
	exit := 0
	for _, s := range r.NoopPlans {
		secs = append(secs, s.Seconds)
		reqs = append(reqs, s.Requests)
		peak = max(peak, s.PeakRSSKB)
		exit = max(exit, s.ExitCode)
	}
	return &Step{Seconds: Median(secs), Requests: Median(reqs), PeakRSSKB: peak, ExitCode: exit, Summary: r.NoopPlans[0].Summary}
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
	Date        time.Time `json:"date"`
	Machine     Machine   `json:"machine"`
	Sizes       []int     `json:"sizes"`
	Parallelism int       `json:"parallelism"`
	Results     []Result  `json:"results"`
	Notes       []string  `json:"notes,omitempty"`
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
