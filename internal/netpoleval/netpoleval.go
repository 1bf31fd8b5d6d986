package netpoleval

import (
	"fmt"
	"hash/fnv"
	"net"
	"sort"
	"strings"

	"github.com/mattfenwick/cyclonus/pkg/matcher"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// PodCIDR is the range from which fake pod IPs are assigned to in-cluster
// endpoints. cyclonus matches ipBlock peers against pod IPs too, so an ipBlock
// covering this range (for example 10.0.0.0/8) also selects in-cluster pods.
const PodCIDR = "10.244.0.0/16"

// Cluster is the set of namespaces and NetworkPolicies to evaluate traffic
// against.
type Cluster struct {
	// Namespaces maps a namespace's name to its labels. The label
	// kubernetes.io/metadata.name=<name> is added automatically, as the API
	// server does. An Endpoint may name a namespace not listed here; it then
	// has only that automatic label.
	Namespaces map[string]map[string]string
	// Policies are the NetworkPolicies as read back from the API server. A
	// policy with an empty Namespace is treated as being in "default".
	Policies []networkingv1.NetworkPolicy
}

// Endpoint is a pod (Namespace+PodLabels) or, when IP is set, an address
// outside the cluster (Namespace and PodLabels are then ignored).
type Endpoint struct {
	Namespace string
	PodLabels map[string]string
	IP        string
}

// Allowed says whether traffic from -> to on port/protocol ("TCP", "UDP",
// "SCTP") is allowed, considering both the egress policies of the source and
// the ingress policies of the destination. Traffic is only restricted at
// in-cluster endpoints: an external source has no egress policies and an
// external destination has no ingress policies.
//
// Named ports in policies never match, since an Endpoint has no named ports.
// Allowed panics on invalid input (unknown protocol, bad IP, or a policy
// cyclonus rejects), which is what a test helper should do.
func (c Cluster) Allowed(from, to Endpoint, port int, protocol string) bool {
	return c.Evaluate(from, to, port, protocol).IsAllowed()
}

// Explain returns cyclonus's table of the policies that allowed and denied the
// traffic, for use in test failure messages.
func (c Cluster) Explain(from, to Endpoint, port int, protocol string) string {
	return c.Evaluate(from, to, port, protocol).Table()
}

// Evaluate returns cyclonus's full result for the traffic; see Allowed.
func (c Cluster) Evaluate(from, to Endpoint, port int, protocol string) *matcher.AllowedResult {
	policy := matcher.BuildNetworkPolicies(false, c.policyPointers())
	traffic := &matcher.Traffic{
		Source:       c.peer(from),
		Destination:  c.peer(to),
		ResolvedPort: port,
		Protocol:     parseProtocol(protocol),
	}
	return policy.IsTrafficAllowed(traffic)
}

func (c Cluster) policyPointers() []*networkingv1.NetworkPolicy {
	out := make([]*networkingv1.NetworkPolicy, 0, len(c.Policies))
	for i := range c.Policies {
		p := c.Policies[i].DeepCopy()
		// cyclonus panics on an empty policyTypes. The API server never
		// returns one (it defaults it on create), but apply the same
		// documented default so hand-written test policies also work:
		// Ingress always, plus Egress when there are egress rules.
		if len(p.Spec.PolicyTypes) == 0 {
			p.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
			if len(p.Spec.Egress) > 0 {
				p.Spec.PolicyTypes = append(p.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
			}
		}
		out = append(out, p)
	}
	return out
}

func (c Cluster) peer(e Endpoint) *matcher.TrafficPeer {
	if e.IP != "" {
		if net.ParseIP(e.IP) == nil {
			panic(fmt.Sprintf("netpoleval: invalid external IP %q", e.IP))
		}
		return &matcher.TrafficPeer{IP: e.IP}
	}
	if e.Namespace == "" {
		panic("netpoleval: in-cluster endpoint needs a Namespace (or set IP for an external one)")
	}
	nsLabels := map[string]string{}
	for k, v := range c.Namespaces[e.Namespace] {
		nsLabels[k] = v
	}
	nsLabels[corev1.LabelMetadataName] = e.Namespace
	podLabels := map[string]string{}
	for k, v := range e.PodLabels {
		podLabels[k] = v
	}
	return &matcher.TrafficPeer{
		Internal: &matcher.InternalPeer{
			Namespace:       e.Namespace,
			NamespaceLabels: nsLabels,
			PodLabels:       podLabels,
		},
		IP: fakePodIP(e.Namespace, podLabels),
	}
}

// fakePodIP deterministically derives an address in PodCIDR from the pod's
// namespace and labels.
func fakePodIP(namespace string, podLabels map[string]string) string {
	keys := make([]string, 0, len(podLabels))
	for k := range podLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := fnv.New32a()
	h.Write([]byte(namespace))
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
		h.Write([]byte{'='})
		h.Write([]byte(podLabels[k]))
	}
	sum := h.Sum32()
	return fmt.Sprintf("10.244.%d.%d", (sum>>8)%256, sum%254+1)
}

func parseProtocol(p string) corev1.Protocol {
	switch proto := corev1.Protocol(strings.ToUpper(p)); proto {
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		return proto
	default:
		panic(fmt.Sprintf("netpoleval: unknown protocol %q (want TCP, UDP or SCTP)", p))
	}
}
