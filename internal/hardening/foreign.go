package hardening

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Foreign lists what others added to a hardened namespace that undoes part of it: NetworkPolicies
// that allow more than the configuration does, and RoleBindings that escalate. Each entry is
// "Kind/name: why". Tenants may add policies and bindings; these are the ones that are reported.
type Foreign struct {
	OpenPolicies       []string
	EscalatingBindings []string
	// ImagePolicyNotLive says why the live namespace does not run the image policy the
	// configuration asks for ("" when it does): its keys or the shared policy and binding differ.
	ImagePolicyNotLive string `json:",omitempty"`
	// ServicePolicyNotLive is the same for the Services policy, which practice 5 rests on.
	ServicePolicyNotLive string `json:",omitempty"`
}

// Empty reports whether nothing foreign weakens the namespace.
func (f Foreign) Empty() bool {
	return len(f.OpenPolicies) == 0 && len(f.EscalatingBindings) == 0 && f.ImagePolicyNotLive == "" && f.ServicePolicyNotLive == ""
}

// Broad subjects: a binding to one of them grants its role to (nearly) everyone.
var broadSubjects = map[string]bool{
	"Group/system:authenticated":   true,
	"Group/system:unauthenticated": true,
	"Group/system:serviceaccounts": true,
	"User/system:anonymous":        true,
}

// EscalatingRoles are roles a binding not made by the provider must not grant in a hardened namespace.
var EscalatingRoles = []string{ClusterAdmin, "admin"}

// ProvidedBinding says whether a RoleBinding is one the provider wrote: labelled as its own, in a
// namespace its tamper guard protects (where nobody else can create a labelled binding), and named
// for the role it grants as the provider names its bindings. The label alone proves nothing:
// anyone who can write a RoleBinding can set it.
func ProvidedBinding(rb rbacv1.RoleBinding, namespaceLabels map[string]string) bool {
	return IsManaged(rb.Labels) && IsManaged(namespaceLabels) && namespaceLabels[TamperProtectionLabel] == tamperEnabled &&
		rb.Name == RoleBindingName(rb.RoleRef.Name)
}

// BindingEscalates says why a RoleBinding escalates ("" when it does not).
func BindingEscalates(rb rbacv1.RoleBinding) string {
	var why []string
	if rb.RoleRef.Kind == "ClusterRole" && slices.Contains(EscalatingRoles, rb.RoleRef.Name) {
		why = append(why, "grants ClusterRole "+rb.RoleRef.Name)
	}
	for _, s := range rb.Subjects {
		if broadSubjects[s.Kind+"/"+s.Name] {
			why = append(why, "binds "+s.Kind+" "+s.Name)
		}
	}
	return strings.Join(why, ", ")
}

// Others are the NetworkPolicies and RoleBindings of a namespace that are not the resource's,
// reduced to what judging them reads (name, spec, role and subjects). A refresh keeps them so that
// a plan judges them against the configuration it plans rather than the one in state: narrowing an
// allow can make a tenant's own policy the wider one.
type Others struct {
	Policies []networkingv1.NetworkPolicy `json:"policies,omitempty"`
	Bindings []rbacv1.RoleBinding         `json:"bindings,omitempty"`
}

// NewOthers keeps of each object only what Judge reads.
func NewOthers(policies []networkingv1.NetworkPolicy, bindings []rbacv1.RoleBinding) Others {
	var o Others
	for _, p := range policies {
		o.Policies = append(o.Policies, networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: p.Name}, Spec: p.Spec})
	}
	for _, b := range bindings {
		o.Bindings = append(o.Bindings, rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: b.Name}, RoleRef: b.RoleRef, Subjects: b.Subjects})
	}
	return o
}

// Judge finds what in o weakens r. Objects the configuration wants (by ID) are the resource's own
// after apply, and are not judged.
func (o Others) Judge(r Resolved, wanted []string) Foreign {
	var policies []networkingv1.NetworkPolicy
	var bindings []rbacv1.RoleBinding
	for _, p := range o.Policies {
		if !slices.Contains(wanted, "NetworkPolicy/"+p.Name) {
			policies = append(policies, p)
		}
	}
	for _, b := range o.Bindings {
		if !slices.Contains(wanted, "RoleBinding/"+b.Name) {
			bindings = append(bindings, b)
		}
	}
	return ForeignFindings(r, policies, bindings)
}

// Squatted lists the objects the configuration wants (IDs) that exist without being the
// provider's: written by someone else under a name the provider uses. Apply would take them over
// (or fail on an immutable field such as a RoleBinding's roleRef), and until then they grant what
// their author chose while compliance would judge them as the provider's own.
func (o Others) Squatted(wanted []string) []string {
	var out []string
	for _, p := range o.Policies {
		if id := "NetworkPolicy/" + p.Name; slices.Contains(wanted, id) {
			out = append(out, id)
		}
	}
	for _, b := range o.Bindings {
		if id := "RoleBinding/" + b.Name; slices.Contains(wanted, id) {
			out = append(out, id)
		}
	}
	return out
}

