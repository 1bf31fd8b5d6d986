package kube

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/blastradius"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// readResources are the kinds the blast radius reads but the provider never writes; the others
// it reads are in resources.
var readResources = map[string]schema.GroupVersionResource{
	"Pod":         {Version: "v1", Resource: "pods"},
	"Service":     {Version: "v1", Resource: "services"},
	"Deployment":  {Group: "apps", Version: "v1", Resource: "deployments"},
	"StatefulSet": {Group: "apps", Version: "v1", Resource: "statefulsets"},
	"DaemonSet":   {Group: "apps", Version: "v1", Resource: "daemonsets"},
	"ReplicaSet":  {Group: "apps", Version: "v1", Resource: "replicasets"},
	"Job":         {Group: "batch", Version: "v1", Resource: "jobs"},
	"CronJob":     {Group: "batch", Version: "v1", Resource: "cronjobs"},
}

// inventoryResource is where one of blastradius.LiveKinds is served.
func inventoryResource(kind string) schema.GroupVersionResource {
	if r, ok := resources[kind]; ok {
		return r
	}
	return readResources[kind]
}

// BlastRadiusInventory reads what a planned change to a namespace could break: the objects of
// blastradius.LiveKinds (at most blastradius.MaxJudged of each, read concurrently) and the API
// server's Pod Security verdict on the planned labels, from a dry-run patch of the namespace
// (nothing is written). podSecurityLabels are the planned pod-security.kubernetes.io labels.
// A kind the identity may not list is skipped and named in the returned notes.
func (c *Client) BlastRadiusInventory(ctx context.Context, namespace string, podSecurityLabels map[string]string) (blastradius.Live, []string, error) {
	live := blastradius.Live{Namespace: namespace, Objects: map[string][]map[string]any{}}
	var (
		mu    sync.Mutex
		notes []string
	)
	g, gctx := errgroup.WithContext(ctx)
	for _, kind := range blastradius.LiveKinds {
		gvr := inventoryResource(kind)
		g.Go(func() error {
			list, err := c.Dynamic.Resource(gvr).Namespace(namespace).List(gctx, metav1.ListOptions{Limit: blastradius.MaxJudged})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case apierrors.IsForbidden(err) || apierrors.IsNotFound(err):
				notes = append(notes, fmt.Sprintf("%s were not judged: %s", gvr.Resource, err))
				return nil
			case err != nil:
				return Explain(err, c.host)
			}
			objs := make([]map[string]any, len(list.Items))
			for i := range list.Items {
				objs[i] = list.Items[i].Object
			}
			live.Objects[kind] = objs
			if list.GetContinue() != "" {
				live.Truncated = append(live.Truncated, kind)
			}
			return nil
		})
	}
	g.Go(func() error {
		warnings, err := c.dryRunLabels(gctx, namespace, podSecurityLabels)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			notes = append(notes, "Pod Security was not judged: "+err.Error())
			return nil
		}
		live.PodSecurityWarnings = warnings
		return nil
	})
	if err := g.Wait(); err != nil {
		return blastradius.Live{}, nil, err
	}
	return live, notes, nil
}

// warningCollector keeps the warnings of one response.
type warningCollector struct {
	mu   sync.Mutex
	text []string
}

func (w *warningCollector) HandleWarningHeader(_ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.text = append(w.text, text)
}

// dryRunLabels asks the API server what the planned Pod Security labels would do: Pod Security
// admission answers a change of the enforce level with a warning per group of existing pods the
// new level refuses. Labels of that prefix not planned are removed in the dry run, as apply would.
func (c *Client) dryRunLabels(ctx context.Context, namespace string, planned map[string]string) ([]string, error) {
	ns, err := c.Clientset.CoreV1().Namespaces().Get(ctx, namespace, metav1.GetOptions{})
	if err != nil {
		return nil, Explain(err, c.host)
	}
	labels := map[string]any{}
	for k := range ns.Labels {
		if strings.HasPrefix(k, hardening.PodSecurityLabelPrefix) {
			labels[k] = nil
		}
	}
	for k, v := range planned {
		labels[k] = v
	}
	patch, err := json.Marshal(map[string]any{"metadata": map[string]any{"labels": labels}})
	if err != nil {
		return nil, err
	}
	w := &warningCollector{}
	err = c.Clientset.CoreV1().RESTClient().Patch(types.MergePatchType).Resource("namespaces").Name(namespace).
		Param("dryRun", metav1.DryRunAll).Param("fieldManager", c.fieldManager).
		Body(patch).WarningHandler(w).Do(ctx).Error()
	if err != nil {
		return nil, Explain(err, c.host)
	}
	return w.text, nil
}
