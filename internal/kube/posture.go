package kube

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
)

// postureProbeTimeout bounds the request without credentials.
const postureProbeTimeout = 10 * time.Second

// ReadPosture reads what the posture checks judge, with the reads running concurrently. A read the
// provider's identity is not allowed to make (403), or that the API server does not serve (404),
// does not fail: its part is recorded in Snapshot.Unknown with the reason, and the checks that need
// it report "unknown". Any other error (unreachable cluster, rejected credentials) is returned.
func (c *Client) ReadPosture(ctx context.Context) (posture.Snapshot, error) {
	s := posture.Snapshot{Unknown: map[posture.Part]string{}}
	r := &postureReads{c: c, s: &s}
	r.clusterWide(ctx)
	r.defaultWorkloads(ctx)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		probe, reason := c.probeAnonymous(ctx)
		r.mu.Lock()
		defer r.mu.Unlock()
		s.Anonymous = probe
		if reason != "" {
			s.Unknown[posture.PartAnonymousProbe] = reason
		}
	}()

	s.Provider = c.providerFacts()
	if id, err := c.WhoAmI(ctx); err != nil {
		r.mu.Lock()
		s.Unknown[posture.PartIdentity] = err.Error()
		r.mu.Unlock()
	} else {
		s.Provider.Username, s.Provider.Groups = id.Username, id.Groups
	}
	r.wg.Wait()
	if len(r.errs) > 0 {
		return posture.Snapshot{}, errors.Join(r.errs...)
	}
	return s, nil
}

// postureReads runs the snapshot's reads concurrently. A read the identity may not make, or the
// API server does not serve, marks its part unknown; any other failure fails the snapshot.
type postureReads struct {
	c    *Client
	s    *posture.Snapshot
	mu   sync.Mutex
	wg   sync.WaitGroup
	errs []error
}

// read runs one read; store is called under the lock with what it returned.
func (r *postureReads) read(part posture.Part, what string, f func() (func(), error)) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		store, err := f()
		r.mu.Lock()
		defer r.mu.Unlock()
		switch {
		case err == nil:
			store()
		case apierrors.IsForbidden(err):
			r.s.Unknown[part] = fmt.Sprintf("the provider's identity may not %s (403 Forbidden: %s)", what, statusMessage(err))
		case apierrors.IsNotFound(err):
			r.s.Unknown[part] = fmt.Sprintf("the API server does not serve the request to %s (404 Not Found)", what)
		default:
			r.errs = append(r.errs, fmt.Errorf("cannot %s: %w", what, Explain(err, r.c.host)))
		}
	}()
}

// clusterWide reads the server version and the kinds the checks judge in every namespace.
func (r *postureReads) clusterWide(ctx context.Context) {
	c, s, read := r.c, r.s, r.read
	all := metav1.ListOptions{}
	core, rbac := c.Clientset.CoreV1(), c.Clientset.RbacV1()

	read(posture.PartServerVersion, "read the server version (GET /version)", func() (func(), error) {
		info, err := c.Clientset.Discovery().ServerVersionWithContext(ctx)
		if err != nil {
			return nil, err
		}
		return func() { s.ServerVersion = info.GitVersion }, nil
	})
	read(posture.PartNamespaces, "list Namespaces", func() (func(), error) {
		l, err := core.Namespaces().List(ctx, all)
		return func() { s.Namespaces = l.Items }, err
	})
	read(posture.PartNetworkPolicies, "list NetworkPolicies in all namespaces", func() (func(), error) {
		l, err := c.Clientset.NetworkingV1().NetworkPolicies("").List(ctx, all)
		return func() { s.NetworkPolicies = l.Items }, err
	})
	read(posture.PartResourceQuotas, "list ResourceQuotas in all namespaces", func() (func(), error) {
		l, err := core.ResourceQuotas("").List(ctx, all)
		return func() { s.ResourceQuotas = l.Items }, err
	})
	read(posture.PartLimitRanges, "list LimitRanges in all namespaces", func() (func(), error) {
		l, err := core.LimitRanges("").List(ctx, all)
		return func() { s.LimitRanges = l.Items }, err
	})
	read(posture.PartClusterRoleBindings, "list ClusterRoleBindings", func() (func(), error) {
		l, err := rbac.ClusterRoleBindings().List(ctx, all)
		return func() { s.ClusterRoleBindings = l.Items }, err
	})
	read(posture.PartRoleBindings, "list RoleBindings in all namespaces", func() (func(), error) {
		l, err := rbac.RoleBindings("").List(ctx, all)
		return func() { s.RoleBindings = l.Items }, err
	})
	read(posture.PartServices, "list Services in all namespaces", func() (func(), error) {
		l, err := core.Services("").List(ctx, all)
		return func() { s.Services = l.Items }, err
	})
	read(posture.PartServiceAccounts, "list ServiceAccounts in all namespaces", func() (func(), error) {
		l, err := core.ServiceAccounts("").List(ctx, all)
		return func() { s.ServiceAccounts = l.Items }, err
	})
	read(posture.PartAPIServerPods, "list Pods in kube-system", func() (func(), error) {
		l, err := core.Pods("kube-system").List(ctx, all)
		return func() {
			for _, p := range l.Items {
				if p.Labels["component"] == "kube-apiserver" || strings.HasPrefix(p.Name, "kube-apiserver-") {
					s.APIServerPods = append(s.APIServerPods, p)
				}
			}
		}, err
	})
}

