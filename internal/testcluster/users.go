package testcluster

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// WriteKubeconfig writes a kubeconfig for user with an embedded client certificate.
func (c *Cluster) WriteKubeconfig(path, user string, kp KeyPair) error {
	b64 := base64.StdEncoding.EncodeToString
	doc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: hardened-test
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: %s
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: hardened-test
  context:
    cluster: hardened-test
    user: %s
current-context: hardened-test
`, c.Host, b64([]byte(c.CACertPEM)), user, b64(kp.CertPEM), b64(kp.KeyPEM), user)
	return os.WriteFile(path, []byte(doc), 0o600)
}

var safeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// User mints a non-admin identity (a client certificate with CN=name, O=groups) and writes a
// kubeconfig for it; RBAC tests use it to prove what a binding really allows.
func (c *Cluster) User(name string, groups ...string) (kubeconfig string, kp KeyPair, err error) {
	ca, err := c.loadCA()
	if err != nil {
		return "", KeyPair{}, err
	}
	if kp, err = ca.Issue(name, groups, nil, false); err != nil {
		return "", KeyPair{}, err
	}
	kubeconfig = filepath.Join(c.Dir, "user-"+safeName.ReplaceAllString(name, "_")+".kubeconfig")
	return kubeconfig, kp, c.WriteKubeconfig(kubeconfig, name, kp)
}

// loadCA returns the cluster's CA, reading it from disk for a cluster loaded from its record.
func (c *Cluster) loadCA() (*CA, error) {
	if c.ca != nil {
		return c.ca, nil
	}
	certPEM, err := os.ReadFile(filepath.Join(c.Dir, "pki", "ca.crt"))
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(filepath.Join(c.Dir, "pki", "ca.key"))
	if err != nil {
		return nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, fmt.Errorf("bad CA files in %s", c.Dir)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, err
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, err
	}
	c.ca = &CA{Cert: cert, Key: key, CertPEM: certPEM}
	return c.ca, nil
}

// IssueServingCert signs a serving certificate for hosts with the cluster's CA, for test servers
// (such as fault-injecting proxies) that clients must trust like the API server.
func (c *Cluster) IssueServingCert(hosts ...string) (KeyPair, error) {
	ca, err := c.loadCA()
	if err != nil {
		return KeyPair{}, err
	}
	return ca.Issue("test-server", nil, hosts, true)
}
