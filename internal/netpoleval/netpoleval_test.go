package netpoleval

import (
	"net"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func port(p int, proto corev1.Protocol) networkingv1.NetworkPolicyPort {
	pp := intstr.FromInt32(int32(p))
	return networkingv1.NetworkPolicyPort{Port: &pp, Protocol: &proto}
}

var bothTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}

func policy(name string, spec networkingv1.NetworkPolicySpec) networkingv1.NetworkPolicy {
	return networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "team"},
		Spec:       spec,
	}
}

var (
	defaultDeny = policy("default-deny", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{},
		PolicyTypes: bothTypes,
	})
	allowDNS = policy("allow-dns", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{},
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
		Egress: []networkingv1.NetworkPolicyEgressRule{{
			To: []networkingv1.NetworkPolicyPeer{{
				NamespaceSelector: &metav1.LabelSelector{
					MatchLabels: map[string]string{corev1.LabelMetadataName: "kube-system"},
				},
			}},
			Ports: []networkingv1.NetworkPolicyPort{port(53, corev1.ProtocolUDP), port(53, corev1.ProtocolTCP)},
		}},
	})
	allowSameNamespace = policy("allow-same-namespace", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{},
		PolicyTypes: bothTypes,
		Ingress: []networkingv1.NetworkPolicyIngressRule{{
			From: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}},
		}},
		Egress: []networkingv1.NetworkPolicyEgressRule{{
			To: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}},
		}},
	})
	allowIPBlock = policy("allow-10-8-https", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{},
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
		Egress: []networkingv1.NetworkPolicyEgressRule{{
			To:    []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8"}}},
			Ports: []networkingv1.NetworkPolicyPort{port(443, corev1.ProtocolTCP)},
		}},
	})
	allowAll = policy("allow-all", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{},
		PolicyTypes: bothTypes,
		Ingress:     []networkingv1.NetworkPolicyIngressRule{{}},
		Egress:      []networkingv1.NetworkPolicyEgressRule{{}},
	})
)

var (
	teamA      = Endpoint{Namespace: "team", PodLabels: map[string]string{"app": "a"}}
	teamB      = Endpoint{Namespace: "team", PodLabels: map[string]string{"app": "b"}}
	other      = Endpoint{Namespace: "other", PodLabels: map[string]string{"app": "x"}}
	kubeDNS    = Endpoint{Namespace: "kube-system", PodLabels: map[string]string{"k8s-app": "kube-dns"}}
	external   = Endpoint{IP: "1.2.3.4"}
	tenNet     = Endpoint{IP: "10.1.2.3"}
	elevenNet  = Endpoint{IP: "11.0.0.1"}
	namespaces = map[string]map[string]string{
		"team":        {"tenant": "team"},
		"other":       {},
		"kube-system": {},
	}
)

type row struct {
	name     string
	from, to Endpoint
	port     int
	proto    string
	want     bool
}

func check(t *testing.T, c Cluster, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			if got := c.Allowed(r.from, r.to, r.port, r.proto); got != r.want {
				t.Errorf("Allowed(%+v -> %+v, %d/%s) = %v, want %v\n%s",
					r.from, r.to, r.port, r.proto, got, r.want, c.Explain(r.from, r.to, r.port, r.proto))
			}
		})
	}
}

// baseRows hold under default-deny + allow-dns + allow-same-namespace.
var baseRows = []row{
	{"same namespace", teamA, teamB, 8080, "TCP", true},
	{"same pod labels", teamA, teamA, 80, "TCP", true},
	{"other namespace to team denied", other, teamA, 8080, "TCP", false},
	{"team to other namespace denied", teamA, other, 8080, "TCP", false},
	{"external to team denied", external, teamA, 443, "TCP", false},
	{"dns udp", teamA, kubeDNS, 53, "UDP", true},
	{"dns tcp", teamA, kubeDNS, 53, "TCP", true},
	{"dns sctp denied", teamA, kubeDNS, 53, "SCTP", false},
	{"kube-system port 80 denied", teamA, kubeDNS, 80, "TCP", false},
	{"external 443 denied", teamA, external, 443, "TCP", false},
	{"unrestricted namespaces unaffected", other, kubeDNS, 80, "TCP", true},
}

