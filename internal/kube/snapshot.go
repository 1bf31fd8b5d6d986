package kube

import (
	"context"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// A refresh of N namespaces would cost N x (1 + kinds) requests if each were read on its own.
// Instead the first Read in a provider process lists each kind once, cluster-wide, selected by
// the managed-by label, and every other Read is served from that snapshot: O(kinds) requests in
// all. Terraform refreshes every resource in one walk before it plans, so the snapshot is as
// current as per-object reads would be. Any write through this client drops it (a later Read in
// the same process sees its own writes), and it expires after snapshotTTL.
const snapshotTTL = 30 * time.Second

type snapshotCache struct {
	mu    sync.Mutex
	taken time.Time
	snap  *snapshot
}

type snapshot struct {
	namespaces map[string]*unstructured.Unstructured
	objects    map[string]map[string]*unstructured.Unstructured // namespace -> "Kind/name"
	cluster    map[string]*unstructured.Unstructured            // "Kind/name"
}

func (s *snapshotCache) invalidate() {
	s.mu.Lock()
	s.snap = nil
	s.mu.Unlock()
}

// get returns a current snapshot, taking one if needed. Concurrent callers wait for the one
// being taken instead of each listing the cluster.
func (c *Client) snapshot(ctx context.Context) (*snapshot, error) {
	c.snap.mu.Lock()
	defer c.snap.mu.Unlock()
	if c.snap.snap != nil && time.Since(c.snap.taken) < snapshotTTL {
		return c.snap.snap, nil
	}
	s := &snapshot{namespaces: map[string]*unstructured.Unstructured{}, objects: map[string]map[string]*unstructured.Unstructured{},
		cluster: map[string]*unstructured.Unstructured{}}
	managed := metav1.ListOptions{LabelSelector: hardening.ManagedByLabel + "=" + hardening.ManagedByValue}
	kinds := append([]string{"Namespace", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"}, NamespacedKinds...)
	var mu sync.Mutex
	err := parallel(kinds, func(kind string) error {
		opts := managed
		if kind == "ServiceAccount" {
			// The default ServiceAccount carries no label of ours: select it by name instead.
			opts = metav1.ListOptions{FieldSelector: "metadata.name=" + hardening.DefaultServiceAccount}
		}
		ri, err := c.resource(kind, "")
		if err != nil {
			return err
		}
		list, err := ri.List(ctx, opts)
		if err != nil {
			return Explain(err, c.Host)
		}
		mu.Lock()
		defer mu.Unlock()
		for i := range list.Items {
			o := &list.Items[i]
			// managedFields are most of an object's size and no Read compares them; dropping them
			// keeps a snapshot of hundreds of namespaces small.
			o.SetManagedFields(nil)
			id := kind + "/" + o.GetName()
			switch {
			case kind == "Namespace":
				s.namespaces[o.GetName()] = o
			case clusterScoped[kind]:
				s.cluster[id] = o
			default:
				if s.objects[o.GetNamespace()] == nil {
					s.objects[o.GetNamespace()] = map[string]*unstructured.Unstructured{}
				}
				s.objects[o.GetNamespace()][id] = o
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.snap.snap, c.snap.taken = s, time.Now()
	return s, nil
}

// Observe returns a namespace and the managed objects of the given kinds in it (plus the named
// cluster-scoped objects), from the snapshot when the namespace is in it. A namespace missing
// from the snapshot (imported, relabelled or deleted out of band) is read directly; NotFound is
// returned as such.
func (c *Client) Observe(ctx context.Context, name string, kinds, clusterIDs []string) (*corev1.Namespace, map[string]*unstructured.Unstructured, error) {
	snap, err := c.snapshot(ctx)
	if err == nil {
		if u, ok := snap.namespaces[name]; ok {
			ns := &corev1.Namespace{}
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, ns); err != nil {
				return nil, nil, err
			}
			out := map[string]*unstructured.Unstructured{}
			for id, o := range snap.objects[name] {
				kind, _, _ := strings.Cut(id, "/")
				for _, k := range kinds {
					if k == kind {
						out[id] = o
					}
				}
			}
			for _, id := range clusterIDs {
				if o, ok := snap.cluster[id]; ok {
					out[id] = o
				}
			}
			return ns, out, nil
		}
	} else if apierrors.IsForbidden(err) {
		// An identity allowed only some namespaces cannot list cluster-wide: read directly.
		err = nil
	}
	if err != nil {
		return nil, nil, err
	}
	ns, err := c.GetNamespace(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	objs, err := c.ReadManaged(ctx, name, kinds, clusterIDs)
	return ns, objs, err
}
