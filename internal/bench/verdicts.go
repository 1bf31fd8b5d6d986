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

// Verdict statuses.
const (
	StatusMet          = "met"
	StatusNotMet       = "NOT met"
	StatusNotEvaluated = "not evaluated"
	// StatusReported marks a line that reports numbers the requirement asks for without a limit.
	StatusReported = "reported"
)

// Verdict is one evaluated target.
type Verdict struct {
	Target string
	Status string
	Detail string
}

// AtMost is met when v <= limit.
func AtMost(v, limit float64) string { return metIf(v <= limit) }

// AtLeast is met when v >= limit.
func AtLeast(v, limit float64) string { return metIf(v >= limit) }

// Below is met when v < limit.
func Below(v, limit float64) string { return metIf(v < limit) }

func metIf(ok bool) string {
	if ok {
		return StatusMet
	}
	return StatusNotMet
}

// targetSizes returns the sizes the targets are judged at: the report's, or the requirement's.
func (rep Report) targetSizes() (target, large int) {
	target, large = rep.TargetN, rep.LargeN
	if target == 0 {
		target = TargetN
	}
	if large == 0 {
		large = LargeN
	}
	return target, large
}

// noopPlan returns the median no-op plan of a variant at n, or why there is none.
func (rep Report) noopPlan(variant string, n int) (*Step, string) {
	r := rep.Find(variant, n)
	switch {
	case r == nil && variant == Anchor && slices.Contains(rep.AnchorSkipped, n):
		return nil, fmt.Sprintf("the anchor did not run at N=%d", n)
	case r == nil:
		return nil, fmt.Sprintf("N=%d was not run", n)
	}
	p := r.NoopPlan()
	if p == nil || p.Err != "" || p.Seconds == 0 {
		return nil, fmt.Sprintf("%s's no-op plans failed or did not run", variant)
	}
	return p, ""
}

// Evaluate checks the targets against the results.
func Evaluate(rep Report) []Verdict {
	tn, ln := rep.targetSizes()
	ours, whyOurs := rep.noopPlan(Ours, tn)
	floor, whyFloor := rep.noopPlan(Floor, tn)
	anchor, whyAnchor := rep.noopPlan(Anchor, tn)
	var out []Verdict

	v := Verdict{Target: fmt.Sprintf("N=%d no-op plan at most %gx the `terraform_data` floor", tn, TargetPlanVsFloor)}
	if why := firstNonEmpty(whyOurs, whyFloor); why != "" {
		v.Status, v.Detail = StatusNotEvaluated, why
	} else {
		ratio := ours.Seconds / floor.Seconds
		v.Status = AtMost(ratio, TargetPlanVsFloor)
		v.Detail = fmt.Sprintf("ours %.2f s, floor %.2f s: %.2fx the floor (CPU: ours %.2f s, floor %.2f s)",
			ours.Seconds, floor.Seconds, ratio, ours.CPUSeconds, floor.CPUSeconds)
		if echo, why := rep.noopPlan(Echo, tn); why == "" {
			v.Detail += fmt.Sprintf("; ours' schema and state through a provider that does no work (echo): %.2f s, %.2fx the floor (CPU %.2f s, of which the provider %.2f s)",
				echo.Seconds, echo.Seconds/floor.Seconds, echo.CPUSeconds, echo.ProviderCPUSeconds)
		}
		if noop, why := rep.noopPlan(Noop, tn); why == "" {
			v.Detail += fmt.Sprintf("; a provider that does nothing (noop): %.2f s, %.2fx the floor (CPU %.2f s)",
				noop.Seconds, noop.Seconds/floor.Seconds, noop.CPUSeconds)
		}
	}
	out = append(out, v)

	v = Verdict{Target: fmt.Sprintf("N=%d no-op plan at least %gx faster than hashicorp/kubernetes", tn, TargetPlanSpeedup)}
	if why := firstNonEmpty(whyOurs, whyAnchor); why != "" {
		v.Status, v.Detail = StatusNotEvaluated, why
	} else {
		speedup := anchor.Seconds / ours.Seconds
		v.Status = AtLeast(speedup, TargetPlanSpeedup)
		v.Detail = fmt.Sprintf("ours %.2f s, anchor %.2f s: %.2fx faster (CPU: ours %.2f s, anchor %.2f s)",
			ours.Seconds, anchor.Seconds, speedup, ours.CPUSeconds, anchor.CPUSeconds)
	}
	out = append(out, v)

	v = Verdict{Target: fmt.Sprintf("N=%d refresh at most %g API requests per namespace (no-op plan requests / N)", tn, TargetRequestsPerNS)}
	if whyOurs != "" {
		v.Status, v.Detail = StatusNotEvaluated, whyOurs
	} else {
		perNS := ours.Requests / float64(tn)
		v.Status = AtMost(perNS, TargetRequestsPerNS)
		v.Detail = fmt.Sprintf("%.0f requests / %d = %.2f per namespace", ours.Requests, tn, perNS)
		if anchor != nil {
			v.Detail += fmt.Sprintf(" (anchor %.2f)", anchor.Requests/float64(tn))
		}
	}
	out = append(out, v)

	v = Verdict{Target: fmt.Sprintf("N=%d provider CPU per namespace per no-op plan < %g ms", tn, TargetProviderCPUMsPerNS)}
	switch {
	case whyOurs != "":
		v.Status, v.Detail = StatusNotEvaluated, whyOurs
	case ours.ProviderProcesses == 0 && ours.ProviderCPUReaped == 0:
		v.Status, v.Detail = StatusNotEvaluated, "no provider process was seen"
	default:
		ms := ProviderCPUMsPerNS(*ours, tn)
		v.Status = Below(ms, TargetProviderCPUMsPerNS)
		v.Detail = fmt.Sprintf("provider CPU %.2f s / %d = %.2f ms per namespace", ours.ProviderCPUSeconds, tn, ms)
		if anchor != nil {
			v.Detail += fmt.Sprintf(" (anchor %.2f ms)", ProviderCPUMsPerNS(*anchor, tn))
		}
	}
	out = append(out, v)

	return append(out, rssVerdict(rep, ln), timesVerdict(rep, ln))
}

