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

// RSSMonitor polls /proc for the provider plugin processes terraform (pid parent) starts and keeps
// the largest VmRSS seen. Only children of that terraform process whose executable or argv[0] is
// the provider binary count, so other terraform runs on the machine (other engineers' tests with
// the same provider) never leak into the number.
type RSSMonitor struct {
	parent int
	binary string
	stop   chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	peakKB int64
	seen   map[int]bool
}

// StartRSSMonitor starts polling every interval until Stop.
func StartRSSMonitor(parent int, binary string, interval time.Duration) *RSSMonitor {
	m := &RSSMonitor{parent: parent, binary: binary, stop: make(chan struct{}), done: make(chan struct{}), seen: map[int]bool{}}
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

// Stop ends polling and returns the peak VmRSS in KB and how many provider processes were seen.
func (m *RSSMonitor) Stop() (peakKB int64, processes int) {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.peakKB, len(m.seen)
}

func (m *RSSMonitor) poll() {
	for _, pid := range children(m.parent) {
		if !m.isProvider(pid) {
			continue
		}
		kb, err := vmRSS(pid)
		if err != nil {
			continue // exited between the listing and the read
		}
		m.mu.Lock()
		m.seen[pid] = true
		m.peakKB = max(m.peakKB, kb)
		m.mu.Unlock()
	}
}

func (m *RSSMonitor) isProvider(pid int) bool {
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
		if ppid, err := parentOf(c); err == nil && ppid == pid {
			out = append(out, c)
		}
	}
	return out
}

func parentOf(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name in parentheses may hold spaces; the fields after the last ')' do not.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed stat for %d", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, fmt.Errorf("malformed stat for %d", pid)
	}
	return strconv.Atoi(f[1])
}

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
