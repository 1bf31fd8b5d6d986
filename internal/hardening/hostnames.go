package hardening

import (
	"fmt"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// The hostname policy keeps a namespace's Ingresses and Gateway API routes on the hostnames it
// owns: an ingress controller or gateway shared by tenants sends a host's traffic to whichever
// object claims it, so without it any tenant can take another's hostname (or every hostname, with
// a wildcard, a rule without a host or a default backend). Uniqueness across namespaces holds only
// when each suffix is listed for one namespace: the policy judges a namespace's own objects.

// Namespace keys and object names of the hostname policy.
const (
	HostnamePolicyLabel  = MetadataPrefix + "hostname-policy" // "enabled"
	HostnamesAnnotation  = MetadataPrefix + "hostnames"
	HostnamePolicyName   = "hardened-hostnames"
	hostnamePolicyOn     = "enabled"
	hostnameRefusal      = "hardened_namespace hostname policy: "
	maxAllowedHostnames  = 50
	hostnameNone         = "(none: every hostname)"
	hostnameWildcardPart = "*."
)

// GatewayAPIGroup is the API group of the routes the hostname policy judges besides Ingress.
const GatewayAPIGroup = "gateway.networking.k8s.io"

// GatewayRouteResources are the Gateway API routes that carry spec.hostnames.
var GatewayRouteResources = []string{"httproutes", "grpcroutes", "tlsroutes"}

// validateHostnames checks allowed_hostnames: DNS names of at least two labels (a suffix such as
// "com" would let the namespace claim a whole top-level domain), no wildcard (a listed name
// already owns everything under it), no duplicates.
func validateHostnames(names []string) []fielderr.Error {
	var errs []fielderr.Error
	seen := map[string]bool{}
	for i, n := range names {
		p := []any{"allowed_hostnames", i}
		switch {
		case strings.HasPrefix(n, hostnameWildcardPart):
			errs = append(errs, fielderr.Error{Path: p, Msg: fmt.Sprintf("%q is a wildcard: list %q, which owns it and every name under it", n, strings.TrimPrefix(n, hostnameWildcardPart))})
		case len(validation.IsDNS1123Subdomain(n)) > 0:
			errs = append(errs, fielderr.Error{Path: p, Msg: fmt.Sprintf("%q is not a DNS name: lower case letters, digits, '-' and '.', such as \"shop.example.com\"", n)})
		case !strings.Contains(n, "."):
			errs = append(errs, fielderr.Error{Path: p, Msg: fmt.Sprintf("%q is a top-level domain: list a name the namespace owns, such as \"shop.%s\"", n, n)})
		case seen[n]:
			errs = append(errs, fielderr.Error{Path: p, Msg: fmt.Sprintf("%q is listed twice", n)})
		}
		seen[n] = true
	}
	if len(names) > maxAllowedHostnames {
		errs = append(errs, fielderr.Error{Path: []any{"allowed_hostnames"}, Msg: fmt.Sprintf("at most %d hostnames", maxAllowedHostnames)})
	}
	return errs
}

// HostnameAllowed is the policy's rule, in Go for tests and plan-time reports: a host is allowed
// when it, or the name under a leading "*.", is a listed name or under one. "" (a rule without a
// host, a route without hostnames, a default backend) serves every hostname and is never allowed.
func HostnameAllowed(host string, owned []string) bool {
	h := strings.TrimPrefix(strings.ToLower(host), hostnameWildcardPart)
	if h == "" {
		return false
	}
	for _, o := range owned {
		if h == o || strings.HasSuffix(h, "."+o) {
			return true
		}
	}
	return false
}

// hostnamePolicyMetadata is what a namespace carries for its hostname policy.
func hostnamePolicyMetadata(owned []string) (labels, annotations map[string]string) {
	return map[string]string{HostnamePolicyLabel: hostnamePolicyOn},
		map[string]string{HostnamesAnnotation: strings.Join(owned, ",")}
}

// HostnamesFromNamespace reads the hostnames a namespace owns (nil: no hostname policy).
func HostnamesFromNamespace(labels, annotations map[string]string) []string {
	if labels[HostnamePolicyLabel] != hostnamePolicyOn || annotations[HostnamesAnnotation] == "" {
		return nil
	}
	return strings.Split(annotations[HostnamesAnnotation], ",")
}

// hostnamePolicyObjects returns the shared hostname policy and its binding. An update is judged on
// the hosts it adds, so a narrowed list does not block controllers that update or finalize what
// already exists. The Gateway API routes are matched by name whether or not their CRDs are
// installed: routes are judged from the moment they can exist.
func hostnamePolicyObjects() []Object {
	// Hosts are collected as comma-joined strings and split, which works on every CEL version the
	// provider supports (list flatten does not); API validation has already refused commas in hosts.
	ingressHosts := func(o string) string {
		return `((has(` + o + `.spec.rules) ? ` + o + `.spec.rules.map(r, has(r.host) ? r.host : '') : []) + ` +
			`(has(` + o + `.spec.tls) ? ` + o + `.spec.tls.map(t, has(t.hosts) ? t.hosts.join(',') : '').filter(s, s != '').join(',').split(',').filter(s, s != '') : []) + ` +
			`(has(` + o + `.spec.defaultBackend) ? [''] : []))`
	}
	routeHosts := func(o string) string {
		return `((has(` + o + `.spec.hostnames) && ` + o + `.spec.hostnames.size() > 0) ? ` + o + `.spec.hostnames : [''])`
	}
	hosts := func(o string) string {
		return `(` + o + `.kind == 'Ingress' ? ` + ingressHosts(o) + ` : ` + routeHosts(o) + `)`
	}
	variables := []admissionv1.Variable{
		{Name: "owned", Expression: celAnnotationList("namespaceObject", HostnamesAnnotation)},
		{Name: "hosts", Expression: hosts("object")},
		{Name: "oldHosts", Expression: `request.operation == 'UPDATE' && oldObject != null ? ` + hosts("oldObject") + ` : []`},
		{Name: "added", Expression: `variables.hosts.filter(h, !(h in variables.oldHosts))`},
		{Name: "refused", Expression: `variables.added.filter(h, h == '' || !variables.owned.exists(o, ` +
			`(h.startsWith('*.') ? h.substring(2) : h).lowerAscii() == o || (h.startsWith('*.') ? h.substring(2) : h).lowerAscii().endsWith('.' + o)))`},
	}
	validations := []admissionv1.Validation{{
		Expression: `variables.owned.size() == 0 || variables.refused.size() == 0`,
		MessageExpression: `'` + hostnameRefusal + `host ' + variables.refused.map(h, h == '' ? '` + hostnameNone + `' : h).join(', ') + ` +
			`' is outside the hostnames this namespace owns (' + variables.owned.join(', ') + '): use a host under one of them, and a host on every rule and route'`,
		Reason: ptr(metav1.StatusReasonForbidden),
	}}
	write := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	policy := sharedPolicy(HostnamePolicyName, admissionv1.ValidatingAdmissionPolicySpec{Variables: variables, Validations: validations},
		namedRule(write, "networking.k8s.io", "ingresses"),
		namedRule(write, GatewayAPIGroup, GatewayRouteResources...))
	binding := sharedBinding(HostnamePolicyName, HostnamePolicyName,
		admissionv1.MatchResources{NamespaceSelector: labelSelector(HostnamePolicyLabel, hostnamePolicyOn)}, admissionv1.Deny)
	return []Object{policy, binding}
}
