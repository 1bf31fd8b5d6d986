package kube

import (
	"context"
	"errors"
	"maps"

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
// Gateway API's routes.
func (c *Client) ServedResources(_ context.Context, group string) (map[string]bool, error) {
	versions, err := c.groupVersions(group)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, gv := range versions {
		at, err := c.resourcesAt(gv)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, at)
	}
	return out, nil
}

// groupVersions lists the served versions of a group ("group/version"), from one discovery
// request per provider process.
func (c *Client) groupVersions(group string) ([]string, error) {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	if c.groups == nil {
		list, err := c.Clientset.Discovery().ServerGroups()
		if err != nil {
			return nil, Explain(err, c.host)
		}
		c.groups = map[string][]string{}
		for _, g := range list.Groups {
			for _, v := range g.Versions {
				c.groups[g.Name] = append(c.groups[g.Name], v.GroupVersion)
			}
		}
	}
	return c.groups[group], nil
}

// ServesResource says whether the server serves a resource at one group version, such as
// mutatingadmissionpolicies at admissionregistration.k8s.io/v1 (served from Kubernetes 1.36, or
// turned off).
func (c *Client) ServesResource(_ context.Context, groupVersion, resource string) (bool, error) {
	at, err := c.resourcesAt(groupVersion)
	return at[resource], err
}

// resourcesAt lists the resources served at a group version (none when it is not served), once
// per group version and provider process: refresh asks for every namespace.
func (c *Client) resourcesAt(groupVersion string) (map[string]bool, error) {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	if r, ok := c.served[groupVersion]; ok {
		return r, nil
	}
	out := map[string]bool{}
	list, err := c.Clientset.Discovery().ServerResourcesForGroupVersion(groupVersion)
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		return nil, Explain(err, c.host)
	default:
		for _, r := range list.APIResources {
			out[r.Name] = true
		}
	}
	if c.served == nil {
		c.served = map[string]map[string]bool{}
	}
	c.served[groupVersion] = out
	return out, nil
}