// rssVerdict judges the provider's peak memory at the large N.
func rssVerdict(rep Report, ln int) Verdict {
	v := Verdict{Target: fmt.Sprintf("N=%d provider peak RSS < %g MB", ln, TargetRSSMB)}
	if r := rep.Find(Ours, ln); r != nil && r.PeakRSSKB() > 0 {
		mb := float64(r.PeakRSSKB()) / kbPerMB
		v.Status = Below(mb, TargetRSSMB)
		v.Detail = fmt.Sprintf("peak %.1f MB over all steps", mb)
		if a := rep.Find(Anchor, ln); a != nil && a.PeakRSSKB() > 0 {
			v.Detail += fmt.Sprintf(" (anchor %.1f MB)", float64(a.PeakRSSKB())/kbPerMB)
		}
	} else {
		v.Status = StatusNotEvaluated
		v.Detail = fmt.Sprintf("N=%d was not run (BENCH_LARGE=1 runs it)", ln)
		if r != nil {
			v.Detail = "no provider RSS was measured"
		}
		if n, peak := rep.largestRSS(); n > 0 && r == nil {
			v.Detail += fmt.Sprintf("; largest N run: N=%d, peak %.1f MB", n, peak)
		}
	}
	return v
}

// timesVerdict reports every variant's plan and apply times at the large N.
func timesVerdict(rep Report, ln int) Verdict {
	v := Verdict{Target: fmt.Sprintf("N=%d plan and apply times (one for_each)", ln), Status: StatusReported}
	var parts []string
	for _, name := range Variants {
		r := rep.Find(name, ln)
		if r == nil {
			continue
		}
		apply, plan := "apply failed, ", "failed"
		switch {
		case r.StateFrom != "" && r.Apply != nil && r.Apply.Err == "":
			apply = "" // it plans a copy of another's state
		case r.StateFrom != "":
			parts = append(parts, fmt.Sprintf("%s: not run (%s was not applied)", name, r.StateFrom))
			continue
		case r.Apply != nil && r.Apply.Err == "":
			apply = fmt.Sprintf("apply %.1f s, ", r.Apply.Seconds)
		}
		if p := r.NoopPlan(); p != nil && p.Err == "" {
			plan = fmt.Sprintf("%.1f s", p.Seconds)
		}
		parts = append(parts, fmt.Sprintf("%s: %sno-op plan %s", name, apply, plan))
	}
	if len(parts) == 0 {
		v.Status, v.Detail = StatusNotEvaluated, fmt.Sprintf("N=%d was not run (BENCH_LARGE=1 runs it)", ln)
	} else {
		if o, f := rep.Find(Ours, ln), rep.Find(Floor, ln); o != nil && f != nil {
			op, fp := o.NoopPlan(), f.NoopPlan()
			if op != nil && fp != nil && op.Err == "" && fp.Err == "" && fp.Seconds > 0 {
				parts = append(parts, fmt.Sprintf("ours' no-op plan %.2fx the floor", op.Seconds/fp.Seconds))
			}
		}
		v.Detail = strings.Join(parts, "; ")
	}
	return v
}

// ProviderCPUMsPerNS is a step's provider CPU per namespace, milliseconds.
func ProviderCPUMsPerNS(s Step, n int) float64 {
	if n == 0 {
		return 0
	}
	return s.ProviderCPUSeconds * 1000 / float64(n)
}

func (rep Report) largestRSS() (n int, mb float64) {
	for _, r := range rep.Results {
		if r.Variant == Ours && r.PeakRSSKB() > 0 && r.N > n {
			n, mb = r.N, float64(r.PeakRSSKB())/kbPerMB
		}
	}
	return n, mb
}
