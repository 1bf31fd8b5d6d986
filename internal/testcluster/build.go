package testcluster

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// DefaultKubernetesVersion is the control-plane release the acceptance tests run against unless
// HARDENED_TEST_K8S_VERSION names another minor that has a wrapper module in tools/controlplane.
const DefaultKubernetesVersion = "v1.37.2"

// Binaries are the paths of the control-plane programs.
type Binaries struct {
	Etcd, APIServer, ControllerManager string
	Version                            string
}

// CacheDir is where built binaries are kept between runs. It lives outside the repository so a
// fresh clone (CI) finds what an earlier run built; HARDENED_TESTCLUSTER_CACHE overrides it.
func CacheDir() (string, error) {
	if d := os.Getenv("HARDENED_TESTCLUSTER_CACHE"); d != "" {
		return d, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache directory (set HARDENED_TESTCLUSTER_CACHE): %w", err)
	}
	return filepath.Join(base, "terraform-provider-hardened"), nil
}

// RepoRoot finds the repository this package was compiled from, so tests and the CLI can locate
// tools/controlplane wherever they run.
func RepoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if ok {
		root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
		if _, err := os.Stat(filepath.Join(root, "tools", "controlplane")); err == nil {
			return root, nil
		}
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "tools", "controlplane")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the repository root (a folder holding tools/controlplane)")
		}
		dir = parent
	}
}

// wrapperDir returns the wrapper module for a Kubernetes version's minor and checks that it pins
// exactly that version.
func wrapperDir(root, version string) (string, error) {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	if len(parts) < 2 {
		return "", fmt.Errorf("kubernetes version %q: want vMAJOR.MINOR.PATCH", version)
	}
	dir := filepath.Join(root, "tools", "controlplane", "k8s-"+parts[0]+"."+parts[1])
	pinned, err := os.ReadFile(filepath.Join(dir, "VERSION"))
	if err != nil {
		return "", fmt.Errorf("no wrapper module for Kubernetes %s (create it with tools/controlplane/newminor.sh %s): %w", version, version, err)
	}
	if got := strings.TrimSpace(string(pinned)); got != version {
		return "", fmt.Errorf("wrapper module %s pins %s, not %s", dir, got, version)
	}
	return dir, nil
}

func readVersionFile(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "VERSION"))
	return strings.TrimSpace(string(b)), err
}