// Empty reports whether there are no such objects.
func (o Others) Empty() bool { return len(o.Policies) == 0 && len(o.Bindings) == 0 }

// ForeignFindings judges the policies and bindings in a namespace that the resource does not own
// against what the resolved configuration allows.
func ForeignFindings(r Resolved, policies []networkingv1.NetworkPolicy, bindings []rbacv1.RoleBinding) Foreign {
	var f Foreign
	for _, p := range policies {
		if why := PolicyWidens(r.Name, r.Network, p); why != "" {
			f.OpenPolicies = append(f.OpenPolicies, "NetworkPolicy/"+p.Name+": "+why)
		}
	}
	for _, b := range bindings {
		if why := BindingEscalates(b); why != "" {
			f.EscalatingBindings = append(f.EscalatingBindings, "RoleBinding/"+b.Name+": "+why)
		}
	}
	sort.Strings(f.OpenPolicies)
	sort.Strings(f.EscalatingBindings)
	return f
}

// PolicyWidens says how a NetworkPolicy allows traffic the configuration's default deny and
// explicit allows do not ("" when everything it allows is already allowed). It reasons about
// namespaces, addresses and ports only: a policy that opens a single pod still opens the namespace.
func PolicyWidens(namespace string, n Network, p networkingv1.NetworkPolicy) string {
	types := policyTypes(p)
	var why []string
	if n.DenyIngress && slices.Contains(types, networkingv1.PolicyTypeIngress) {
		for _, rule := range p.Spec.Ingress {
			if w := ingressWidens(namespace, n, rule); w != "" {
				why = append(why, w)
			}
		}
	}
	if n.DenyEgress && slices.Contains(types, networkingv1.PolicyTypeEgress) {
		for _, rule := range p.Spec.Egress {
			if w := egressWidens(namespace, n, rule); w != "" {
				why = append(why, w)
			}
		}
	}
	return strings.Join(slices.Compact(why), "; ")
}

// PolicyOpensToEveryone says how a NetworkPolicy allows traffic from or to every source or
// destination in a direction that is denied by default ("" when it does not): a rule with no
// peers, a peer selecting every namespace, or an address block of length 0. It is the part of
// PolicyWidens that holds without knowing a namespace's configuration (cluster posture).
func PolicyOpensToEveryone(p networkingv1.NetworkPolicy, denyIngress, denyEgress bool) string {
	everyone := func(peers []networkingv1.NetworkPolicyPeer) string {
		if len(peers) == 0 {
			return "anywhere"
		}
		for _, peer := range peers {
			switch {
			case peer.IPBlock != nil:
				if pfx, err := netip.ParsePrefix(peer.IPBlock.CIDR); err == nil && pfx.Bits() == 0 {
					return peer.IPBlock.CIDR
				}
			case peer.NamespaceSelector != nil && len(peer.NamespaceSelector.MatchLabels) == 0 && len(peer.NamespaceSelector.MatchExpressions) == 0:
				return "all namespaces"
			}
		}
		return ""
	}
	types := policyTypes(p)
	var why []string
	if denyIngress && slices.Contains(types, networkingv1.PolicyTypeIngress) {
		for _, rule := range p.Spec.Ingress {
			if who := everyone(rule.From); who != "" {
				why = append(why, "allows ingress from "+who+portsSuffix(rule.Ports))
			}
		}
	}
	if denyEgress && slices.Contains(types, networkingv1.PolicyTypeEgress) {
		for _, rule := range p.Spec.Egress {
			if who := everyone(rule.To); who != "" {
				why = append(why, "allows egress to "+who+portsSuffix(rule.Ports))
			}
		}
	}
	return strings.Join(slices.Compact(why), "; ")
}

// policyTypes are a policy's directions, defaulted as the API server does: Ingress always, Egress
// when it has egress rules.
func policyTypes(p networkingv1.NetworkPolicy) []networkingv1.PolicyType {
	if len(p.Spec.PolicyTypes) > 0 {
		return p.Spec.PolicyTypes
	}
	types := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	if len(p.Spec.Egress) > 0 {
		types = append(types, networkingv1.PolicyTypeEgress)
	}
	return types
}

func ingressWidens(namespace string, n Network, rule networkingv1.NetworkPolicyIngressRule) string {
	if len(rule.From) == 0 {
		return "allows ingress from anywhere" + portsSuffix(rule.Ports)
	}
	for _, peer := range rule.From {
		switch {
		case peer.IPBlock != nil:
			if !cidrWithin(peer.IPBlock.CIDR, n.AllowIngressFromCIDRs) || !portsWithin(rule.Ports, n.AllowIngressPorts) {
				return "allows ingress from " + peer.IPBlock.CIDR + portsSuffix(rule.Ports)
			}
		case peer.NamespaceSelector == nil:
			if !n.AllowSameNamespace {
				return "allows ingress from pods in the same namespace (allow_same_namespace is false)"
			}
		default:
			names, exact := selectorNames(peer.NamespaceSelector)
			if !exact {
				return "allows ingress from namespaces selected by labels (" + selectorString(peer.NamespaceSelector) + ")" + portsSuffix(rule.Ports)
			}
			for _, name := range names {
				switch {
				case name == namespace && n.AllowSameNamespace:
				case slices.Contains(n.AllowIngressFromNamespaces, name) && portsWithin(rule.Ports, n.AllowIngressPorts):
				default:
					return "allows ingress from namespace " + name + portsSuffix(rule.Ports)
				}
			}
		}
	}
	return ""
}

