package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// ApplyNamespace writes ns with server-side apply under the client's field manager.
func (c *Client) ApplyNamespace(ctx context.Context, ns *corev1.Namespace, force bool) (*corev1.Namespace, error) {
	body, err := json.Marshal(ns)
	if err != nil {
		return nil, err
	}
	api := c.Clientset.CoreV1().Namespaces()
	var out *corev1.Namespace
	err = applyRepairingDrift(ctx, force, func(force bool) (err error) {
		out, err = api.Patch(ctx, ns.Name, types.ApplyPatchType, body, metav1.PatchOptions{FieldManager: c.FieldManager, Force: &force})
		return err
	}, func() ([]metav1.ManagedFieldsEntry, error) {
		live, err := api.Get(ctx, ns.Name, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		return live.ManagedFields, nil
	})
	return out, Explain(err, c.Host)
}

// GetNamespace reads a namespace; the error is NotFound-checkable with apierrors.IsNotFound.
func (c *Client) GetNamespace(ctx context.Context, name string) (*corev1.Namespace, error) {
	ns, err := c.Clientset.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, err
	}
	return ns, Explain(err, c.Host)
}

// DeleteNamespace deletes a namespace and waits until the API server no longer has it. Child
// objects go with the namespace; deleting them one by one first would only cost requests.
func (c *Client) DeleteNamespace(ctx context.Context, name string) error {
	err := c.Clientset.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return Explain(err, c.Host)
	}
	return c.WaitNamespaceGone(ctx, name)
}

// WaitNamespaceGone polls with backoff until the namespace is gone. When ctx ends first, the error
// names what still holds the namespace (finalizers, remaining content) instead of a bare timeout.
func (c *Client) WaitNamespaceGone(ctx context.Context, name string) error {
	delay := 100 * time.Millisecond
	for {
		ns, err := c.Clientset.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			return Explain(err, c.Host)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("timed out waiting for namespace %q to be deleted: %s", name, whyTerminating(ns))
		case <-time.After(delay):
		}
		if delay *= 2; delay > 2*time.Second {
			delay = 2 * time.Second
		}
	}
}

// whyTerminating summarises what keeps a namespace from going away.
func whyTerminating(ns *corev1.Namespace) string {
	if ns == nil {
		return "its state could not be read"
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("phase %s", ns.Status.Phase))
	if len(ns.Finalizers) > 0 {
		parts = append(parts, "metadata.finalizers "+strings.Join(ns.Finalizers, ", "))
	}
	var specFinalizers []string
	for _, f := range ns.Spec.Finalizers {
		specFinalizers = append(specFinalizers, string(f))
	}
	if len(specFinalizers) > 0 {
		parts = append(parts, "spec.finalizers "+strings.Join(specFinalizers, ", "))
	}
	var conds []string
	for _, cond := range ns.Status.Conditions {
		if cond.Status == corev1.ConditionTrue {
			conds = append(conds, fmt.Sprintf("%s: %s", cond.Type, cond.Message))
		}
	}
	sort.Strings(conds)
	parts = append(parts, conds...)
	return strings.Join(parts, "; ") + ". Remove the finalizers that hold it (kubectl get all -n " + ns.Name +
		") or raise the delete timeout"
}
