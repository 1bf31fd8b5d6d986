package kube

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/client-go/util/homedir"
)

// Config mirrors the provider block: the names hashicorp/kubernetes users already know.
type Config struct {
	Host                  string
	Token                 string
	ClientCertificate     string
	ClientKey             string
	ClusterCACertificate  string
	Insecure              bool
	TLSServerName         string
	ProxyURL              string
	ConfigPaths           []string
	ConfigContext         string
	ConfigContextAuthInfo string
	ConfigContextCluster  string
	Exec                  *ExecConfig
	QPS                   float32
	Burst                 int
	FieldManager          string
	UserAgent             string
	// ProviderVersion is stamped on the shared admission policies; a release older than the one
	// that last wrote them refuses to rewrite them.
	ProviderVersion string
}

// ExecConfig runs a credential plugin (aws eks get-token, gke-gcloud-auth-plugin, ...).
type ExecConfig struct {
	APIVersion string
	Command    string
	Args       []string
	Env        map[string]string
}

// ErrPlainHTTP is returned for an http:// API server: credentials would cross the network in clear.
var ErrPlainHTTP = errors.New("plain http")

// RESTConfig builds a client-go configuration the way hashicorp/kubernetes does: kubeconfig files
// (when given) with context overrides, then the static attributes on top.
func RESTConfig(c Config) (*rest.Config, error) {
	loader := &clientcmd.ClientConfigLoadingRules{}
	overrides := &clientcmd.ConfigOverrides{}
	if len(c.ConfigPaths) > 0 {
		var paths []string
		for _, p := range c.ConfigPaths {
			paths = append(paths, expandHome(p))
		}
		if len(paths) == 1 {
			loader.ExplicitPath = paths[0]
		} else {
			loader.Precedence = paths
		}
		if c.ConfigContext != "" {
			overrides.CurrentContext = c.ConfigContext
		}
		overrides.Context = clientcmdapi.Context{AuthInfo: c.ConfigContextAuthInfo, Cluster: c.ConfigContextCluster}
	}
	if c.Insecure {
		overrides.ClusterInfo.InsecureSkipTLSVerify = true
	}
	if c.TLSServerName != "" {
		overrides.ClusterInfo.TLSServerName = c.TLSServerName
	}
	if c.ClusterCACertificate != "" {
		overrides.ClusterInfo.CertificateAuthorityData = []byte(c.ClusterCACertificate)
	}
	if c.ClientCertificate != "" {
		overrides.AuthInfo.ClientCertificateData = []byte(c.ClientCertificate)
	}
	if c.ClientKey != "" {
		overrides.AuthInfo.ClientKeyData = []byte(c.ClientKey)
	}
	if c.Host != "" {
		// A host without a scheme gets https; an explicit http:// is kept so CheckTransport refuses it.
		u, _, err := rest.DefaultServerURL(c.Host, "", schema.GroupVersion{}, true)
		if err != nil {
			return nil, fmt.Errorf("host %q is not a valid URL: %w", c.Host, err)
		}
		overrides.ClusterInfo.Server = u.String()
	}
	if c.Token != "" {
		overrides.AuthInfo.Token = c.Token
	}
	if c.Exec != nil {
		env := make([]clientcmdapi.ExecEnvVar, 0, len(c.Exec.Env))
		for k, v := range c.Exec.Env {
			env = append(env, clientcmdapi.ExecEnvVar{Name: k, Value: v})
		}
		overrides.AuthInfo.Exec = &clientcmdapi.ExecConfig{
			APIVersion: c.Exec.APIVersion, Command: c.Exec.Command, Args: c.Exec.Args, Env: env,
			InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
		}
	}
	if c.ProxyURL != "" {
		overrides.ClusterDefaults.ProxyURL = c.ProxyURL
	}
	if len(c.ConfigPaths) == 0 && c.Host == "" {
		// Inside a cluster (a CI runner pod), its service account is the configuration, as with
		// hashicorp/kubernetes.
		if cfg, err := rest.InClusterConfig(); err == nil {
			cfg.QPS, cfg.Burst = c.QPS, c.Burst
			if c.UserAgent != "" {
				cfg.UserAgent = c.UserAgent
			}
			return cfg, nil
		}
		return nil, errors.New("no cluster is configured: set host (with token or client_certificate/client_key and cluster_ca_certificate), " +
			"or config_path, in the provider block or through KUBE_HOST / KUBE_CONFIG_PATH, or run inside a cluster (KUBERNETES_SERVICE_HOST and a mounted service account token)")
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(loader, overrides).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("building the Kubernetes client configuration: %w", err)
	}
	if err := CheckTransport(cfg.Host); err != nil {
		return nil, err
	}
	cfg.QPS, cfg.Burst = c.QPS, c.Burst
	if c.UserAgent != "" {
		cfg.UserAgent = c.UserAgent
	}
	return cfg, nil
}

// expandHome resolves a leading ~ the way a shell would, as users write "~/.kube/config".
func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		return filepath.Join(homedir.HomeDir(), p[1:])
	}
	return p
}

// CheckTransport refuses API servers reached over plain http.
func CheckTransport(host string) error {
	u, err := url.Parse(host)
	if err != nil {
		return fmt.Errorf("API server address %q is not a valid URL: %w", host, err)
	}
	if u.Scheme == "http" {
		return fmt.Errorf("%w: the API server address %q uses plain http, which would send credentials unencrypted; "+
			"use the cluster's https:// endpoint (insecure = true only skips certificate verification, it does not allow http)", ErrPlainHTTP, host)
	}
	return nil
}
