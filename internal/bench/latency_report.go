package bench

import (
	"fmt"
	"strings"
	"time"
)

// Latency targets: at LatencyN through a proxy adding DefaultRTT to every round trip.
const (
	DefaultRTT               = 30 * time.Millisecond
	LatencyN                 = 100
	LatencyApplyRatio        = 6.0
	LatencyPlanRatio         = 8.0
	LatencyMaxRoundTripsPerN = 6.0
)

// SequentialRoundTrips estimates how many round trips of one namespace's apply wait on each
// other: the time the added latency cost, per namespace Terraform works on at once, in round
// trips. Work that overlaps costs one round trip however many requests it makes; so does the
// time Terraform itself spends per namespace, which is why it is measured against loopback.
func SequentialRoundTrips(loopback, far *Step, n, parallelism int, rtt time.Duration) (float64, bool) {
	if loopback == nil || far == nil || loopback.Err != "" || far.Err != "" || n <= 0 || rtt <= 0 {
		return 0, false
	}
	waves := float64(n) / float64(min(parallelism, n))
	return (far.Seconds - loopback.Seconds) / waves / rtt.Seconds(), true
}

// FindLatency returns a variant's result through the proxy.
func (rep Report) FindLatency(variant string) *Result {
	for i := range rep.Latency {
		if rep.Latency[i].Variant == variant {
			return &rep.Latency[i]
		}
	}
	return nil
}

type latencyRow struct {
	what        string
	ours, their func(r *Result) *Step
}

var latencyRows = []latencyRow{
	{"apply", func(r *Result) *Step { return r.Apply }, func(r *Result) *Step { return r.Apply }},
	{"no-op plan (median)", func(r *Result) *Step { return r.NoopPlan() }, func(r *Result) *Step { return r.NoopPlan() }},
	{"destroy", func(r *Result) *Step { return r.Destroy }, func(r *Result) *Step { return r.Destroy }},
}

func stepSeconds(r *Result, get func(*Result) *Step) (float64, bool) {
	if r == nil {
		return 0, false
	}
	s := get(r)
	if s == nil || s.Err != "" {
		return 0, false
	}
	return s.Seconds, true
}

// LatencyVerdicts judges the latency targets.
func LatencyVerdicts(rep Report) []Verdict {
	if rep.RTT == 0 {
		return nil
	}
	n, rtt := rep.LatencyN, rep.RTT
	ours, anchor := rep.FindLatency(Ours), rep.FindLatency(Anchor)
	var out []Verdict
	for _, t := range []struct {
		row   latencyRow
		ratio float64
	}{{latencyRows[0], LatencyApplyRatio}, {latencyRows[1], LatencyPlanRatio}} {
		target := fmt.Sprintf("N=%d at %s round trip: %s at least %.0fx faster than hashicorp/kubernetes", n, rtt, t.row.what, t.ratio)
		o, okO := stepSeconds(ours, t.row.ours)
		a, okA := stepSeconds(anchor, t.row.their)
		if !okO || !okA || o == 0 {
			out = append(out, Verdict{Target: target, Status: StatusNotEvaluated, Detail: "a step failed or did not run"})
			continue
		}
		out = append(out, Verdict{Target: target, Status: AtLeast(a/o, t.ratio),
			Detail: fmt.Sprintf("%.2f s vs %.2f s: %.1fx", o, a, a/o)})
	}
	target := fmt.Sprintf("N=%d at %s round trip: apply of one namespace in at most %.0f sequential round trips", n, rtt, LatencyMaxRoundTripsPerN)
	var loop *Step
	if r := rep.Find(Ours, n); r != nil {
		loop = r.Apply
	}
	var far *Step
	if ours != nil {
		far = ours.Apply
	}
	if k, ok := SequentialRoundTrips(loop, far, n, rep.Parallelism, rtt); ok {
		detail := fmt.Sprintf("%.1f (apply %.2f s through the proxy, %.2f s on loopback, -parallelism=%d)", k, far.Seconds, loop.Seconds, rep.Parallelism)
		if k < 1 {
			// Requests that overlap with CPU work cost nothing extra: the apply is CPU-bound here.
			detail = fmt.Sprintf("under 1: the delayed apply took %.2f s, the loopback one %.2f s; what latency costs is "+
				"within the run-to-run noise of an apply limited by CPU (-parallelism=%d)", far.Seconds, loop.Seconds, rep.Parallelism)
		}
		out = append(out, Verdict{Target: target, Status: AtMost(k, LatencyMaxRoundTripsPerN), Detail: detail})
	} else {
		out = append(out, Verdict{Target: target, Status: StatusNotEvaluated, Detail: "an apply failed or did not run at this N on loopback"})
	}
	return out
}

// renderLatency writes the section comparing loopback with the delayed round trips.
func renderLatency(b *strings.Builder, rep Report) {
	if rep.RTT == 0 {
		return
	}
	n := rep.LatencyN
	fmt.Fprintf(b, "## Latency: N = %d, %s round trip\n\n", n, rep.RTT)
	fmt.Fprintf(b, "Runners reach managed clusters over a network. Here every byte between Terraform's providers and the "+
		"API server passes a proxy on loopback that delays it by half of %s each way, and each new connection by %s "+
		"(the TCP handshake); the same configurations as on loopback, `-parallelism=%d`. Seconds of wall time.\n\n",
		rep.RTT, rep.RTT, rep.Parallelism)
	b.WriteString("| step | ours, loopback | anchor, loopback | ratio | ours, delayed | anchor, delayed | ratio |\n|---|---:|---:|---:|---:|---:|---:|\n")
	cell := func(v float64, ok bool) string {
		if !ok {
			return "—"
		}
		return fmt.Sprintf("%.2f", v)
	}
	for _, row := range latencyRows {
		ol, okOL := stepSeconds(rep.Find(Ours, n), row.ours)
		al, okAL := stepSeconds(rep.Find(Anchor, n), row.their)
		od, okOD := stepSeconds(rep.FindLatency(Ours), row.ours)
		ad, okAD := stepSeconds(rep.FindLatency(Anchor), row.their)
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", row.what, cell(ol, okOL), cell(al, okAL), Ratio(al, ol, okAL, okOL),
			cell(od, okOD), cell(ad, okAD), Ratio(ad, od, okAD, okOD))
	}
	b.WriteString("\nRatios are the anchor's time over ours.\n\n")
	b.WriteString("| target | status | detail |\n|---|---|---|\n")
	for _, v := range LatencyVerdicts(rep) {
		fmt.Fprintf(b, "| %s | %s | %s |\n", v.Target, v.Status, v.Detail)
	}
	b.WriteString("\n")
	notes := false
	for _, r := range rep.Latency {
		for _, note := range resultNotes(r) {
			fmt.Fprintf(b, "- %s, delayed: %s\n", r.Variant, note)
			notes = true
		}
	}
	if notes {
		b.WriteString("\n")
	}
}
