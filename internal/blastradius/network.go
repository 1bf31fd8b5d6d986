package blastradius

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/netpoleval"
)

// outsider is a namespace no policy names: a caller from anywhere else in the cluster.
const outsider = "blast-radius-any-other-namespace"

// network reports the Services whose pods accept callers from outside the namespace today and
// would accept none after the change: no planned allow (and no policy the provider does not own)
// admits any other namespace or address. Today's verdict uses every live NetworkPolicy; the
// planned one replaces the provider's with the planned ones. It also reports the LoadBalancer and
// NodePort Services beyond what the planned quota allows.
func network(live Live, planned []hardening.Object, o owners, notes *[]string) (out []Impact) {
	defer func() {
		// netpoleval panics on input it cannot evaluate; the blast radius then says so instead of
		// stopping the plan, and judges only the quota's Services.
		if r := recover(); r != nil {
			*notes = append(*notes, fmt.Sprintf("traffic was not judged: the NetworkPolicies could not be evaluated (%v)", r))
			out = append(out[:0:0], quotaServices(live, planned)...)
		}
	}()
	var today, foreign []networkingv1.NetworkPolicy
	for _, p := range typed[networkingv1.NetworkPolicy](live, "NetworkPolicy") {
		today = append(today, p)
		if !managed(p.Labels) {
			foreign = append(foreign, p)
		}
	}
	after := append([]networkingv1.NetworkPolicy{}, foreign...)
	for _, p := range plannedOf[networkingv1.NetworkPolicy](planned) {
		q := *p.DeepCopy()
		q.Namespace = live.Namespace
		after = append(after, q)
	}
	nsLabels := map[string]string{}
	if ns := plannedNamespace(planned); ns != nil {
		nsLabels = ns.Labels
	}
	namespaces := map[string]map[string]string{live.Namespace: nsLabels}
	before := netpoleval.Cluster{Namespaces: namespaces, Policies: today}
	afterC := netpoleval.Cluster{Namespaces: namespaces, Policies: after}
	callers := candidates(after, live.Namespace)
	pods := typed[corev1.Pod](live, "Pod")
	for _, s := range typed[corev1.Service](live, "Service") {
		if len(s.Spec.Selector) == 0 || s.Spec.Type == corev1.ServiceTypeExternalName {
			continue
		}
		sel := labels.SelectorFromSet(s.Spec.Selector)
		var cut []string
		for _, p := range pods {
			if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed || !sel.Matches(labels.Set(p.Labels)) {
				continue
			}
			to := netpoleval.Endpoint{Namespace: live.Namespace, PodLabels: p.Labels}
			for _, sp := range s.Spec.Ports {
				port, proto := targetPort(sp, p), string(sp.Protocol)
				if proto == "" {
					proto = "TCP"
				}
				if port == 0 || !before.Allowed(netpoleval.Endpoint{Namespace: outsider}, to, port, proto) {
					continue
				}
				if !slices.ContainsFunc(callers, func(from netpoleval.Endpoint) bool { return afterC.Allowed(from, to, port, proto) }) {
					what := fmt.Sprintf("%s (port %d/%s)", o.top("Pod/"+p.Name), port, proto)
					if !slices.Contains(cut, what) {
						cut = append(cut, what)
					}
				}
			}
		}
		if len(cut) > 0 {
			slices.Sort(cut)
			out = append(out, Impact{Kind: Network, Object: "Service/" + s.Name,
				Reason: "loses every caller from outside the namespace: no planned allow admits traffic to " + strings.Join(cut, ", ")})
		}
	}
	return append(out, quotaServices(live, planned)...)
}

// candidates are the callers from outside the namespace the planned policies could admit: an
// unnamed namespace, every namespace a policy names, and an address in every CIDR one names.
func candidates(policies []networkingv1.NetworkPolicy, namespace string) []netpoleval.Endpoint {
	out := []netpoleval.Endpoint{{Namespace: outsider}}
	for _, p := range policies {
		for _, r := range p.Spec.Ingress {
			for _, peer := range r.From {
				if peer.NamespaceSelector != nil {
					if n := peer.NamespaceSelector.MatchLabels[corev1.LabelMetadataName]; n != "" && n != namespace {
						out = append(out, netpoleval.Endpoint{Namespace: n})
					}
				}
				if peer.IPBlock != nil {
					if pfx, err := netip.ParsePrefix(peer.IPBlock.CIDR); err == nil {
						out = append(out, netpoleval.Endpoint{IP: pfx.Masked().Addr().Next().String()})
					}
				}
			}
		}
	}
	return out
}

// targetPort is the container port a Service port reaches on pod p (0 when a named port is not
// one of the pod's).
func targetPort(sp corev1.ServicePort, p corev1.Pod) int {
	switch {
	case sp.TargetPort.IntValue() > 0:
		return sp.TargetPort.IntValue()
	case sp.TargetPort.StrVal != "":
		for _, c := range p.Spec.Containers {
			for _, cp := range c.Ports {
				if cp.Name == sp.TargetPort.StrVal {
					return int(cp.ContainerPort)
				}
			}
		}
		return 0
	default:
		return int(sp.Port)
	}
}

// quotaServices reports LoadBalancer and NodePort Services beyond what the planned quota allows.
func quotaServices(live Live, planned []hardening.Object) []Impact {
	var out []Impact
	for _, q := range plannedOf[corev1.ResourceQuota](planned) {
		for _, c := range []struct {
			t   corev1.ServiceType
			key corev1.ResourceName
		}{{corev1.ServiceTypeLoadBalancer, corev1.ResourceServicesLoadBalancers}, {corev1.ServiceTypeNodePort, corev1.ResourceServicesNodePorts}} {
			hard, ok := q.Spec.Hard[c.key]
			if !ok {
				continue
			}
			var names []string
			for _, s := range typed[corev1.Service](live, "Service") {
				if s.Spec.Type == c.t {
					names = append(names, s.Name)
				}
			}
			if int64(len(names)) <= hard.Value() {
				continue
			}
			for _, n := range names {
				out = append(out, Impact{Kind: Network, Object: "Service/" + n,
					Reason: fmt.Sprintf("type %s, but the planned quota allows %s (%s): it could not be created again", c.t, hard.String(), c.key)})
			}
		}
	}
	return out
}
