package testcluster

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// The anchor is hashicorp/terraform-provider-kubernetes. The module proxy serves it only as a
// pseudo-version of main after 3.2.1, so it is built from that and placed in the mirror as 3.2.1.
const (
	AnchorModule        = "github.com/hashicorp/terraform-provider-kubernetes"
	AnchorModuleVersion = "v1.13.4-0.20260821094251-3a33fb6cc605"
	AnchorVersion       = "3.2.1"
)

// EnsureAnchor returns the anchor provider binary, building it with `go install` into cacheDir
// (keyed on module version, Go version and platform) when it is not there yet.
func EnsureAnchor(ctx context.Context, cacheDir string, log io.Writer) (string, error) {
	bin, err := anchorPath(ctx, cacheDir)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(bin)
	err = buildCached(cacheDir, dir, []string{filepath.Base(bin)}, log, func(partial string) error {
		fmt.Fprintf(log, "testcluster: building hashicorp/kubernetes (%s@%s) into %s; several minutes cold\n", AnchorModule, AnchorModuleVersion, dir)
		cmd := exec.CommandContext(ctx, "go", "install", "-trimpath", "-ldflags", "-s -w", AnchorModule+"@"+AnchorModuleVersion)
		// Outside any module, so the repository's go.mod plays no part.
		cmd.Dir = os.TempDir()
		cmd.Env = append(os.Environ(), "GOBIN="+partial, "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-buildvcs=false")
		err := runLogged(cmd, log, func(line string) bool { return strings.HasPrefix(line, "go: downloading ") })
		if err != nil {
			return fmt.Errorf("go install %s@%s: %w", AnchorModule, AnchorModuleVersion, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return bin, nil
}

// anchorPath is where the anchor binary is cached: keyed on module version, Go version and
// platform.
func anchorPath(ctx context.Context, cacheDir string) (string, error) {
	gover, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("the Go toolchain is needed to build hashicorp/kubernetes: %w", err)
	}
	dir := filepath.Join(cacheDir, "bin", fmt.Sprintf("hashicorp-kubernetes-%s-%s-%s-%s",
		AnchorModuleVersion, strings.TrimSpace(string(gover)), runtime.GOOS, runtime.GOARCH))
	return filepath.Join(dir, "terraform-provider-kubernetes"), nil
}
