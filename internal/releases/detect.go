package releases

import (
	"net/url"
	"strings"
)

// DetectDistribution tells which calendar judges a cluster, from what it reports: the version's
// distribution suffix ("v1.31.2-eks-7f9249a", "v1.30.4-gke.1348000"), else the API server's
// host name (EKS and AKS endpoints, and GKE's DNS-based endpoint, are under the vendor's domain).
// It returns DistKubernetes when neither tells, and says how it decided.
func DetectDistribution(v Version, host string) (dist, how string) {
	meta := strings.ToLower(v.Metadata)
	switch {
	case strings.HasPrefix(meta, "eks-") || strings.Contains(meta, "-eks-"):
		return DistEKS, "the version's -eks- suffix"
	case strings.HasPrefix(meta, "gke.") || strings.Contains(meta, "-gke."):
		return DistGKE, "the version's -gke. suffix"
	}
	name := host
	if u, err := url.Parse(host); err == nil && u.Hostname() != "" {
		name = u.Hostname()
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	switch {
	case strings.HasSuffix(name, ".eks.amazonaws.com"):
		return DistEKS, "the API server host " + name
	case strings.HasSuffix(name, ".azmk8s.io"):
		return DistAKS, "the API server host " + name
	case strings.HasSuffix(name, ".gke.goog"):
		return DistGKE, "the API server host " + name
	}
	return DistKubernetes, "no distribution suffix or vendor host"
}
