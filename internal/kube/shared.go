package kube

import (
	"encoding/json"
	"sync"

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
