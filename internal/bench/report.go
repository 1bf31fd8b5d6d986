package bench

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
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

var variantLabels = map[string]string{
	Ours:   "ours: `hardened_namespace`",
	Anchor: "anchor: hashicorp/kubernetes",
	Floor:  "floor: `terraform_data`",
}

// column is one numeric table column. Step columns read a field of one step; the RSS column
// reads the whole variant.
type column struct {
	header   string
	step     func(Result) *Step
	requests bool
	rss      bool
}

// value returns the column's number for r, or the text to show instead ("failed", "not run", "n/a").
func (c column) value(r Result) (float64, string) {
	if c.rss {
		switch {
		case !r.HasProvider:
			return 0, "n/a"
		case r.PeakRSSKB() == 0:
			return 0, "—"
		}
		return float64(r.PeakRSSKB()) / kbPerMB, ""
	}
	s := c.step(r)
	switch {
	case s == nil && r.Err != "":
		return 0, "not run"
	case s == nil:
		return 0, "—"
	case s.Err != "":
		return 0, "failed"
	case c.requests:
		return s.Requests, ""
	}
	return s.Seconds, ""
}

func (c column) get(r Result) (float64, bool) {
	v, text := c.value(r)
	return v, text == ""
}

var columns = []column{
	{header: "apply s", step: func(r Result) *Step { return r.Apply }},
	{header: "apply requests", requests: true, step: func(r Result) *Step { return r.Apply }},
	{header: "no-op plan s (median of 3)", step: Result.NoopPlan},
	{header: "no-op plan requests", requests: true, step: Result.NoopPlan},
	{header: "drift plan s", step: func(r Result) *Step {
		if r.DriftPlan == nil && r.Variant == Floor {
			return r.NoopPlan()
		}
		return r.DriftPlan
	}},
	{header: "destroy s", step: func(r Result) *Step { return r.Destroy }},
	{header: "destroy requests", requests: true, step: func(r Result) *Step { return r.Destroy }},
	{header: "peak provider RSS MB", rss: true},
}

