package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	root, err := testcluster.RepoRoot()
	if err != nil {
		fail(err)
	}
	dir := fs.String("dir", filepath.Join(root, ".cache", "cluster"), "folder for the cluster's PKI, data and logs")
	version := fs.String("version", envOr("HARDENED_TEST_K8S_VERSION", testcluster.DefaultKubernetesVersion), "Kubernetes release")
	namespace := fs.String("namespace", "", "namespace for pod-check")
	kubeconfig := fs.String("kubeconfig", "", "kubeconfig for pod-check (default: the running local cluster's)")
	_ = fs.Parse(os.Args[2:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	switch os.Args[1] {
	case "build":
		b, err := testcluster.EnsureBinaries(ctx, *version, os.Stderr)
		if err != nil {
			fail(err)
		}
		fmt.Printf("%s\n%s\n%s\n", b.Etcd, b.APIServer, b.ControllerManager)
	case "up":
		if c, err := testcluster.Load(*dir); err == nil {
			fmt.Fprintf(os.Stderr, "testcluster: already running at %s\n", c.Host)
			fmt.Println(c.AdminKubeconfig)
			return
		}
		_ = testcluster.StopDir(*dir)
		c, err := testcluster.Start(ctx, testcluster.Options{Version: *version, Dir: *dir, Log: os.Stderr, Detach: true})
		if err != nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "testcluster: stop it with `make cluster-down`; use it with:\n  export KUBE_CONFIG_PATH=%s\n", c.AdminKubeconfig)
		fmt.Println(c.AdminKubeconfig)
	case "down":
		if err := testcluster.StopDir(*dir); err != nil {
			fail(err)
		}
		fmt.Fprintln(os.Stderr, "testcluster: stopped")
	case "kubeconfig":
		c, err := testcluster.Load(*dir)
		if err != nil {
			fail(fmt.Errorf("no local cluster is running (make cluster-up): %w", err))
		}
		fmt.Println(c.AdminKubeconfig)
	case "terraform":
		p, _, err := testcluster.TerraformCLI(ctx, os.Stderr)
		if err != nil {
			fail(err)
		}
		fmt.Println(p)
	case "tofu":
		p, err := testcluster.BuildOpenTofu(ctx, os.Stderr)
		if err != nil {
			fail(err)
		}
		fmt.Println(p)
	case "anchor":
		// The binary make bench measures against, for the migration guide's test and example validation.
		cache, err := testcluster.CacheDir()
		if err != nil {
			fail(err)
		}
		p, err := testcluster.EnsureAnchor(ctx, cache, os.Stderr)
		if err != nil {
			fail(err)
		}
		fmt.Println(p)
	case "pod-check":
		kc := *kubeconfig
		if kc == "" {
			c, err := testcluster.Load(*dir)
			if err != nil {
				fail(fmt.Errorf("no local cluster is running and no -kubeconfig given: %w", err))
			}
			kc = c.AdminKubeconfig
		}
		if err := podCheck(ctx, kc, *namespace); err != nil {
			fail(err)
		}
	case "clean-shared":
		if *kubeconfig == "" {
			fail(fmt.Errorf("clean-shared needs -kubeconfig"))
		}
		if err := cleanShared(ctx, *kubeconfig); err != nil {
			fail(err)
		}
	default:
		usage()
	}
}

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: testcluster build|up|down|kubeconfig|terraform|tofu|anchor|pod-check|clean-shared [flags]")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "testcluster:", err)
	os.Exit(1)
}
