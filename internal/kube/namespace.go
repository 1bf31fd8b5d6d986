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

// Namespace is a namespace as the API server returns it.
type Namespace = corev1.Namespace

// GetNamespace reads a namespace; the error is NotFound-checkable with apierrors.IsNotFound.
func (c *Client) GetNamespace(ctx context.Context, name string) (*corev1.Namespace, error) {
	ns, err := c.Clientset.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, err
	}
	return ns, Explain(err, c.host)
}

// DeleteNamespace deletes a namespace and waits until the API server no longer has it. Child
// objects go with the namespace; deleting them one by one first would only cost requests.
func (c *Client) DeleteNamespace(ctx context.Context, name string) error {
	c.snap.invalidate()
	err := c.Clientset.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return Explain(err, c.host)
	}
	return c.WaitNamespaceGone(ctx, name)
}

// WaitNamespaceGone polls with backoff until the namespace is gone. When ctx ends first, the error
// names what still holds the namespace (finalizers, remaining content) instead of a bare timeout.
// The delay stays at most half a second: the namespace controller takes seconds, and every
// moment waited past its end is a moment a destroy of many namespaces waits for nothing.
func (c *Client) WaitNamespaceGone(ctx context.Context, name string) error {
	var last *corev1.Namespace
	err := pollUpTo(ctx, 500*time.Millisecond, func() (bool, error) {
		ns, err := c.Clientset.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return true, nil
		}
		if err == nil {
			last = ns
		}
		return false, Explain(err, c.host)
	}, func() string { return whyTerminating(name, last) })
	if err != nil {
		return fmt.Errorf("namespace %q was not deleted in time: %w", name, err)
	}
	return nil
}

// whyTerminating summarises what keeps a namespace from going away.
func whyTerminating(name string, ns *corev1.Namespace) string {
	if ns == nil {
		return "the state of namespace " + name + " could not be read"
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

// AnnotateNamespace sets one annotation with a merge patch, outside server-side apply: the
// tamper guard's hand-over to a new identity, which must land before the apply it enables.
func (c *Client) AnnotateNamespace(ctx context.Context, name, key, value string) error {
	c.snap.invalidate()
	body, err := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{key: value}}})
	if err != nil {
		return err
	}
	_, err = c.Clientset.CoreV1().Namespaces().Patch(ctx, name, types.MergePatchType, body, metav1.PatchOptions{FieldManager: c.fieldManager + "-handover"})
	return Explain(err, c.host)
}