func formatValue(c column, v float64) string {
	switch {
	case c.requests:
		return fmt.Sprintf("%.0f", v)
	case c.rss:
		return fmt.Sprintf("%.1f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// Ratio formats a/b as "0.25x", or "—" when either is missing or b is zero.
func Ratio(a, b float64, okA, okB bool) string {
	if !okA || !okB || b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", a/b)
}

// Render returns the Markdown document.
func Render(rep Report) string {
	var b strings.Builder
	m := rep.Machine
	fmt.Fprintf(&b, "# Benchmarks\n\n")
	fmt.Fprintf(&b, "Generated by `make bench` on %s.\n\n", rep.Date.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- Machine: %d CPUs (`nproc`), %s memory (`/proc/meminfo` MemTotal)\n", m.CPUs, m.MemTotal)
	fmt.Fprintf(&b, "- Go: %s; Terraform: %s; Kubernetes (local control plane): %s\n", m.GoVersion, m.TerraformVersion, m.KubernetesVersion)
	fmt.Fprintf(&b, "- Providers: kubehardening/hardened %s", m.OurVersion)
	if m.Commit != "" {
		fmt.Fprintf(&b, " (built from %s)", m.Commit)
	}
	fmt.Fprintf(&b, "; hashicorp/kubernetes %s\n", m.AnchorVersion)
	fmt.Fprintf(&b, "- Load average (1/5/15 min): %s at the start, %s at the end\n\n", m.LoadStart, m.LoadEnd)
	fmt.Fprintf(&b, "> **Other load may have been running.** This machine has %d cores and was shared with other work "+
		"(builds and tests) during the run; the control plane, Terraform and the providers all compete for the same "+
		"CPUs, so CPU contention distorts the wall times, the absolute numbers are not reproducible, and "+
		"the ratios between variants measured in the same run are the more meaningful figures.\n\n", m.CPUs)

	b.WriteString("## What runs\n\n")
	b.WriteString("For each N, in one run against one local control plane (etcd, kube-apiserver, kube-controller-manager):\n\n")
	b.WriteString("- **ours**: one `hardened_namespace` block with `for_each` over N names, `environment = \"prod\"`, " +
		"`access = [{ role = \"edit\", groups = [\"team-x\"] }]`. Per namespace it writes the Namespace (Pod Security labels), " +
		"patches the `default` ServiceAccount (waiting for it to exist), and creates a ResourceQuota, a LimitRange, three " +
		"NetworkPolicies (default deny, allow DNS, allow same namespace) and a RoleBinding.\n")
	b.WriteString("- **anchor**: the same objects through hashicorp/kubernetes " + m.AnchorVersion + ": per namespace " +
		"`kubernetes_namespace_v1` (same labels), `kubernetes_resource_quota_v1`, `kubernetes_limit_range_v1`, " +
		"`kubernetes_network_policy_v1` x2 (default deny both directions; DNS egress to kube-system on UDP/TCP 53) and " +
		"`kubernetes_role_binding_v1`: 6 resources per namespace, `for_each` in each block, values equal to the prod preset. " +
		"It does less than ours (no allow-same-namespace policy, no ServiceAccount patch, no wait for the default ServiceAccount).\n")
	b.WriteString("- **floor**: N `terraform_data` instances: Terraform core alone, no provider process, no API server.\n\n")
	fmt.Fprintf(&b, "Steps: `terraform init` (offline, filesystem mirror, untimed), `apply` (timed), no-op `plan` x%d "+
		"(median), `plan` after drift (the `%s` label of %d%% of the namespaces set to `%s` through the admin client; "+
		"the floor has nothing to drift, so its column repeats its no-op plan), `destroy` (timed). All with "+
		"`-parallelism=%d` and `TF_IN_AUTOMATION=1`, each variant in a fresh working directory, both providers configured by "+
		"`KUBE_CONFIG_PATH`.\n\n", NoopPlanRepeats, PodSecurityEnforce, DriftPercent, DriftEnforceLevel, rep.Parallelism)
	fmt.Fprintf(&b, "- **s**: wall time of the terraform command, seconds.\n")
	fmt.Fprintf(&b, "- **requests**: the increase of `%s` (all samples summed) on the API server's `/metrics` across "+
		"the step. It counts every client, so it includes what the controller manager does in reaction (namespace "+
		"deletion alone lists every resource type in the namespace) and its background traffic, measured idle at "+
		"%.1f requests/s before the run; the floor's counts are that background and nothing else.\n", RequestsMetric, m.BackgroundRPS)
	fmt.Fprintf(&b, "- **peak provider RSS MB**: the largest VmRSS (MiB) of the provider plugin process (a child of "+
		"terraform running the provider binary), polled from /proc every %s across all steps.\n\n", RSSPollInterval)

	for _, n := range rep.Sizes {
		renderSize(&b, rep, n)
	}
	renderTargets(&b, rep)
	if len(rep.Notes) > 0 {
		b.WriteString("## Notes\n\n")
		for _, n := range rep.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func renderSize(b *strings.Builder, rep Report, n int) {
	fmt.Fprintf(b, "## N = %d\n\n", n)
	b.WriteString("| variant |")
	for _, c := range columns {
		fmt.Fprintf(b, " %s |", c.header)
	}
	b.WriteString("\n|---|")
	for range columns {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, v := range []string{Ours, Anchor, Floor} {
		r := rep.Find(v, n)
		fmt.Fprintf(b, "| %s |", variantLabels[v])
		for _, c := range columns {
			cell := "—"
			if r != nil {
				x, text := c.value(*r)
				cell = text
				if text == "" {
					cell = formatValue(c, x)
					if v == Floor && r.DriftPlan == nil && c.header == "drift plan s" {
						cell += " (no-op)"
					}
				}
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	ours := rep.Find(Ours, n)
	for _, other := range []string{Anchor, Floor} {
		o := rep.Find(other, n)
		fmt.Fprintf(b, "| ours/%s |", other)
		for _, c := range columns {
			cell := "—"
			// The floor has no provider and touches no API: its requests are background noise,
			// so a ratio against them means nothing.
			meaningless := other == Floor && (c.requests || c.rss)
			if ours != nil && o != nil && !meaningless {
				a, okA := c.get(*ours)
				d, okD := c.get(*o)
				cell = Ratio(a, d, okA, okD)
			}
			fmt.Fprintf(b, " %s |", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	var lines []string
	for _, v := range []string{Ours, Anchor, Floor} {
		r := rep.Find(v, n)
		if r == nil {
			continue
		}
		lines = append(lines, resultNotes(*r)...)
	}
	var loads []string
	for _, v := range []string{Ours, Anchor, Floor} {
		if r := rep.Find(v, n); r != nil && (r.LoadBefore > 0 || r.LoadAfter > 0) {
			loads = append(loads, fmt.Sprintf("%s %.2f → %.2f", v, r.LoadBefore, r.LoadAfter))
		}
	}
	if len(loads) > 0 {
		lines = append(lines, "1-minute load average before → after each variant (2 cores): "+strings.Join(loads, ", "))
	}
	for _, l := range lines {
		fmt.Fprintf(b, "- %s\n", l)
	}
	if len(lines) > 0 {
		b.WriteString("\n")
	}
}

// resultNotes explains a variant's run: drift detection, unexpected diffs, failures, load.
func resultNotes(r Result) []string {
	var out []string
	name := r.Variant
	if r.Err != "" {
		out = append(out, fmt.Sprintf("%s: **failed**: %s", name, oneLine(r.Err)))
	}
	for _, s := range r.steps() {
		if s.Err != "" && !strings.Contains(r.Err, s.Err) {
			out = append(out, fmt.Sprintf("%s: a step failed: %s", name, oneLine(s.Err)))
		}
	}
	for i, s := range r.NoopPlans {
		if s.Err == "" && s.ExitCode != 0 {
			out = append(out, fmt.Sprintf("%s: no-op plan %d was not empty (exit code %d: %s)", name, i+1, s.ExitCode, s.Summary))
		}
	}
	if d := r.DriftPlan; d != nil && d.Err == "" {
		verdict := "detected"
		if d.ExitCode != 2 {
			verdict = "**not detected**"
		}
		out = append(out, fmt.Sprintf("%s: drift on %d of %d namespaces %s by the plan (%s, %.0f API requests)",
			name, r.Drifted, r.N, verdict, strings.TrimSuffix(orNone(d.Summary), "."), d.Requests))
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "no summary line"
	}
	return s
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		s = s[:400] + "..."
	}
	return s
}

// Verdict is one evaluated target.
type Verdict struct {
	Target string
	// Status is "met", "not met" or "not evaluated".
	Status string
	Detail string
}

// Evaluate checks the targets against the results.
func Evaluate(rep Report) []Verdict {
	var out []Verdict
	for _, step := range []struct {
		name string
		get  func(Result) *Step
	}{{"apply", func(r Result) *Step { return r.Apply }}, {"destroy", func(r Result) *Step { return r.Destroy }}} {
		v := Verdict{Target: fmt.Sprintf("N=%d %s at least %.0fx faster than the anchor", TargetSpeedupN, step.name, TargetSpeedup)}
		ours, anchor := rep.Find(Ours, TargetSpeedupN), rep.Find(Anchor, TargetSpeedupN)
		switch {
		case ours == nil || anchor == nil:
			v.Status, v.Detail = "not evaluated", fmt.Sprintf("N=%d was not run", TargetSpeedupN)
		default:
			o, a := step.get(*ours), step.get(*anchor)
			if o == nil || a == nil || o.Err != "" || a.Err != "" || o.Seconds == 0 {
				v.Status, v.Detail = "not evaluated", "a "+step.name+" failed or did not run"
				break
			}
			speedup := a.Seconds / o.Seconds
			v.Status = metIf(speedup >= TargetSpeedup)
			v.Detail = fmt.Sprintf("ours %.1f s, anchor %.1f s: %.2fx faster", o.Seconds, a.Seconds, speedup)
		}
		out = append(out, v)
	}

	plan := Verdict{Target: fmt.Sprintf("no-op plan within %.1fx of the floor", TargetPlanVsFloor)}
	reqs := Verdict{Target: fmt.Sprintf("refresh costs at most %.0f API requests per namespace (no-op plan requests / N)", TargetRequestsPerNS)}
	var planDetails, reqDetails []string
	planOK, reqOK, planAny, reqAny := true, true, false, false
	for _, n := range rep.Sizes {
		ours, floor := rep.Find(Ours, n), rep.Find(Floor, n)
		if ours == nil {
			continue
		}
		op := ours.NoopPlan()
		if op == nil || op.Err != "" {
			continue
		}
		reqAny = true
		perNS := op.Requests / float64(n)
		reqOK = reqOK && perNS <= TargetRequestsPerNS
		reqDetails = append(reqDetails, fmt.Sprintf("N=%d: %.0f requests = %.2f per namespace", n, op.Requests, perNS))
		if floor == nil {
			continue
		}
		fp := floor.NoopPlan()
		if fp == nil || fp.Err != "" || fp.Seconds == 0 {
			continue
		}
		planAny = true
		ratio := op.Seconds / fp.Seconds
		planOK = planOK && ratio <= TargetPlanVsFloor
		planDetails = append(planDetails, fmt.Sprintf("N=%d: ours %.2f s, floor %.2f s = %.2fx", n, op.Seconds, fp.Seconds, ratio))
	}
	plan.Status, plan.Detail = statusOf(planAny, planOK), detailsOf(planDetails)
	reqs.Status, reqs.Detail = statusOf(reqAny, reqOK), detailsOf(reqDetails)
	out = append(out, plan, reqs)

	rss := Verdict{Target: fmt.Sprintf("provider RSS under %.0f MB (at N=%d when run, else the largest N run)", TargetRSSMB, TargetRSSPreferredN)}
	n := 0
	if slices.Contains(rep.Sizes, TargetRSSPreferredN) {
		n = TargetRSSPreferredN
	} else if len(rep.Sizes) > 0 {
		n = slices.Max(rep.Sizes)
	}
	if r := rep.Find(Ours, n); r != nil && r.PeakRSSKB() > 0 {
		mb := float64(r.PeakRSSKB()) / kbPerMB
		rss.Status = metIf(mb < TargetRSSMB)
		rss.Detail = fmt.Sprintf("N=%d: peak %.1f MB", n, mb)
		if a := rep.Find(Anchor, n); a != nil && a.PeakRSSKB() > 0 {
			rss.Detail += fmt.Sprintf(" (anchor %.1f MB)", float64(a.PeakRSSKB())/kbPerMB)
		}
		if n != TargetRSSPreferredN {
			rss.Detail += fmt.Sprintf("; N=%d was not run (BENCH_LARGE=1)", TargetRSSPreferredN)
		}
	} else {
		rss.Status, rss.Detail = "not evaluated", "no provider RSS was measured"
	}
	return append(out, rss)
}

func metIf(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

func statusOf(measured, ok bool) string {
	if !measured {
		return "not evaluated"
	}
	return metIf(ok)
}

func detailsOf(d []string) string {
	if len(d) == 0 {
		return "no successful run to measure"
	}
	return strings.Join(d, "; ")
}

func renderTargets(b *strings.Builder, rep Report) {
	b.WriteString("## Targets\n\n")
	b.WriteString("| target | status | numbers |\n|---|---|---|\n")
	for _, v := range Evaluate(rep) {
		status := v.Status
		if status == "met" || status == "not met" {
			status = "**" + status + "**"
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", v.Target, status, v.Detail)
	}
	b.WriteString("\n")
}
