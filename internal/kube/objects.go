package kube

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// resources maps the kinds this provider writes to their API resources; a static table avoids a
// discovery round trip on every run.
var resources = map[string]schema.GroupVersionResource{
	"Namespace":      {Version: "v1", Resource: "namespaces"},
	"ServiceAccount": {Version: "v1", Resource: "serviceaccounts"},
	"ResourceQuota":  {Version: "v1", Resource: "resourcequotas"},
	"LimitRange":     {Version: "v1", Resource: "limitranges"},
	"NetworkPolicy":  {Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"},
	"RoleBinding":    {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
	"ConfigMap":      {Version: "v1", Resource: "configmaps"},
	"ValidatingAdmissionPolicy": {Group: "admissionregistration.k8s.io", Version: "v1",
		Resource: "validatingadmissionpolicies"},
	"ValidatingAdmissionPolicyBinding": {Group: "admissionregistration.k8s.io", Version: "v1",
		Resource: "validatingadmissionpolicybindings"},
	"MutatingAdmissionPolicy": {Group: "admissionregistration.k8s.io", Version: "v1",
		Resource: "mutatingadmissionpolicies"},
	"MutatingAdmissionPolicyBinding": {Group: "admissionregistration.k8s.io", Version: "v1",
		Resource: "mutatingadmissionpolicybindings"},
}

func (c *Client) resource(kind, namespace string) (dynamic.ResourceInterface, error) {
	gvr, ok := resources[kind]
	if !ok {
		return nil, fmt.Errorf("kind %s is not managed by this provider", kind)
	}
	if hardening.IsClusterScopedKind(kind) {
		return c.Dynamic.Resource(gvr), nil
	}
	return c.Dynamic.Resource(gvr).Namespace(namespace), nil
}

// Apply writes one object with server-side apply, repairing imperative drift (see applyRepairingDrift).
func (c *Client) Apply(ctx context.Context, o hardening.Object, namespace string, force bool) (*unstructured.Unstructured, error) {
	body, err := hardening.Unstructured(o)
	if err != nil {
		return nil, err
	}
	ri, err := c.resource(o.Kind, namespace)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: body}
	sharedKey := c.shared.key(o, body)
	if c.shared.applied(o.ID(), sharedKey) {
		return u, nil
	}
	c.snap.invalidate()
	if err := c.stampShared(ctx, ri, o, u); err != nil {
		return nil, err
	}

	var out *unstructured.Unstructured
	err = applyRepairingDrift(force, func(force bool) (err error) {
		out, err = ri.Apply(ctx, o.Name, u, metav1.ApplyOptions{FieldManager: c.fieldManager, Force: force})
		return err
	}, func() ([]metav1.ManagedFieldsEntry, error) {
		live, err := ri.Get(ctx, o.Name, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		return live.GetManagedFields(), nil
	})
	if apierrors.IsNotFound(err) && o.ClusterScoped() && o.Kind != "Namespace" {
		return nil, fmt.Errorf("%s %s: the API server does not serve admissionregistration.k8s.io/v1 %s (Kubernetes older "+
			"than 1.30, or the API turned off with --runtime-config): remove image_policy, set tamper_protection = false and service_policy = { enabled = false }, "+
			"or enable the API: %w", o.Kind, o.Name, o.Kind, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", o.Kind, o.Name, Explain(err, c.host))
	}
	// Apply restores the fields the provider owns; what someone else added to an object that is
	// the provider's alone (a rule, a subject) stays until it is replaced.
	if OwnedWhole(o.Kind) && drifted(body, out.Object) {
		if out, err = c.replaceContent(ctx, ri, body, out); err != nil {
			return nil, fmt.Errorf("%s %s: restoring its content: %w", o.Kind, o.Name, Explain(err, c.host))
		}
	}
	c.shared.remember(o.ID(), sharedKey)
	return out, nil
}

// ApplyEach applies objects inside a namespace concurrently; all failures are reported together.
func (c *Client) ApplyEach(ctx context.Context, namespace string, objs []hardening.Object, force bool) error {
	return parallel(objs, func(o hardening.Object) error {
		_, err := c.Apply(ctx, o, namespace, force)
		return err
	})
}

// Delete removes one object; a missing object is not an error.
func (c *Client) Delete(ctx context.Context, kind, namespace, name string) error {
	ri, err := c.resource(kind, namespace)
	if err != nil {
		return err
	}
	c.snap.invalidate()
	err = ri.Delete(ctx, name, metav1.DeleteOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting %s %s: %w", kind, name, Explain(err, c.host))
	}
	return nil
}

// ReadManaged returns what Observe returns, read directly for one namespace (an identity that may
// not list cluster-wide, or a namespace missing from the snapshot). Kinds are read concurrently:
// one LIST per kind, and a GET for the default ServiceAccount, which carries no label of ours.
func (c *Client) ReadManaged(ctx context.Context, namespace string, kinds []string, clusterIDs []string) (*Observed, error) {
	var mu sync.Mutex
	out := &Observed{Managed: map[string]*unstructured.Unstructured{}}
	// Cluster-scoped objects are fetched by name: listing them would read every namespace's.
	err := parallel(append(append([]string(nil), kinds...), clusterIDs...), func(kind string) error {
		if k, name, ok := strings.Cut(kind, "/"); ok {
			ri, err := c.resource(k, "")
			if err != nil {
				return err
			}
			obj, err := ri.Get(ctx, name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil // absent, or the kind is not served
			}
			if err != nil {
				return Explain(err, c.host)
			}
			mu.Lock()
			out.Managed[kind] = obj
			mu.Unlock()
			return nil
		}
		ri, err := c.resource(kind, namespace)
		if err != nil {
			return err
		}
		if kind == "ServiceAccount" {
			sa, err := ri.Get(ctx, hardening.DefaultServiceAccount, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return nil
			}
			if err != nil {
				return Explain(err, c.host)
			}
			mu.Lock()
			out.Managed[kind+"/"+sa.GetName()] = sa
			mu.Unlock()
			return nil
		}
		list, err := ri.List(ctx, listOptions(kind))
		if apierrors.IsNotFound(err) {
			return nil // the server does not serve this kind
		}
		if err != nil {
			return Explain(err, c.host)
		}
		mu.Lock()
		for i := range list.Items {
			out.add(kind, &list.Items[i])
		}
		mu.Unlock()
		return nil
	})
	return out, err
}

// Observed is what a refresh of one namespace needs.
type Observed struct {
	Namespace *corev1.Namespace
	// Managed holds the objects that carry the managed-by label (and the default ServiceAccount, and
	// the named cluster-scoped objects), keyed "Kind/name".
	Managed map[string]*unstructured.Unstructured
	// Others are the NetworkPolicies and RoleBindings in the namespace that do not carry the label:
	// the tenant's own, judged for re-opening or escalating.
	Others []*unstructured.Unstructured
}

func (o *Observed) add(kind string, u *unstructured.Unstructured) {
	if u.GetKind() == "" {
		u.SetKind(kind)
	}
	if hardening.IsManaged(u.GetLabels()) {
		o.Managed[kind+"/"+u.GetName()] = u
	} else if foreignKinds[kind] {
		o.Others = append(o.Others, u)
	}
}

// foreignKinds are read whole (not only the labelled objects): what tenants add of these kinds
// can re-open or escalate a namespace.
var foreignKinds = map[string]bool{"NetworkPolicy": true, "RoleBinding": true}

func listOptions(kind string) metav1.ListOptions {
	switch {
	case kind == "ServiceAccount":
		// The default ServiceAccount carries no label of ours: select it by name instead.
		return metav1.ListOptions{FieldSelector: "metadata.name=" + hardening.DefaultServiceAccount}
	case foreignKinds[kind]:
		return metav1.ListOptions{}
	}
	return metav1.ListOptions{LabelSelector: hardening.ManagedByLabel + "=" + hardening.ManagedByValue}
}

func parallel[T any](items []T, f func(T) error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(items))
	for i, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(it)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// LiveManagedIDs lists what is live and carries the managed-by label in a namespace (of the given
// kinds), plus the named cluster-scoped objects that exist: what apply compares with the desired
// objects to prune. It reads the cluster, not state, so objects left by a failed apply are found too.
func (c *Client) LiveManagedIDs(ctx context.Context, namespace string, kinds, clusterIDs []string) ([]string, error) {
	obs, err := c.ReadManaged(ctx, namespace, kinds, clusterIDs)
	if err != nil {
		return nil, err
	}
	return obs.ManagedIDs(), nil
}

// ManagedIDs lists, sorted, the observed objects that carry the managed-by label (Managed also
// holds the default ServiceAccount and the named cluster-scoped objects, labelled or not).
func (o *Observed) ManagedIDs() []string {
	var ids []string
	for _, id := range slices.Sorted(maps.Keys(o.Managed)) {
		if hardening.IsManaged(o.Managed[id].GetLabels()) {
			ids = append(ids, id)
		}
	}
	return ids
}