// defaultWorkloads reads the workloads in the default namespace.
func (r *postureReads) defaultWorkloads(ctx context.Context) {
	s, read := r.s, r.read
	all := metav1.ListOptions{}
	core, apps, batch := r.c.Clientset.CoreV1(), r.c.Clientset.AppsV1(), r.c.Clientset.BatchV1()
	// Workloads in the default namespace.
	def := posture.DefaultNamespace
	workloads := func(kind string, objs []metav1.Object) func() {
		return func() {
			for _, o := range objs {
				s.Workloads = append(s.Workloads, posture.Workload{Kind: kind, Name: o.GetName(),
					Controlled: metav1.GetControllerOfNoCopy(o) != nil})
			}
		}
	}
	read(posture.PartPods, "list Pods in default", func() (func(), error) {
		l, err := core.Pods(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("Pod", postureObjectsOf(l.Items)), nil
	})
	read(posture.PartDeployments, "list Deployments in default", func() (func(), error) {
		l, err := apps.Deployments(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("Deployment", postureObjectsOf(l.Items)), nil
	})
	read(posture.PartStatefulSets, "list StatefulSets in default", func() (func(), error) {
		l, err := apps.StatefulSets(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("StatefulSet", postureObjectsOf(l.Items)), nil
	})
	read(posture.PartDaemonSets, "list DaemonSets in default", func() (func(), error) {
		l, err := apps.DaemonSets(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("DaemonSet", postureObjectsOf(l.Items)), nil
	})
	read(posture.PartReplicaSets, "list ReplicaSets in default", func() (func(), error) {
		l, err := apps.ReplicaSets(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("ReplicaSet", postureObjectsOf(l.Items)), nil
	})
	read(posture.PartJobs, "list Jobs in default", func() (func(), error) {
		l, err := batch.Jobs(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("Job", postureObjectsOf(l.Items)), nil
	})
	read(posture.PartCronJobs, "list CronJobs in default", func() (func(), error) {
		l, err := batch.CronJobs(def).List(ctx, all)
		if err != nil {
			return nil, err
		}
		return workloads("CronJob", postureObjectsOf(l.Items)), nil
	})
}

// postureObjectsOf returns the items of a typed list as metav1.Objects.
func postureObjectsOf[T any, PT interface {
	*T
	metav1.Object
}](items []T) []metav1.Object {
	out := make([]metav1.Object, 0, len(items))
	for i := range items {
		out = append(out, PT(&items[i]))
	}
	return out
}

// providerFacts says how the provider itself reaches the API server.
func (c *Client) providerFacts() posture.ProviderFacts {
	f := posture.ProviderFacts{Host: c.host, Scheme: "https"}
	cfg := c.RESTConfig
	if cfg == nil {
		return f
	}
	f.Host = cfg.Host
	f.Insecure = cfg.Insecure
	if u, err := url.Parse(cfg.Host); err == nil && u.Scheme != "" {
		f.Scheme = strings.ToLower(u.Scheme)
	}
	return f
}

// probeAnonymous sends GET <host>/api/v1/namespaces with no credentials at all, trusting the
// cluster's CA (the provider's TLS settings without its client certificate, token or exec
// plugin). It returns the answer, or why there is none.
func (c *Client) probeAnonymous(ctx context.Context) (posture.AnonymousProbe, string) {
	if c.RESTConfig == nil {
		return posture.AnonymousProbe{}, "the provider's connection settings are not available to send a request without credentials"
	}
	anon := rest.AnonymousClientConfig(c.RESTConfig)
	u, err := url.Parse(anon.Host)
	if err != nil || u.Host == "" {
		// client-go accepts a bare host:port; so does the probe.
		if u, err = url.Parse("https://" + anon.Host); err != nil {
			return posture.AnonymousProbe{}, fmt.Sprintf("the API server address %q is not a URL: %v", anon.Host, err)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/api/v1/namespaces"
	u.RawQuery = "limit=1"
	probe := posture.AnonymousProbe{URL: u.Scheme + "://" + u.Host + u.Path}
	hc, err := rest.HTTPClientFor(anon)
	if err != nil {
		return probe, fmt.Sprintf("cannot build an HTTP client for the request without credentials: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, postureProbeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return probe, fmt.Sprintf("cannot build the request without credentials: %v", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return probe, fmt.Sprintf("GET %s without credentials failed: %v", probe.URL, Explain(err, c.host))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	probe.StatusCode = resp.StatusCode
	return probe, ""
}

// statusMessage is the API server's message for a status error, else the error text.
func statusMessage(err error) string {
	var status apierrors.APIStatus
	if errors.As(err, &status) && status.Status().Message != "" {
		return status.Status().Message
	}
	return err.Error()
}
