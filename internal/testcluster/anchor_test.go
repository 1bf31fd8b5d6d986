package testcluster

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEnsureAnchor_waitsForABuildInProgress: while another process holds the cache's build lock,
// EnsureAnchor waits, and then uses the binary that process built instead of building it again.
func TestEnsureAnchor_waitsForABuildInProgress(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cache := t.TempDir()
	bin, err := anchorPath(ctx, cache)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := LockBuild(cache, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		path string
		err  error
	}
	done := make(chan result, 1)
	var log strings.Builder // written by EnsureAnchor only, read once it has returned
	go func() {
		p, err := EnsureAnchor(ctx, cache, &log)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		t.Fatalf("EnsureAnchor did not wait for the build in progress: %q, %v", r.path, r.err)
	case <-time.After(2 * time.Second):
	}
	// The other process finishes its build and lets go.
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unlock()
	select {
	case r := <-done:
		if r.err != nil || r.path != bin {
			t.Fatalf("after the build: %q, %v; want %q", r.path, r.err, bin)
		}
		if got, _ := os.ReadFile(bin); string(got) != "#!/bin/sh\n" || strings.Contains(log.String(), "bench: building") {
			t.Fatalf("EnsureAnchor built the anchor again:\n%s", log.String())
		}
	case <-ctx.Done():
		t.Fatal("EnsureAnchor built again instead of using the binary the other build left")
	}
}
