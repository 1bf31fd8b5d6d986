package provider

import (
	"context"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/blastradius"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
)

// cluster is what the resources and data sources ask of the Kubernetes API. *kube.Client is the
// implementation; unit tests judge the resource's decisions against a fake.
type cluster interface {
	// Host is the API server's address and FieldManager the server-side apply manager of every write.
	Host() string
	FieldManager() string
	ServerVersion(ctx context.Context) (string, error)
	ServedResources(ctx context.Context, group string) (map[string]bool, error)
	ServesResource(ctx context.Context, groupVersion, resource string) (bool, error)
	WhoAmI(ctx context.Context) (kube.Identity, error)
	ReadPosture(ctx context.Context) (posture.Snapshot, error)

	Observe(ctx context.Context, name string, kinds, clusterIDs []string) (*kube.Observed, error)
	LiveManagedIDs(ctx context.Context, namespace string, kinds, clusterIDs []string) ([]string, error)
	GetNamespace(ctx context.Context, name string) (*kube.Namespace, error)
	Apply(ctx context.Context, o hardening.Object, namespace string, force bool) (*unstructured.Unstructured, error)
	ApplyEach(ctx context.Context, namespace string, objs []hardening.Object, force bool) error
	AnnotateNamespace(ctx context.Context, name, key, value string) error
	Delete(ctx context.Context, kind, namespace, name string) error
	DeleteNamespace(ctx context.Context, name string) error
	WaitNamespaceGone(ctx context.Context, name string) error
	// BlastRadiusInventory reads what a planned change could break (see internal/blastradius).
	BlastRadiusInventory(ctx context.Context, namespace string, podSecurityLabels map[string]string) (blastradius.Live, []string, error)
}

var _ cluster = (*kube.Client)(nil)
