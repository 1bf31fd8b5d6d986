package kube

import (
	"context"
	"errors"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// ServerVersion returns the API server's gitVersion as reported by discovery (GET /version),
// for example "v1.37.2" or "v1.31.2-eks-7f9249a". Errors are passed through Explain.
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	if c.version != "" {
		return c.version, nil // one request per provider process, however many resources ask
	}
	info, err := c.Clientset.Discovery().ServerVersionWithContext(ctx)
	if err != nil {
		return "", Explain(err, c.host)
	}
	if info == nil || info.GitVersion == "" {
		return "", errors.New("the API server at " + c.host + " did not report a version (empty gitVersion in GET /version)")
	}
	c.version = info.GitVersion
	return info.GitVersion, nil
}

// ServedResources returns the resources of an API group the server serves, in any version (empty
// when it serves no such group): what plans check before relying on an optional API, such as the
// Gateway API's routes or MutatingAdmissionPolicy. One discovery round per group and provider process.
func (c *Client) ServedResources(ctx context.Context, group string) (map[string]bool, error) {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	if r, ok := c.served[group]; ok {
		return r, nil
	}
	groups, err := c.Clientset.Discovery().ServerGroups()
	if err != nil {
		return nil, Explain(err, c.host)
	}
	out := map[string]bool{}
	for _, g := range groups.Groups {
		if g.Name != group {
			continue
		}
		for _, v := range g.Versions {
			list, err := c.Clientset.Discovery().ServerResourcesForGroupVersion(v.GroupVersion)
			if apierrors.IsNotFound(err) {
				continue // removed between the two requests
			}
			if err != nil {
				return nil, Explain(err, c.host)
			}
			for _, r := range list.APIResources {
				out[r.Name] = true
			}
		}
	}
	if c.served == nil {
		c.served = map[string]map[string]bool{}
	}
	c.served[group] = out
	return out, nil
}

// ServesResource says whether the server serves a resource at one group version, such as
// mutatingadmissionpolicies at admissionregistration.k8s.io/v1 (served from Kubernetes 1.36, or
// turned off). One discovery request per group version and provider process.
func (c *Client) ServesResource(ctx context.Context, groupVersion, resource string) (bool, error) {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	key := groupVersion + "/"
	if c.served == nil {
		c.served = map[string]map[string]bool{}
	}
	if r, ok := c.served[key]; ok {
		return r[resource], nil
	}
	out := map[string]bool{}
	list, err := c.Clientset.Discovery().ServerResourcesForGroupVersion(groupVersion)
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		return false, Explain(err, c.host)
	default:
		for _, r := range list.APIResources {
			out[r.Name] = true
		}
	}
	c.served[key] = out
	return out[resource], nil
}
