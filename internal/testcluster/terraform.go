package testcluster

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// OpenTofuVersion is built from its Go module when no terraform CLI is on PATH.
const OpenTofuVersion = "v1.12.6"

// TerraformCLI returns the CLI acceptance tests drive: TF_ACC_TERRAFORM_PATH when set, else the
// terraform on PATH, else OpenTofu built from its Go module (cached like the control plane).
func TerraformCLI(ctx context.Context, log io.Writer) (path string, isTofu bool, err error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, strings.Contains(filepath.Base(p), "tofu"), nil
	}
	if p, err := exec.LookPath("terraform"); err == nil {
		return p, false, nil
	}
	fmt.Fprintln(log, "testcluster: no terraform on PATH; the tests will drive OpenTofu")
	path, err = BuildOpenTofu(ctx, log)
	return path, true, err
}

// BuildOpenTofu builds the tofu CLI. `go install` cannot build it (its go.mod has replace
// directives), so the downloaded module is built as the main module.
func BuildOpenTofu(ctx context.Context, log io.Writer) (string, error) {
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	gover, err := goVersion(ctx)
	if err != nil {
		return "", err
	}
	out := filepath.Join(cache, "bin", fmt.Sprintf("opentofu-%s-%s-%s-%s", OpenTofuVersion, gover, runtime.GOOS, runtime.GOARCH))
	err = buildCached(cache, out, []string{"tofu"}, log, func(partial string) error {
		fmt.Fprintf(log, "testcluster: building OpenTofu %s from its Go module (several minutes cold; cached in %s)\n", OpenTofuVersion, out)
		dl, err := exec.CommandContext(ctx, "go", "mod", "download", "-json", "github.com/opentofu/opentofu@"+OpenTofuVersion).Output()
		if err != nil {
			return fmt.Errorf("downloading OpenTofu %s: %w", OpenTofuVersion, err)
		}
		var mod struct{ Dir string }
		if err := json.Unmarshal(dl, &mod); err != nil || mod.Dir == "" {
			return fmt.Errorf("go mod download gave no folder for OpenTofu: %v", err)
		}
		src := filepath.Join(cache, "src", "opentofu-"+OpenTofuVersion)
		if err := os.RemoveAll(src); err != nil {
			return err
		}
		defer os.RemoveAll(src)
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			return err
		}
		// The module cache is read-only; the build needs a writable copy.
		if out, err := exec.CommandContext(ctx, "cp", "-r", mod.Dir, src).CombinedOutput(); err != nil {
			return fmt.Errorf("copying OpenTofu sources: %w: %s", err, out)
		}
		if out, err := exec.CommandContext(ctx, "chmod", "-R", "u+w", src).CombinedOutput(); err != nil {
			return fmt.Errorf("making the OpenTofu sources writable: %w: %s", err, out)
		}
		return goBuild(ctx, log, src, partial, "-s -w -X github.com/opentofu/opentofu/version.dev=no", "./cmd/tofu")
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(out, "tofu"), nil
}

// EnsureCLIConfig points TF_CLI_CONFIG_FILE at a file that exists: an environment may name a
// missing one, which terraform only warns about but OpenTofu-driven tests trip over.
func EnsureCLIConfig() error {
	if p := os.Getenv("TF_CLI_CONFIG_FILE"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return nil
		}
	}
	f, err := os.CreateTemp("", "hardened-tfrc-*.tfrc")
	if err != nil {
		return err
	}
	f.Close()
	return os.Setenv("TF_CLI_CONFIG_FILE", f.Name())
}
