package main

import (
	"context"
	"errors"
	"fmt"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// podCheck shows, against a real API server, what the namespace's Pod Security labels do: a
// privileged pod is refused and a restricted-compliant pod is admitted (server-side dry run, so
// nothing is left behind).
func podCheck(ctx context.Context, kubeconfig, namespace string) error {
	if namespace == "" {
		return errors.New("-namespace is required")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	err = testcluster.CreatePod(ctx, cs, testcluster.PrivilegedPod(namespace), true)
	if err == nil {
		return fmt.Errorf("a privileged pod was ADMITTED in namespace %s: Pod Security is not enforcing", namespace)
	}
	fmt.Printf("privileged pod in %s: refused by the API server:\n  %v\n", namespace, err)
	if err := testcluster.CreatePod(ctx, cs, testcluster.RestrictedPod(namespace), true); err != nil {
		return fmt.Errorf("a restricted-compliant pod was refused in %s: %w", namespace, err)
	}
	fmt.Printf("restricted-compliant pod in %s: admitted (dry run)\n", namespace)
	return nil
}