func egressWidens(namespace string, n Network, rule networkingv1.NetworkPolicyEgressRule) string {
	if len(rule.To) == 0 {
		return "allows egress to anywhere" + portsSuffix(rule.Ports)
	}
	for _, peer := range rule.To {
		switch {
		case peer.IPBlock != nil:
			if !cidrWithin(peer.IPBlock.CIDR, n.AllowEgressToCIDRs) || !portsWithin(rule.Ports, n.AllowEgressPorts) {
				return "allows egress to " + peer.IPBlock.CIDR + portsSuffix(rule.Ports)
			}
		case peer.NamespaceSelector == nil:
			if !n.AllowSameNamespace {
				return "allows egress to pods in the same namespace (allow_same_namespace is false)"
			}
		default:
			names, exact := selectorNames(peer.NamespaceSelector)
			if !exact {
				return "allows egress to namespaces selected by labels (" + selectorString(peer.NamespaceSelector) + ")" + portsSuffix(rule.Ports)
			}
			for _, name := range names {
				switch {
				case name == namespace && n.AllowSameNamespace:
				case name == dnsNamespace && n.AllowDNS && portsWithin(rule.Ports, []string{"53/UDP", "53/TCP"}):
				case slices.Contains(n.AllowEgressToNamespaces, name) && portsWithin(rule.Ports, n.AllowEgressPorts):
				default:
					return "allows egress to namespace " + name + portsSuffix(rule.Ports)
				}
			}
		}
	}
	return ""
}

// selectorNames returns the namespaces a selector picks when it picks them by name only (the
// kubernetes.io/metadata.name label the API server sets); exact is false for any other selector.
func selectorNames(sel *metav1.LabelSelector) ([]string, bool) {
	var names []string
	for k, v := range sel.MatchLabels {
		if k != namespaceNameLabel {
			return nil, false
		}
		names = append(names, v)
	}
	for _, e := range sel.MatchExpressions {
		if e.Key != namespaceNameLabel || e.Operator != metav1.LabelSelectorOpIn {
			return nil, false
		}
		if len(names) > 0 { // matchLabels and In together: the intersection
			names = slices.DeleteFunc(names, func(n string) bool { return !slices.Contains(e.Values, n) })
			continue
		}
		names = append(names, e.Values...)
	}
	if len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0 {
		return nil, false // {} selects every namespace
	}
	return names, true
}

func selectorString(sel *metav1.LabelSelector) string {
	s := metav1.FormatLabelSelector(sel)
	if s == "" || s == "<none>" {
		return "all namespaces"
	}
	return s
}

// portsWithin: a rule's ports are within the allowed list when the list is empty (all ports are
// allowed) or every port the rule names is in it. A rule with no ports means every port.
func portsWithin(ports []networkingv1.NetworkPolicyPort, allowed []string) bool {
	if len(allowed) == 0 {
		return true
	}
	if len(ports) == 0 {
		return false
	}
	norm := make([]string, 0, len(allowed))
	for _, a := range allowed {
		if !strings.Contains(a, "/") {
			a += "/TCP"
		}
		norm = append(norm, a)
	}
	for _, p := range ports {
		if p.Port == nil || p.EndPort != nil {
			return false
		}
		proto := corev1.ProtocolTCP
		if p.Protocol != nil {
			proto = *p.Protocol
		}
		if !slices.Contains(norm, p.Port.String()+"/"+string(proto)) {
			return false
		}
	}
	return true
}

func portsSuffix(ports []networkingv1.NetworkPolicyPort) string {
	if len(ports) == 0 {
		return " on every port"
	}
	var out []string
	for _, p := range ports {
		proto := "TCP"
		if p.Protocol != nil {
			proto = string(*p.Protocol)
		}
		port := "all"
		if p.Port != nil {
			port = p.Port.String()
		}
		if p.EndPort != nil {
			port += fmt.Sprintf("-%d", *p.EndPort)
		}
		out = append(out, port+"/"+proto)
	}
	return " on " + strings.Join(out, ", ")
}

// cidrWithin reports whether cidr lies inside one of the allowed CIDRs.
func cidrWithin(cidr string, allowed []string) bool {
	p, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	for _, a := range allowed {
		ap, err := netip.ParsePrefix(a)
		if err != nil {
			continue
		}
		if ap.Bits() <= p.Bits() && ap.Contains(p.Addr()) {
			return true
		}
	}
	return false
}
