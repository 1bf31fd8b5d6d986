package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ProcMonitor polls /proc for the provider plugin processes terraform (pid parent) starts and keeps
// the largest VmRSS seen and, per process, the last utime+stime seen. Only children of that
// terraform process whose executable or argv[0] is the provider binary count, so other terraform
// runs on the machine (other engineers' tests with the same provider) never leak into the numbers.
type ProcMonitor struct {
	parent int
	binary string
	stop   chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	peakKB int64
	// seen maps each provider process to its last utime+stime, clock ticks. A process once
	// recognised stays recognised: an exited one (a zombie until terraform reaps it) has no exe or
	// cmdline left, but its stat still holds its final CPU times.
	seen map[int]uint64
}

// StartProcMonitor starts polling every interval until Stop.
func StartProcMonitor(parent int, binary string, interval time.Duration) *ProcMonitor {
	m := &ProcMonitor{parent: parent, binary: binary, stop: make(chan struct{}), done: make(chan struct{}), seen: map[int]uint64{}}
	go func() {
		defer close(m.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			m.poll()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// MonitorResult is what a ProcMonitor saw.
type MonitorResult struct {
	PeakRSSKB int64
	// CPUTicks sums the last utime+stime seen of every provider process (clock ticks).
	CPUTicks  uint64
	Processes int
}

// Stop polls one last time, ends polling and returns what was seen.
func (m *ProcMonitor) Stop() MonitorResult {
	close(m.stop)
	<-m.done
	m.poll()
	m.mu.Lock()
	defer m.mu.Unlock()
	var ticks uint64
	for _, t := range m.seen {
		ticks += t
	}
	return MonitorResult{PeakRSSKB: m.peakKB, CPUTicks: ticks, Processes: len(m.seen)}
}

func (m *ProcMonitor) poll() {
	for _, pid := range children(m.parent) {
		m.mu.Lock()
		_, known := m.seen[pid]
		m.mu.Unlock()
		if !known && !m.isProvider(pid) {
			continue
		}
		st, err := readStat(pid)
		if err != nil {
			continue // reaped between the listing and the read
		}
		kb, rssErr := vmRSS(pid)
		m.mu.Lock()
		m.seen[pid] = max(m.seen[pid], st.UTime+st.STime)
		if rssErr == nil {
			m.peakKB = max(m.peakKB, kb)
		}
		m.mu.Unlock()
	}
}

func (m *ProcMonitor) isProvider(pid int) bool {
	if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid)); err == nil && strings.HasPrefix(filepath.Base(exe), m.binary) {
		return true
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	argv0, _, _ := bytes.Cut(b, []byte{0})
	return strings.HasPrefix(filepath.Base(string(argv0)), m.binary)
}

// children lists the direct children of pid: from /proc/pid/task/*/children when the kernel has
// it (cheap), else by scanning every process's parent.
func children(pid int) []int {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	if len(tasks) > 0 {
		var out []int
		for _, t := range tasks {
			b, err := os.ReadFile(t)
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil {
					out = append(out, c)
				}
			}
		}
		return out
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(c); err == nil && st.PPID == pid {
			out = append(out, c)
		}
	}
	return out
}

// ClockTicks is USER_HZ, the unit of the times in /proc/<pid>/stat: 100 on every Linux
// architecture Go supports (the kernel's ABI, whatever its internal HZ).
const ClockTicks = 100

// ProcStat holds the fields of /proc/<pid>/stat the benchmark reads.
type ProcStat struct {
	State byte
	PPID  int
	// UTime and STime are the process's own user and system CPU (all its threads); CUTime and
	// CSTime those of the children it has waited for, and theirs. Clock ticks.
	UTime, STime, CUTime, CSTime uint64
}

// ParseStat parses a /proc/<pid>/stat line (proc(5): fields 3 state, 4 ppid, 14 utime, 15 stime,
// 16 cutime, 17 cstime).
func ParseStat(s string) (ProcStat, error) {
	// The command name in parentheses may hold spaces and parentheses; the fields after the last
	// ')' do not.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ProcStat{}, fmt.Errorf("malformed stat: no ')' in %q", s)
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3.
	if len(f) < 15 || len(f[0]) != 1 {
		return ProcStat{}, fmt.Errorf("malformed stat: %d fields after the command name", len(f))
	}
	st := ProcStat{State: f[0][0]}
	var err error
	if st.PPID, err = strconv.Atoi(f[1]); err != nil {
		return ProcStat{}, fmt.Errorf("malformed stat: ppid: %w", err)
	}
	for j, dst := range []*uint64{&st.UTime, &st.STime, &st.CUTime, &st.CSTime} {
		// cutime and cstime are signed in the kernel's format (long); never negative in practice.
		v, err := strconv.ParseInt(f[11+j], 10, 64)
		if err != nil || v < 0 {
			return ProcStat{}, fmt.Errorf("malformed stat: field %d is %q", 14+j, f[11+j])
		}
		*dst = uint64(v)
	}
	return st, nil
}

func readStat(pid int) (ProcStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ProcStat{}, err
	}
	return ParseStat(string(b))
}

// TicksToSeconds converts clock ticks to seconds.
func TicksToSeconds(t uint64) float64 { return float64(t) / ClockTicks }

func vmRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseVmRSS(f)
}

func parseVmRSS(r io.Reader) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS line")
}
