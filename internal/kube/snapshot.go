package kube

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// A refresh of N namespaces would cost N x (1 + kinds) requests if each were read on its own.
// Instead the first Read in a provider process lists each kind once, cluster-wide, selected by
// the managed-by label, and every other Read is served from that snapshot: O(kinds) requests in
// all. Terraform refreshes every resource in one walk before it plans, so the snapshot is as
// current as per-object reads would be. Any write through this client drops it (a later Read in
// the same process sees its own writes), and it expires once no Read has used it for
// snapshotTTL. The expiry slides so that one refresh walk, however long, is served by one listing:
// with a fixed age, a plan of 1000 namespaces on a busy machine listed the cluster 2 to 4 times
// and held two snapshots at once. What existed when the walk began is always seen.
const snapshotTTL = 30 * time.Second

type snapshotCache struct {
	mu   sync.Mutex
	used time.Time
	snap *snapshot
	// now is time.Now; tests move it.
	now func() time.Time
}

func (s *snapshotCache) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

type snapshot struct {
	namespaces map[string]*unstructured.Unstructured
	objects    map[string]*Observed                  // namespace -> its objects
	cluster    map[string]*unstructured.Unstructured // "Kind/name"
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
	now := c.snap.clock()
	if c.snap.snap != nil && now.Sub(c.snap.used) < snapshotTTL {
		c.snap.used = now
		return c.snap.snap, nil
	}
	s := &snapshot{namespaces: map[string]*unstructured.Unstructured{}, objects: map[string]*Observed{},
		cluster: map[string]*unstructured.Unstructured{}}
	kinds := slices.Concat(hardening.ClusterScopedKinds, hardening.NamespacedKinds)
	var mu sync.Mutex
	err := parallel(kinds, func(kind string) error {
		ri, err := c.resource(kind, "")
		if err != nil {
			return err
		}
		list, err := ri.List(ctx, listOptions(kind))
		if apierrors.IsNotFound(err) {
			return nil // the server does not serve this kind (admission policies before 1.30)
		}
		if err != nil {
			return Explain(err, c.host)
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
			case hardening.IsClusterScopedKind(kind):
				s.cluster[id] = o
			default:
				obs := s.objects[o.GetNamespace()]
				if obs == nil {
					obs = &Observed{Managed: map[string]*unstructured.Unstructured{}}
					s.objects[o.GetNamespace()] = obs
				}
				if kind == "ServiceAccount" {
					obs.Managed[id] = o
				} else {
					obs.add(kind, o)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.snap.snap, c.snap.used = s, c.snap.clock()
	return s, nil
}

// Observe returns a namespace, the managed objects of the given kinds in it (plus the named
// cluster-scoped objects) and the tenant's own NetworkPolicies and RoleBindings, from the snapshot
// when the namespace is in it. A namespace missing from the snapshot (imported, relabelled or
// deleted out of band) is read directly; NotFound means the namespace is gone, nothing else does.
func (c *Client) Observe(ctx context.Context, name string, kinds, clusterIDs []string) (*Observed, error) {
	snap, err := c.snapshot(ctx)
	if err == nil {
		if u, ok := snap.namespaces[name]; ok {
			ns := &corev1.Namespace{}
			if err := decode(u, ns); err != nil {
				return nil, err
			}
			out := &Observed{Namespace: ns, Managed: map[string]*unstructured.Unstructured{}}
			if obs := snap.objects[name]; obs != nil {
				for id, o := range obs.Managed {
					kind, _, _ := strings.Cut(id, "/")
					if slices.Contains(kinds, kind) {
						out.Managed[id] = o
					}
				}
				for _, o := range obs.Others {
					if slices.Contains(kinds, o.GetKind()) {
						out.Others = append(out.Others, o)
					}
				}
			}
			for _, id := range clusterIDs {
				if o, ok := snap.cluster[id]; ok {
					out.Managed[id] = o
				}
			}
			return out, nil
		}
	} else if apierrors.IsForbidden(err) {
		// An identity allowed only some namespaces cannot list cluster-wide: read directly.
		err = nil
	}
	if err != nil {
		return nil, err
	}
	ns, err := c.GetNamespace(ctx, name)
	if err != nil {
		return nil, err
	}
	out, err := c.ReadManaged(ctx, name, kinds, clusterIDs)
	if err != nil {
		return nil, err
	}
	out.Namespace = ns
	return out, nil
}
