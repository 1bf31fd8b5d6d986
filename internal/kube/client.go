package kube

import (
	"sync"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Client is what resources and data sources use to reach the cluster.
type Client struct {
	Clientset kubernetes.Interface
	Dynamic   dynamic.Interface
	// RESTConfig is the configuration the clients were built from (TLS settings, host), for
	// requests that do not go through them, such as the posture check's anonymous probe.
	RESTConfig *rest.Config

	fieldManager    string
	host            string
	providerVersion string

	snap   snapshotCache
	shared sharedWrites

	idMu     sync.Mutex
	identity *Identity
	verMu    sync.Mutex
	version  string
	served   map[string]map[string]bool // group version -> resources served there
	groups   map[string][]string        // group -> its served group versions
}

// NewClient connects lazily: client-go makes no request until the first call.
func NewClient(c Config) (*Client, error) {
	cfg, err := RESTConfig(c)
	if err != nil {
		return nil, err
	}
	client, err := newClientFromREST(cfg, c.FieldManager)
	if err != nil {
		return nil, err
	}
	client.providerVersion = c.ProviderVersion
	return client, nil
}

func newClientFromREST(cfg *rest.Config, fieldManager string) (*Client, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{Clientset: cs, Dynamic: dyn, fieldManager: fieldManager, host: cfg.Host, RESTConfig: cfg}, nil
}

// Host is the address of the API server.
func (c *Client) Host() string { return c.host }

// FieldManager is the server-side apply field manager of every write.
func (c *Client) FieldManager() string { return c.fieldManager }

// Lazy builds the client on first use, so configurations that never touch a cluster (functions,
// pure data sources) work without one.
type Lazy struct {
	config Config
	once   sync.Once
	client *Client
	err    error
}

// NewLazy returns a client that is built when Get is first called.
func NewLazy(c Config) *Lazy { return &Lazy{config: c} }

// Get returns the client, building it once.
func (l *Lazy) Get() (*Client, error) {
	l.once.Do(func() { l.client, l.err = NewClient(l.config) })
	return l.client, l.err
}
