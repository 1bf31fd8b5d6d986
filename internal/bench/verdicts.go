package bench

import (
	"fmt"
	"slices"
	"strings"
)

// Ratio formats a/b as "0.25x", or "—" when either is missing or b is zero.
func Ratio(a, b float64, okA, okB bool) string {
	if !okA || !okB || b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2fx", a/b)
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
