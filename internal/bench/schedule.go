package bench

import "fmt"

// Kinds of Action.
const (
	ActApply     = "apply"
	ActNoopPlan  = "no-op plan"
	ActDrift     = "drift"
	ActDriftPlan = "drift plan"
	ActDestroy   = "destroy"
)

// Action is one step of a size's run: a terraform command of one variant, or drifting its
// namespaces through the admin client.
type Action struct {
	Kind    string
	Variant string
	// Round numbers the interleaved no-op plans from 1; 0 for every other kind.
	Round int
}

func (a Action) String() string {
	if a.Round > 0 {
		return fmt.Sprintf("%s %d %s", a.Kind, a.Round, a.Variant)
	}
	return a.Kind + " " + a.Variant
}

// Schedule returns the order of one size's steps. Every variant's objects exist side by side from
// its apply until its destroy, so the repeated no-op plans can be interleaved: round after round,
// each variant plans once, always in the same order (A, B, C, A, B, C, ...), and load from outside
// the benchmark hits every variant alike instead of whichever happened to run during it.
//
//	applies (A, B, C) → plans rounds of no-op plans (A, B, C) → drift of the variants in drifting →
//	their plans after drift → destroys (A, B, C)
func Schedule(variants, drifting []string, plans int) []Action {
	var out []Action
	for _, v := range variants {
		out = append(out, Action{Kind: ActApply, Variant: v})
	}
	for round := 1; round <= plans; round++ {
		for _, v := range variants {
			out = append(out, Action{Kind: ActNoopPlan, Variant: v, Round: round})
		}
	}
	for _, kind := range []string{ActDrift, ActDriftPlan} {
		for _, v := range variants {
			for _, d := range drifting {
				if d == v {
					out = append(out, Action{Kind: kind, Variant: v})
				}
			}
		}
	}
	for _, v := range variants {
		out = append(out, Action{Kind: ActDestroy, Variant: v})
	}
	return out
}