func TestTruthTable(t *testing.T) {
	c := Cluster{
		Namespaces: namespaces,
		Policies:   []networkingv1.NetworkPolicy{defaultDeny, allowDNS, allowSameNamespace},
	}
	t.Run("base", func(t *testing.T) { check(t, c, baseRows) })

	c.Policies = append(c.Policies, allowIPBlock)
	t.Run("ipblock", func(t *testing.T) {
		check(t, c, []row{
			{"10.1.2.3:443 allowed", teamA, tenNet, 443, "TCP", true},
			{"10.1.2.3:443/UDP denied", teamA, tenNet, 443, "UDP", false},
			{"10.1.2.3:80 denied", teamA, tenNet, 80, "TCP", false},
			{"11.0.0.1:443 denied", teamA, elevenNet, 443, "TCP", false},
			{"1.2.3.4:443 still denied", teamA, external, 443, "TCP", false},
			{"ingress from 10.1.2.3 still denied", tenNet, teamA, 443, "TCP", false},
		})
		check(t, c, baseRows) // none of these is pod->10/8:443, so all still hold
	})

	c.Policies = append(c.Policies, allowAll)
	t.Run("allow-all", func(t *testing.T) {
		for _, from := range []Endpoint{teamA, teamB, other, kubeDNS, external, tenNet, elevenNet} {
			for _, to := range []Endpoint{teamA, teamB, other, kubeDNS, external, tenNet, elevenNet} {
				for _, p := range []struct {
					port  int
					proto string
				}{{53, "UDP"}, {53, "TCP"}, {80, "TCP"}, {443, "TCP"}, {9999, "SCTP"}} {
					if !c.Allowed(from, to, p.port, p.proto) {
						t.Errorf("allow-all: %+v -> %+v %d/%s denied\n%s", from, to, p.port, p.proto,
							c.Explain(from, to, p.port, p.proto))
					}
				}
			}
		}
	})
}

// TestIPBlockMatchesPodIPs documents a cyclonus semantic: ipBlock peers are
// matched against pod IPs as well, and fake pod IPs live in PodCIDR.
func TestIPBlockMatchesPodIPs(t *testing.T) {
	c := Cluster{
		Namespaces: namespaces,
		Policies:   []networkingv1.NetworkPolicy{defaultDeny, allowIPBlock},
	}
	if !c.Allowed(teamA, kubeDNS, 443, "TCP") {
		t.Errorf("egress ipBlock 10.0.0.0/8 should cover pod IPs in %s", PodCIDR)
	}
	if c.Allowed(teamA, kubeDNS, 80, "TCP") {
		t.Errorf("port 80 to a pod should be denied")
	}
}

func TestFakePodIPDeterministic(t *testing.T) {
	_, podNet, _ := net.ParseCIDR(PodCIDR)
	a := fakePodIP("team", map[string]string{"app": "a", "tier": "web"})
	b := fakePodIP("team", map[string]string{"tier": "web", "app": "a"})
	if a != b {
		t.Fatalf("fakePodIP not deterministic: %s vs %s", a, b)
	}
	if !podNet.Contains(net.ParseIP(a)) {
		t.Fatalf("fake IP %s outside %s", a, PodCIDR)
	}
}

func TestDefaultedPolicyTypes(t *testing.T) {
	// No policyTypes (as a hand-written policy might have): ingress-only deny.
	p := policy("deny-ingress", networkingv1.NetworkPolicySpec{})
	c := Cluster{Policies: []networkingv1.NetworkPolicy{p}}
	if c.Allowed(other, teamA, 80, "TCP") {
		t.Errorf("ingress should be denied")
	}
	if !c.Allowed(teamA, external, 80, "TCP") {
		t.Errorf("egress should be unrestricted")
	}
}
