package hardening

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// Live is what an import finds in the cluster.
type Live struct {
	Namespace      *corev1.Namespace
	ServiceAccount *corev1.ServiceAccount
	ResourceQuota  *corev1.ResourceQuota
	LimitRange     *corev1.LimitRange
	Policies       map[string]*networkingv1.NetworkPolicy
	RoleBindings   []*rbacv1.RoleBinding
	// LegacyImagePolicy and its binding: the per-namespace image policy of earlier releases.
	LegacyImagePolicy  *admissionv1.ValidatingAdmissionPolicy
	LegacyImageBinding *admissionv1.ValidatingAdmissionPolicyBinding
	// LegacyTamperProtection: an earlier release's per-namespace tamper guard exists.
	LegacyTamperProtection bool
}

// Adopt reconstructs the spec that would produce the live objects, so an import followed by the
// matching configuration plans no change. Values equal to the environment preset are left unset,
// as a user would leave them; anything this provider would not have written is ignored and shows
// as drift on the next plan.
func Adopt(l Live) NamespaceSpec {
	ns := l.Namespace
	s := NamespaceSpec{Name: ns.Name, Environment: ns.Labels[EnvironmentLabel]}
	if ValidateEnvironment(s.Environment) != nil || s.Environment == "" {
		s.Environment = DefaultEnvironment
	}
	preset, _ := PresetFor(s.Environment)
	ps := PodSecurityFromLabels(ns.Labels)
	for _, f := range []struct {
		v   string
		dst **string
	}{{ps.Enforce, &s.PodSecurity.Enforce}, {ps.Audit, &s.PodSecurity.Audit}, {ps.Warn, &s.PodSecurity.Warn}} {
		if ValidateLevel(f.v) == nil {
			v := f.v
			*f.dst = &v
		}
	}
	if ValidatePodSecurityVersion(ps.Version) == nil {
		v := ps.Version
		s.PodSecurity.Version = &v
	}
	if l.ServiceAccount != nil && l.ServiceAccount.AutomountServiceAccountToken != nil {
		v := *l.ServiceAccount.AutomountServiceAccountToken
		s.AutomountServiceAccountToken = &v
	}
	if q := l.ResourceQuota; q != nil {
		s.ResourceQuota = overrides(preset.ResourceQuota, q.Spec.Hard)
	}
	if lr := l.LimitRange; lr != nil {
		for _, item := range lr.Spec.Limits {
			if item.Type != corev1.LimitTypeContainer {
				continue
			}
			s.LimitRange = LimitRangeInput{
				DefaultRequest: overrides(preset.LimitRange.DefaultRequest, item.DefaultRequest),
				Default:        overrides(preset.LimitRange.Default, item.Default),
				Max:            overrides(preset.LimitRange.Max, item.Max),
				Min:            overrides(preset.LimitRange.Min, item.Min),
			}
		}
	}
	s.Network = adoptNetwork(l.Policies)
	s.Access = adoptAccess(l.RoleBindings)
	s.ImagePolicy = adoptImagePolicy(l)
	// The pull policy is written only where it differs from the environment's default, as an
	// import of a namespace configured with the default would otherwise plan a change.
	if p := ImagePolicyFromNamespace(l.Namespace.Labels, l.Namespace.Annotations); p != nil && s.ImagePolicy != nil &&
		p.AlwaysPull != PresetAlwaysPull(s.Environment) {
		s.ImagePolicy.AlwaysPullImages = &p.AlwaysPull
	}
	s.ServicePolicy = adoptServicePolicy(l)
	if p := ClassPolicyFromNamespace(l.Namespace.Labels, l.Namespace.Annotations); p != nil {
		s.AllowedStorageClasses, s.AllowedPriorityClasses = p.StorageClasses, p.PriorityClasses
		if v, ok := PresetMaxPreemptingPriority(s.Environment); !ok || p.MaxPreemptingPriority == nil || *p.MaxPreemptingPriority != v {
			s.MaxPreemptingPriority = p.MaxPreemptingPriority
		}
	}
	s.AllowedHostnames = HostnamesFromNamespace(l.Namespace.Labels, l.Namespace.Annotations)
	return s
}

// AdoptTamperProtection says whether a live namespace is guarded.
func AdoptTamperProtection(l Live) bool {
	return l.Namespace.Labels[TamperProtectionLabel] == tamperEnabled || l.LegacyTamperProtection
}

func adoptImagePolicy(l Live) *ImagePolicyInput {
	if p := ImagePolicyFromNamespace(l.Namespace.Labels, l.Namespace.Annotations); p != nil {
		return &ImagePolicyInput{AllowedRegistries: p.AllowedRegistries, ForbidLatestTag: &p.ForbidLatestTag,
			RequireDigest: &p.RequireDigest, Action: &p.Action}
	}
	if l.LegacyImagePolicy == nil || l.LegacyImageBinding == nil || len(l.LegacyImageBinding.Spec.ValidationActions) == 0 {
		return nil
	}
	p := &ImagePolicyInput{}
	for _, v := range l.LegacyImagePolicy.Spec.Variables {
		if v.Name == "allowed" {
			p.AllowedRegistries = parseCELList(v.Expression)
		}
	}
	forbid, digest := false, false
	for _, v := range l.LegacyImagePolicy.Spec.Validations {
		forbid = forbid || strings.Contains(v.Expression, celTagOK)
		digest = digest || strings.Contains(v.Expression, celDigestOK)
	}
	action := string(l.LegacyImageBinding.Spec.ValidationActions[0])
	p.ForbidLatestTag, p.RequireDigest, p.Action = &forbid, &digest, &action
	return p
}

