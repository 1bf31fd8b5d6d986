package bench

import (
	"math"
	"os"
	"strings"
	"testing"
)

func statLines(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/proc-stat.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestParseStat(t *testing.T) {
	lines := statLines(t)
	tf, err := ParseStat(lines[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := (ProcStat{State: 'Z', PPID: 48180, UTime: 312, STime: 57, CUTime: 1874, CSTime: 263}); tf != want {
		t.Errorf("terraform: got %+v, want %+v", tf, want)
	}
	// A command name holding spaces and parentheses: the fields start after the last ')'.
	p, err := ParseStat(lines[1])
	if err != nil {
		t.Fatal(err)
	}
	if want := (ProcStat{State: 'S', PPID: 48190, UTime: 1800, STime: 70}); p != want {
		t.Errorf("provider: got %+v, want %+v", p, want)
	}
	for _, bad := range []string{
		"",
		"12 (x) S 1 2 3",
		"12 (x) S one 1 1 0 -1 0 0 0 0 0 1 2 3 4",
		"12 (x) S 1 1 1 0 -1 0 0 0 0 0 1 two 3 4",
		"12 (x) S 1 1 1 0 -1 0 0 0 0 0 1 2 -3 4",
	} {
		if _, err := ParseStat(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAccountCPU(t *testing.T) {
	tf, err := ParseStat(statLines(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	// Ticks of 10 ms: terraform 312+57, its reaped plugins 1874+263; the polling saw 2130 of the 2137.
	c := AccountCPU(CPUSources{RusageSeconds: 25.07, Exited: &tf, PolledTicks: 2130, HasProvider: true})
	if !near(c.Total, 25.07) || !near(c.Terraform, 3.69) || !near(c.Reaped, 21.37) || !near(c.Polled, 21.30) || !near(c.Provider, 21.37) || c.Check != "" {
		t.Errorf("got %+v", c)
	}

	// A plugin outlived terraform: the polling saw more than terraform reaped, and that is the figure.
	c = AccountCPU(CPUSources{RusageSeconds: 25.06, Exited: &tf, PolledTicks: 2500, HasProvider: true})
	if !near(c.Provider, 25) || !strings.Contains(c.Check, "outlived terraform") {
		t.Errorf("unreaped plugin: got %+v", c)
	}

	// rusage and /proc disagree beyond rounding.
	c = AccountCPU(CPUSources{RusageSeconds: 26, Exited: &tf, PolledTicks: 2130, HasProvider: true})
	if !strings.Contains(c.Check, "rusage 26.00 s differs") {
		t.Errorf("mismatch: got %+v", c)
	}
	// Within the slack (0.05 s + 3%): no remark.
	if c = AccountCPU(CPUSources{RusageSeconds: 25.06 * 1.025, Exited: &tf, PolledTicks: 2130, HasProvider: true}); c.Check != "" {
		t.Errorf("within slack: got %+v", c)
	}

	// terraform could not be read after its exit: only the polling tells the plugins' CPU.
	c = AccountCPU(CPUSources{RusageSeconds: 25.06, PolledTicks: 2130, HasProvider: true})
	if !near(c.Provider, 21.3) || c.Terraform != 0 || c.Check != "" {
		t.Errorf("no exit stat: got %+v", c)
	}

	// The floor: no plugin, whatever terraform reaped.
	c = AccountCPU(CPUSources{RusageSeconds: 3.7, Exited: &ProcStat{UTime: 360, STime: 10}})
	if c.Provider != 0 || !near(c.Terraform, 3.7) || c.Check != "" {
		t.Errorf("floor: got %+v", c)
	}
}