func goVersion(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("the Go toolchain is needed to build the test control plane: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// EnsureBinaries returns cached control-plane binaries, building them from Go modules first when
// the cache has none for this Kubernetes version, etcd version and Go toolchain. Progress goes to
// log: a cold build takes ~12 minutes on 2 cores and should not look like a hang.
func EnsureBinaries(ctx context.Context, version string, log io.Writer) (Binaries, error) {
	if version == "" {
		version = DefaultKubernetesVersion
	}
	root, err := RepoRoot()
	if err != nil {
		return Binaries{}, err
	}
	k8sDir, err := wrapperDir(root, version)
	if err != nil {
		return Binaries{}, err
	}
	etcdDir := filepath.Join(root, "tools", "controlplane", "etcd")
	etcdVersion, err := readVersionFile(etcdDir)
	if err != nil {
		return Binaries{}, err
	}
	gover, err := goVersion(ctx)
	if err != nil {
		return Binaries{}, err
	}
	cache, err := CacheDir()
	if err != nil {
		return Binaries{}, err
	}
	platform := runtime.GOOS + "-" + runtime.GOARCH
	k8sOut := filepath.Join(cache, "bin", fmt.Sprintf("kubernetes-%s-%s-%s", version, gover, platform))
	etcdOut := filepath.Join(cache, "bin", fmt.Sprintf("etcd-%s-%s-%s", etcdVersion, gover, platform))

	bins := Binaries{
		Etcd:              filepath.Join(etcdOut, "etcd"),
		APIServer:         filepath.Join(k8sOut, "kube-apiserver"),
		ControllerManager: filepath.Join(k8sOut, "kube-controller-manager"),
		Version:           version,
	}
	// Binaries appear by rename only once complete, so cached ones need no lock: a run of one
	// version does not wait for another version's build.
	if exists(bins.Etcd) && exists(bins.APIServer) && exists(bins.ControllerManager) {
		return bins, nil
	}
	// One build at a time per cache: two parallel control-plane builds on 2 cores take twice as long.
	err = buildCached(cache, etcdOut, []string{"etcd"}, log, func(partial string) error {
		fmt.Fprintf(log, "testcluster: building etcd %s from Go modules into %s (about 2 minutes cold)\n", etcdVersion, etcdOut)
		if err := goBuild(ctx, log, etcdDir, partial, "-s -w", "."); err != nil {
			return fmt.Errorf("building etcd: %w", err)
		}
		return nil
	})
	if err != nil {
		return Binaries{}, err
	}
	err = buildCached(cache, k8sOut, []string{"kube-apiserver", "kube-controller-manager"}, log, func(partial string) error {
		fmt.Fprintf(log, "testcluster: building kube-apiserver and kube-controller-manager %s from Go modules into %s\n", version, k8sOut)
		fmt.Fprintf(log, "testcluster: a cold build takes about 12 minutes on 2 cores and ~3 GB of RAM; later runs reuse it\n")
		if err := goBuild(ctx, log, k8sDir, partial, versionLDFlags(version),
			"k8s.io/kubernetes/cmd/kube-apiserver", "k8s.io/kubernetes/cmd/kube-controller-manager"); err != nil {
			return fmt.Errorf("building the Kubernetes control plane %s: %w", version, err)
		}
		return nil
	})
	if err != nil {
		return Binaries{}, err
	}
	return bins, nil
}

// versionLDFlags stamps the release into the binaries; without it the server reports
// v0.0.0-master and every version-support check against it is meaningless.
func versionLDFlags(version string) string {
	parts := strings.SplitN(strings.TrimPrefix(version, "v"), ".", 3)
	flags := []string{"-s", "-w"}
	for _, pkg := range []string{"k8s.io/client-go/pkg/version", "k8s.io/component-base/version"} {
		flags = append(flags,
			"-X", pkg+".gitVersion="+version,
			"-X", pkg+".gitMajor="+parts[0],
			"-X", pkg+".gitMinor="+parts[1],
			"-X", pkg+".gitTreeState=clean")
	}
	return strings.Join(flags, " ")
}

// goBuild builds pkgs of the module in dir into dest (a buildCached side folder).
func goBuild(ctx context.Context, log io.Writer, dir, dest, ldflags string, pkgs ...string) error {
	args := append([]string{"build", "-trimpath", "-ldflags", ldflags, "-o", dest + string(filepath.Separator)}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false", "GOWORK=off")
	if err := runLogged(cmd, log, nil); err != nil {
		return fmt.Errorf("go build in %s: %w", dir, err)
	}
	return nil
}

// runLogged runs a build command, copying its output to log (but the lines quiet drops) and saying
// every 30 seconds that it is still running, so a long cold build does not look like a hang. The
// error of a failed command carries its last lines.
func runLogged(cmd *exec.Cmd, log io.Writer, quiet func(line string) bool) error {
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	cmd.Stdout = log
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintf(log, "testcluster: still building (%s elapsed)\n", time.Since(start).Round(time.Second))
			}
		}
	}()
	var tail []string
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		if quiet == nil || !quiet(line) {
			fmt.Fprintln(log, "  "+line)
		}
		tail = append(tail, line)
		if len(tail) > 30 {
			tail = tail[1:]
		}
	}
	err = cmd.Wait()
	close(done)
	if err != nil {
		return fmt.Errorf("%w\n%s", err, strings.Join(tail, "\n"))
	}
	fmt.Fprintf(log, "testcluster: built in %s\n", time.Since(start).Round(time.Second))
	return nil
}

// buildCached makes the binaries names exist in out. When one is missing it takes the cache's build
// lock, looks again (a process that waited uses what the other one built), lets build write them
// into a side folder (out/.partial), and moves them into out only once all are built: an
// interrupted build never looks finished. The control plane, OpenTofu and the benchmark's anchor
// are all built through it.
func buildCached(cache, out string, names []string, log io.Writer, build func(partial string) error) error {
	built := func() bool {
		for _, n := range names {
			if !exists(filepath.Join(out, n)) {
				return false
			}
		}
		return true
	}
	if built() {
		return nil
	}
	unlock, err := LockBuild(cache, log)
	if err != nil {
		return err
	}
	defer unlock()
	if built() {
		return nil
	}
	partial := filepath.Join(out, ".partial")
	if err := os.RemoveAll(partial); err != nil {
		return err
	}
	if err := os.MkdirAll(partial, 0o755); err != nil {
		return err
	}
	if err := build(partial); err != nil {
		return err
	}
	for _, n := range names {
		if err := os.Rename(filepath.Join(partial, n), filepath.Join(out, n)); err != nil {
			return err
		}
	}
	return os.RemoveAll(partial)
}

// LockBuild waits for any other build of this cache (control plane, OpenTofu, the benchmark's
// anchor) to finish and holds the lock until the returned function is called: on 2 cores, builds
// run one at a time, and a second process finds the first one's result instead of building it again.
func LockBuild(cache string, log io.Writer) (func(), error) {
	return lockFile(filepath.Join(cache, "build.lock"), log)
}

func lockFile(path string, log io.Writer) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		fmt.Fprintf(log, "testcluster: another process is building into this cache; waiting for it (%s)\n", path)
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, err
		}
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