// overrides returns the live entries that differ from the preset (nil when none).
func overrides(preset map[string]string, live corev1.ResourceList) map[string]string {
	out := map[string]string{}
	for k, q := range live {
		v := q.String()
		if p, ok := preset[string(k)]; ok && quantityCmp(p, v) == 0 {
			continue
		}
		out[string(k)] = v
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func adoptNetwork(p map[string]*networkingv1.NetworkPolicy) NetworkInput {
	b := func(v bool) *bool { return &v }
	var n NetworkInput
	deny := p[PolicyDefaultDeny]
	hasType := func(t networkingv1.PolicyType) bool {
		if deny == nil {
			return false
		}
		for _, pt := range deny.Spec.PolicyTypes {
			if pt == t {
				return true
			}
		}
		return false
	}
	n.DenyIngress, n.DenyEgress = b(hasType(networkingv1.PolicyTypeIngress)), b(hasType(networkingv1.PolicyTypeEgress))
	if *n.DenyEgress {
		n.AllowDNS = b(p[PolicyAllowDNS] != nil)
	}
	if *n.DenyIngress || *n.DenyEgress {
		n.AllowSameNamespace = b(p[PolicyAllowSame] != nil)
	}
	if np := p[PolicyAllowFromNS]; np != nil && len(np.Spec.Ingress) == 1 {
		n.AllowIngressFromNamespaces = peerNamespaces(np.Spec.Ingress[0].From)
		n.AllowIngressPorts = portStrings(np.Spec.Ingress[0].Ports)
	}
	if np := p[PolicyAllowToNS]; np != nil && len(np.Spec.Egress) == 1 {
		n.AllowEgressToNamespaces = peerNamespaces(np.Spec.Egress[0].To)
		n.AllowEgressPorts = portStrings(np.Spec.Egress[0].Ports)
	}
	if np := p[PolicyAllowFromCIDRs]; np != nil && len(np.Spec.Ingress) == 1 {
		for _, peer := range np.Spec.Ingress[0].From {
			if peer.IPBlock != nil {
				n.AllowIngressFromCIDRs = append(n.AllowIngressFromCIDRs, peer.IPBlock.CIDR)
			}
		}
		n.AllowIngressPorts = portStrings(np.Spec.Ingress[0].Ports)
	}
	if np := p[PolicyAllowToCIDRs]; np != nil && len(np.Spec.Egress) == 1 {
		for _, peer := range np.Spec.Egress[0].To {
			if peer.IPBlock != nil {
				n.AllowEgressToCIDRs = append(n.AllowEgressToCIDRs, peer.IPBlock.CIDR)
			}
		}
		n.AllowEgressPorts = portStrings(np.Spec.Egress[0].Ports)
	}
	return n
}

func peerNamespaces(peers []networkingv1.NetworkPolicyPeer) []string {
	var out []string
	for _, peer := range peers {
		if peer.NamespaceSelector == nil {
			continue
		}
		if v, ok := peer.NamespaceSelector.MatchLabels[namespaceNameLabel]; ok {
			out = append(out, v)
		}
		for _, e := range peer.NamespaceSelector.MatchExpressions {
			if e.Key == namespaceNameLabel {
				out = append(out, e.Values...)
			}
		}
	}
	return out
}

func portStrings(ports []networkingv1.NetworkPolicyPort) []string {
	var out []string
	for _, p := range ports {
		if p.Port == nil {
			continue
		}
		proto := "TCP"
		if p.Protocol != nil {
			proto = string(*p.Protocol)
		}
		if proto == "TCP" {
			out = append(out, p.Port.String())
		} else {
			out = append(out, fmt.Sprintf("%s/%s", p.Port.String(), proto))
		}
	}
	return out
}

func adoptAccess(bindings []*rbacv1.RoleBinding) []AccessEntry {
	sorted := append([]*rbacv1.RoleBinding(nil), bindings...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var out []AccessEntry
	for _, rb := range sorted {
		if !strings.HasPrefix(rb.Name, RoleBindingPrefix) || rb.RoleRef.Kind != "ClusterRole" {
			continue
		}
		e := AccessEntry{Role: rb.RoleRef.Name, AllowClusterAdmin: rb.RoleRef.Name == ClusterAdmin}
		for _, sub := range rb.Subjects {
			switch sub.Kind {
			case rbacv1.UserKind:
				e.Users = append(e.Users, sub.Name)
			case rbacv1.GroupKind:
				e.Groups = append(e.Groups, sub.Name)
			case rbacv1.ServiceAccountKind:
				e.ServiceAccounts = append(e.ServiceAccounts, sub.Namespace+"/"+sub.Name)
			}
		}
		out = append(out, e)
	}
	return out
}

// adoptServicePolicy keeps the Services policy a namespace of the provider carries. The default
// policy is adopted as unset, as a configuration would write it; a namespace without one gets the
// default too, which the plan shows being added.
func adoptServicePolicy(l Live) *ServicePolicyInput {
	p := ServicePolicyFromNamespace(l.Namespace.Labels, l.Namespace.Annotations)
	if p == nil || reflect.DeepEqual(*p, *resolveServicePolicy(nil)) {
		return nil
	}
	return &ServicePolicyInput{Action: &p.Action, AllowedExternalIPCIDRs: p.AllowedExternalIPCIDRs,
		AllowExternalName: &p.AllowExternalName, RequireLoadBalancerSourceRanges: &p.RequireLoadBalancerSourceRanges}
}
