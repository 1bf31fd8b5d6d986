package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	goversion "github.com/hashicorp/go-version"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// sharedWrites remembers which shared admission policies and bindings this client has applied, by
// content. They are the same for every namespace, so an apply of hundreds of namespaces writes
// each once instead of once per namespace; a different content (another provider version, a
// changed image action) is written again.
type sharedWrites struct {
	mu   sync.Mutex
	done map[string]string // object ID -> applied content
}

// key returns the content key of a shared object, "" for any other object.
func (s *sharedWrites) key(o hardening.Object, body map[string]any) string {
	if !hardening.IsShared(o.ID()) {
		return ""
	}
	b, err := json.Marshal(body)
	if err != nil {
		return ""
	}
	return string(b)
}

func (s *sharedWrites) applied(id, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return key != "" && s.done[id] == key
}

func (s *sharedWrites) remember(id, key string) {
	if key == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done == nil {
		s.done = map[string]string{}
	}
	s.done[id] = key
}

// ProviderVersionAnnotation records, on each shared admission policy and binding, the provider
// release that last wrote it.
const ProviderVersionAnnotation = hardening.MetadataPrefix + "provider-version"

// NewerWriter says which newer release last wrote a shared object ("" when this one may write it):
// every namespace on the cluster depends on these objects, so an older release must not downgrade
// them for all. Versions that are not releases (a build from source) are never compared.
func NewerWriter(live map[string]string, ours string) string {
	theirs := live[ProviderVersionAnnotation]
	t, err1 := goversion.NewSemver(theirs)
	o, err2 := goversion.NewSemver(ours)
	if err1 != nil || err2 != nil || !t.GreaterThan(o) {
		return ""
	}
	return theirs
}

// stampShared refuses to rewrite a shared object a newer release wrote, and stamps this release's
// version on what it writes. The read costs one GET per object per provider process (see sharedWrites).
func (c *Client) stampShared(ctx context.Context, ri dynamic.ResourceInterface, o hardening.Object, u *unstructured.Unstructured) error {
	if !hardening.IsShared(o.ID()) || c.providerVersion == "" {
		return nil
	}
	live, err := ri.Get(ctx, o.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		return fmt.Errorf("%s %s: reading which release wrote it: %w", o.Kind, o.Name, Explain(err, c.host))
	default:
		if newer := NewerWriter(live.GetAnnotations(), c.providerVersion); newer != "" {
			return fmt.Errorf("%s %s was written by terraform-provider-hardened %s, and this is %s: every namespace on the cluster "+
				"uses it, so an older release does not rewrite it. Upgrade the provider to %s or later (required_providers "+
				"version constraint \">= %s\", then terraform init -upgrade)", o.Kind, o.Name, newer, c.providerVersion, newer, newer)
		}
	}
	a := u.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[ProviderVersionAnnotation] = c.providerVersion
	u.SetAnnotations(a)
	return nil
}
