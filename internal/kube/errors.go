package kube

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Explain wraps an error from the API with what it means for the user and what to do. The
// original error stays reachable with errors.Is/As.
func Explain(err error, host string) error {
	if err == nil {
		return nil
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var opErr *net.OpError
	var dnsErr *net.DNSError
	msg := err.Error()
	switch {
	case errors.As(err, &unknownAuthority) || strings.Contains(msg, "certificate signed by unknown authority"):
		return fmt.Errorf("the API server at %s presented a certificate that is not signed by the trusted CA "+
			"(cluster_ca_certificate or the kubeconfig's certificate-authority-data): set the cluster's CA certificate; "+
			"insecure = true would skip verification and is not recommended: %w", host, err)
	case errors.As(err, &hostname) || strings.Contains(msg, "certificate is valid for"):
		return fmt.Errorf("the API server's certificate does not match the address %s: use a host name the certificate "+
			"names, or set tls_server_name to one of them: %w", host, err)
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("the API server at %s rejected the credentials (401 Unauthorized): check token, "+
			"client_certificate/client_key or the kubeconfig user: %w", host, err)
	case apierrors.IsForbidden(err) && strings.Contains(msg, "attempting to grant RBAC permissions not currently held"):
		return fmt.Errorf("RBAC's escalation check refused a RoleBinding: the provider's identity needs the `bind` verb on "+
			"that ClusterRole (add it to resourceNames of the provider's ClusterRole) or every permission the role grants: %w", err)
	case apierrors.IsForbidden(err) && strings.Contains(msg, "ValidatingAdmissionPolicy '"):
		return fmt.Errorf("an admission policy refused the request (it is named below, with its reason): %w", err)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("the provider's identity is not allowed to do this (403 Forbidden); grant it the "+
			"provider's ClusterRole (see the provider documentation): %w", err)
	case apierrors.IsConflict(err) && isApplyConflict(err):
		return fmt.Errorf("another field manager owns fields this provider wants to set:\n%s\n"+
			"Remove them from the other tool's configuration, or take them over with force_conflicts = true: %w",
			conflictDetails(err), err)
	case errors.As(err, &dnsErr), errors.As(err, &opErr), strings.Contains(msg, "connection refused"),
		strings.Contains(msg, "i/o timeout"), strings.Contains(msg, "no route to host"):
		return fmt.Errorf("cannot reach the Kubernetes API server at %s: check host (or the kubeconfig's server), "+
			"that the cluster is running, and any proxy_url: %w", host, err)
	}
	return err
}

func isApplyConflict(err error) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return false
	}
	for _, c := range status.Status().Details.Causes {
		if c.Type == "FieldManagerConflict" {
			return true
		}
	}
	return false
}

// conflictDetails lists "field: owned by manager" lines from an SSA conflict.
func conflictDetails(err error) string {
	var status apierrors.APIStatus
	if !errors.As(err, &status) || status.Status().Details == nil {
		return ""
	}
	var lines []string
	for _, c := range status.Status().Details.Causes {
		lines = append(lines, fmt.Sprintf("  - %s: %s", c.Field, c.Message))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// IgnoreNotFound returns nil for a NotFound error.
func IgnoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
