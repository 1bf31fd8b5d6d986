package main

import (
	"context"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// cleanShared deletes the provider's shared admission policies and bindings that no namespace
// selects any more (after the demo's namespace is destroyed), and says what it kept and why.
func cleanShared(ctx context.Context, kubeconfig string) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("listing namespaces to see which use the shared admission policies: %w", err)
	}
	var labels []map[string]string
	for _, ns := range list.Items {
		if ns.DeletionTimestamp == nil {
			labels = append(labels, ns.Labels)
		}
	}
	unused := hardening.UnusedSharedObjects(labels)
	api := cs.AdmissionregistrationV1()
	for _, id := range unused {
		kind, name, _ := strings.Cut(id, "/")
		switch kind {
		case "ValidatingAdmissionPolicyBinding":
			err = api.ValidatingAdmissionPolicyBindings().Delete(ctx, name, metav1.DeleteOptions{})
		case "MutatingAdmissionPolicyBinding":
			err = api.MutatingAdmissionPolicyBindings().Delete(ctx, name, metav1.DeleteOptions{})
		case "MutatingAdmissionPolicy":
			err = api.MutatingAdmissionPolicies().Delete(ctx, name, metav1.DeleteOptions{})
		default:
			err = api.ValidatingAdmissionPolicies().Delete(ctx, name, metav1.DeleteOptions{})
		}
		switch {
		case apierrors.IsNotFound(err):
		case err != nil:
			return fmt.Errorf("deleting %s: %w", id, err)
		default:
			fmt.Printf("deleted %s (no namespace uses it)\n", id)
		}
	}
	if len(unused) < len(hardening.UnusedSharedObjects(nil)) {
		fmt.Println("kept the shared admission policies other namespaces still use")
	}
	return nil
}
