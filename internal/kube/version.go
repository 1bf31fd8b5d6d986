package kube

import (
	"context"
	"errors"
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
