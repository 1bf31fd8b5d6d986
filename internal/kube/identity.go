package kube

import (
	"context"
	"fmt"
	"strings"

	authenticationv1 "k8s.io/api/authentication/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Identity is who the API server says this client is.
type Identity struct {
	Username string
	Groups   []string
}

// WhoAmI asks the API server who the provider runs as (SelfSubjectReview, GA in 1.28; every
// authenticated user may call it). The answer is cached for the client's life.
func (c *Client) WhoAmI(ctx context.Context) (Identity, error) {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	if c.identity != nil {
		return *c.identity, nil
	}
	r, err := c.Clientset.AuthenticationV1().SelfSubjectReviews().Create(ctx, &authenticationv1.SelfSubjectReview{}, metav1.CreateOptions{})
	if err != nil {
		return Identity{}, fmt.Errorf("asking the API server who the provider runs as (SelfSubjectReview, Kubernetes 1.28+): %w", Explain(err, c.host))
	}
	id := Identity{Username: r.Status.UserInfo.Username, Groups: r.Status.UserInfo.Groups}
	if strings.TrimSpace(id.Username) == "" {
		return Identity{}, fmt.Errorf("the API server returned no user name for the provider's credentials")
	}
	c.identity = &id
	return id, nil
}
