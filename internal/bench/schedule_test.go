package bench

import (
	"slices"
	"testing"
)

func TestScheduleInterleavesThePlans(t *testing.T) {
	got := Schedule(Variants, []string{Ours, Anchor}, 3)
	var names []string
	for _, a := range got {
		names = append(names, a.String())
	}
	want := []string{
		"apply ours", "apply anchor", "apply echo", "apply noop", "apply floor",
		"no-op plan 1 ours", "no-op plan 1 anchor", "no-op plan 1 echo", "no-op plan 1 noop", "no-op plan 1 floor",
		"no-op plan 2 ours", "no-op plan 2 anchor", "no-op plan 2 echo", "no-op plan 2 noop", "no-op plan 2 floor",
		"no-op plan 3 ours", "no-op plan 3 anchor", "no-op plan 3 echo", "no-op plan 3 noop", "no-op plan 3 floor",
		"drift ours", "drift anchor",
		"drift plan ours", "drift plan anchor",
		"destroy ours", "destroy anchor", "destroy echo", "destroy noop", "destroy floor",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("schedule\n got %q\nwant %q", names, want)
	}
}

func TestScheduleWithoutTheAnchor(t *testing.T) {
	// N=1000 by default: every variant but the anchor (here ours and the floor); the drift list may name a variant that does not run.
	got := Schedule([]string{Ours, Floor}, []string{Ours, Anchor}, 2)
	var names []string
	for _, a := range got {
		names = append(names, a.String())
	}
	want := []string{
		"apply ours", "apply floor",
		"no-op plan 1 ours", "no-op plan 1 floor", "no-op plan 2 ours", "no-op plan 2 floor",
		"drift ours", "drift plan ours",
		"destroy ours", "destroy floor",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("schedule\n got %q\nwant %q", names, want)
	}
}
