package provider

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/blastradius"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
)

// fakeCluster answers the resource's questions from fixed values and records every call, so a
// test can say what the resource decided to do.
type fakeCluster struct {
	version  string
	identity string
	// observed (or observeErr) is what Observe returns.
	observed   *kube.Observed
	observeErr error
	// labelled are the IDs of the objects carrying the managed-by label: LiveManagedIDs returns
	// those of the kinds and cluster-scoped IDs it is asked for, as the real client does, or all
	// of them when wide is set (what is spared must not depend on what was asked for).
	labelled []string
	wide     bool
	// deleteErr fails Delete of an ID ("Kind/name").
	deleteErr map[string]error
	// served is what ServedResources returns per API group.
	served map[string]map[string]bool
	// inventory (or inventoryErr) is what BlastRadiusInventory returns.
	inventory    blastradius.Live
	inventoryErr error

	mu    sync.Mutex
	calls []string
}

var _ cluster = (*fakeCluster)(nil)

func (f *fakeCluster) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

// called lists the recorded calls that start with prefix.
func (f *fakeCluster) called(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeCluster) Host() string         { return "https://fake" }
func (f *fakeCluster) FieldManager() string { return defaultFieldManager }

func (f *fakeCluster) ServerVersion(context.Context) (string, error) {
	f.record("ServerVersion")
	if f.version == "" {
		return "", errors.New("no version faked")
	}
	return f.version, nil
}

func (f *fakeCluster) ServedResources(_ context.Context, group string) (map[string]bool, error) {
	f.record("ServedResources")
	return f.served[group], nil
}

func (f *fakeCluster) ServesResource(_ context.Context, groupVersion, resource string) (bool, error) {
	f.record("ServesResource")
	return f.served[groupVersion][resource], nil
}

func (f *fakeCluster) WhoAmI(context.Context) (kube.Identity, error) {
	f.record("WhoAmI")
	if f.identity == "" {
		return kube.Identity{}, errors.New("no identity faked")
	}
	return kube.Identity{Username: f.identity}, nil
}

func (f *fakeCluster) ReadPosture(context.Context) (posture.Snapshot, error) {
	f.record("ReadPosture")
	return posture.Snapshot{}, errors.New("no posture faked")
}

func (f *fakeCluster) Observe(_ context.Context, name string, _, _ []string) (*kube.Observed, error) {
	f.record("Observe %s", name)
	return f.observed, f.observeErr
}

func (f *fakeCluster) LiveManagedIDs(_ context.Context, namespace string, kinds, clusterIDs []string) ([]string, error) {
	f.record("LiveManagedIDs %s", namespace)
	var out []string
	for _, id := range f.labelled {
		kind, _, _ := strings.Cut(id, "/")
		if f.wide || slices.Contains(clusterIDs, id) || (!hardening.IsClusterScopedKind(kind) && slices.Contains(kinds, kind)) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (f *fakeCluster) GetNamespace(_ context.Context, name string) (*kube.Namespace, error) {
	f.record("GetNamespace %s", name)
	if f.observed == nil {
		return nil, f.observeErr
	}
	return f.observed.Namespace, nil
}

func (f *fakeCluster) Apply(_ context.Context, o hardening.Object, _ string, _ bool) (*unstructured.Unstructured, error) {
	f.record("Apply %s", o.ID())
	body, err := hardening.Unstructured(o)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: body}
	u.SetUID("0f0f0f0f-0000-0000-0000-000000000001")
	return u, nil
}

func (f *fakeCluster) ApplyEach(ctx context.Context, namespace string, objs []hardening.Object, force bool) error {
	for _, o := range objs {
		if _, err := f.Apply(ctx, o, namespace, force); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeCluster) AnnotateNamespace(_ context.Context, name, key, value string) error {
	f.record("AnnotateNamespace %s %s=%s", name, key, value)
	return nil
}

// Delete records "Delete Kind/name" for a cluster-scoped object and "Delete Kind/name in ns" for
// one inside a namespace.
func (f *fakeCluster) Delete(_ context.Context, kind, namespace, name string) error {
	id := kind + "/" + name
	if namespace == "" {
		f.record("Delete %s", id)
	} else {
		f.record("Delete %s in %s", id, namespace)
	}
	return f.deleteErr[id]
}

func (f *fakeCluster) DeleteNamespace(_ context.Context, name string) error {
	f.record("DeleteNamespace %s", name)
	return nil
}

func (f *fakeCluster) WaitNamespaceGone(_ context.Context, name string) error {
	f.record("WaitNamespaceGone %s", name)
	return nil
}

func (f *fakeCluster) BlastRadiusInventory(_ context.Context, namespace string, psa map[string]string) (blastradius.Live, []string, error) {
	f.record("BlastRadiusInventory %s %v", namespace, psa)
	live := f.inventory
	live.Namespace = namespace
	return live, nil, f.inventoryErr
}

// onCluster is the provider data of a provider configured for c.
func onCluster(c cluster) *providerData {
	return &providerData{connect: func() (cluster, error) { return c, nil }}
}
