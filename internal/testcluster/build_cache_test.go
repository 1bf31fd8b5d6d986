package testcluster

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestBuildCached: a binary appears only once its build has finished, a failed build leaves
// nothing that looks built, and a built one is not built again.
func TestBuildCached(t *testing.T) {
	cache := t.TempDir()
	out := filepath.Join(cache, "bin", "tool-v1")
	builds := 0
	write := func(partial string) error {
		builds++
		for _, n := range []string{"a", "b"} {
			if err := os.WriteFile(filepath.Join(partial, n), []byte("#!/bin/sh\n"), 0o755); err != nil {
				return err
			}
		}
		if _, err := os.Stat(filepath.Join(out, "a")); err == nil {
			t.Error("a binary is in place before the whole build finished")
		}
		return nil
	}
	failing := func(partial string) error {
		builds++
		if err := os.WriteFile(filepath.Join(partial, "a"), nil, 0o755); err != nil {
			return err
		}
		return errors.New("interrupted")
	}
	if err := buildCached(cache, out, []string{"a", "b"}, io.Discard, failing); err == nil {
		t.Fatal("a failed build reported success")
	}
	if exists(filepath.Join(out, "a")) {
		t.Fatal("a failed build left a binary where the cache lookup trusts it")
	}
	if err := buildCached(cache, out, []string{"a", "b"}, io.Discard, write); err != nil {
		t.Fatal(err)
	}
	if err := buildCached(cache, out, []string{"a", "b"}, io.Discard, write); err != nil {
		t.Fatal(err)
	}
	if builds != 2 || !exists(filepath.Join(out, "a")) || !exists(filepath.Join(out, "b")) || exists(filepath.Join(out, ".partial")) {
		t.Fatalf("builds = %d (want 2: the failed one and one more); a, b, .partial: %v %v %v", builds,
			exists(filepath.Join(out, "a")), exists(filepath.Join(out, "b")), exists(filepath.Join(out, ".partial")))
	}
}
