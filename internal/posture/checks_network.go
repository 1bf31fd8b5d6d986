package posture

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// reopened finds namespaces whose default deny another policy undoes for every source or
// destination (HRD-5003). What counts as "every": a rule with no peers, a peer selecting all
// namespaces, or an address block of length 0; the policy's own pod selector does not matter,
// since one pod reachable from anywhere is the namespace re-opened.
func (e *evaluator) reopened() {
	if e.unknownIf(CheckDefaultDenyReopened, PartNamespaces, PartNetworkPolicies) {
		return
	}
	denyIngress, denyEgress := e.defaultDenies()
	for _, np := range e.s.NetworkPolicies {
		if !e.o.Selects(np.Namespace) {
			continue
		}
		if why := hardening.PolicyOpensToEveryone(np, denyIngress[np.Namespace], denyEgress[np.Namespace]); why != "" {
			e.add(CheckDefaultDenyReopened, "", "NetworkPolicy", np.Namespace, np.Name, fmt.Sprintf(
				"NetworkPolicy %s %s, re-opening the namespace's default deny.", qualified(np.Namespace, np.Name), why))
		}
	}
}

// defaultDenies says, per namespace, whether some policy denies all ingress and all egress.
func (e *evaluator) defaultDenies() (ingress, egress map[string]bool) {
	ingress, egress = map[string]bool{}, map[string]bool{}
	for _, np := range e.s.NetworkPolicies {
		in, out := isDefaultDeny(np)
		ingress[np.Namespace] = ingress[np.Namespace] || in
		egress[np.Namespace] = egress[np.Namespace] || out
	}
	return ingress, egress
}

// isDefaultDeny says whether a policy denies all ingress and/or all egress of every pod in its
// namespace: an empty podSelector, the direction in policyTypes, and no rules for it.
func isDefaultDeny(np networkingv1.NetworkPolicy) (ingress, egress bool) {
	sel := np.Spec.PodSelector
	if len(sel.MatchLabels) > 0 || len(sel.MatchExpressions) > 0 {
		return false, false
	}
	types := np.Spec.PolicyTypes
	if len(types) == 0 {
		// The API server's defaulting: Ingress always, Egress when there are egress rules.
		types = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(np.Spec.Egress) > 0 {
			types = append(types, networkingv1.PolicyTypeEgress)
		}
	}
	ingress = slices.Contains(types, networkingv1.PolicyTypeIngress) && len(np.Spec.Ingress) == 0
	egress = slices.Contains(types, networkingv1.PolicyTypeEgress) && len(np.Spec.Egress) == 0
	return ingress, egress
}

// services reports Services a tenant can use to reach past its namespace (HRD-5004, HRD-5005).
func (e *evaluator) services() {
	ipsUnknown := e.unknownIf(CheckServiceExternalIPs, PartServices)
	if e.unknownIf(CheckServiceExternalName, PartServices) || ipsUnknown {
		return
	}
	for _, svc := range e.s.Services {
		if !e.o.Selects(svc.Namespace) {
			continue
		}
		if len(svc.Spec.ExternalIPs) > 0 {
			e.add(CheckServiceExternalIPs, "", "Service", svc.Namespace, svc.Name, fmt.Sprintf("Service %s claims externalIPs %s: "+
				"traffic from any pod or node to those addresses reaches its endpoints.", qualified(svc.Namespace, svc.Name),
				strings.Join(svc.Spec.ExternalIPs, ", ")))
		}
		if svc.Spec.Type == corev1.ServiceTypeExternalName {
			e.add(CheckServiceExternalName, "", "Service", svc.Namespace, svc.Name, fmt.Sprintf("Service %s is an ExternalName "+
				"for %q: the in-cluster name %s.%s resolves wherever its author chose.", qualified(svc.Namespace, svc.Name),
				svc.Spec.ExternalName, svc.Name, svc.Namespace))
		}
	}
}
