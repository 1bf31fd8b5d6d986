package bench

import (
	"fmt"
	"math"
)

// CPUSources are the three views the runner has of a terraform command's CPU.
type CPUSources struct {
	// RusageSeconds is user+system from the rusage wait4 returns for terraform. On Linux that is
	// the child's own time plus that of every descendant it waited for (RUSAGE_BOTH of the
	// child), the same figure a getrusage(RUSAGE_CHILDREN) delta around the command gives.
	RusageSeconds float64
	// Exited is terraform's /proc/<pid>/stat read after it exited and before it was reaped: its
	// own utime+stime and its reaped children's cutime+cstime, final. Nil when it could not be read.
	Exited *ProcStat
	// PolledTicks sums the last utime+stime polled of every provider plugin process.
	PolledTicks uint64
	// HasProvider is false for the floor, which runs no plugin.
	HasProvider bool
}

// CPU is how a step's CPU is reported.
type CPU struct {
	Total, Terraform, Provider, Reaped, Polled float64
	// Check is empty when the sources agree, else what does not add up.
	Check string
}

// cpuSlack is how far two CPU figures may differ and still agree: /proc rounds each of four
// fields down to a tick, polling misses at most one interval of each plugin's life, and rusage
// counts in nanoseconds.
func cpuSlack(x float64) float64 { return 0.05 + 0.03*x }

// AccountCPU turns the sources into the numbers the report shows. The plugins' CPU is what
// terraform reaped from its children (exact, as the kernel accounts it) or, when more, what was
// polled: a plugin terraform did not wait for before exiting is in no rusage at all, and only the
// polling saw it.
func AccountCPU(s CPUSources) CPU {
	c := CPU{Total: s.RusageSeconds}
	if s.Exited != nil {
		c.Terraform = TicksToSeconds(s.Exited.UTime + s.Exited.STime)
		c.Reaped = TicksToSeconds(s.Exited.CUTime + s.Exited.CSTime)
	}
	if !s.HasProvider {
		return c
	}
	c.Polled = TicksToSeconds(s.PolledTicks)
	c.Provider = math.Max(c.Reaped, c.Polled)
	switch {
	case s.Exited != nil && math.Abs(c.Total-(c.Terraform+c.Reaped)) > cpuSlack(c.Total):
		c.Check = fmt.Sprintf("rusage %.2f s differs from terraform's /proc times %.2f s + children %.2f s", c.Total, c.Terraform, c.Reaped)
	case s.Exited != nil && c.Polled > c.Reaped+cpuSlack(c.Reaped):
		c.Check = fmt.Sprintf("provider processes polled at %.2f s but terraform reaped only %.2f s: a plugin outlived terraform, and its CPU is missing from the CPU column", c.Polled, c.Reaped)
	}
	return c
}
