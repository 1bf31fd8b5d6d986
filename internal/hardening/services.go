package hardening

import (
	"fmt"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// The Services policy keeps a tenant's Services inside its namespace. Kubernetes admits, from
// anyone who may create a Service:
//   - spec.externalIPs, which makes every node forward traffic for those addresses to the Service,
//     intercepting it cluster-wide (CVE-2020-8554, mitigated upstream only by admission);
//   - type ExternalName, an in-cluster name for any host, through which ingress controllers can be
//     led to other namespaces' Services (CVE-2021-25740);
//   - LoadBalancers open to every address.
//
// Like the image policy it is one shared ValidatingAdmissionPolicy, bound per action to the
// namespaces whose label selects it, reading the namespace's own values from its annotations,
// which tamper protection keeps tenants from changing.

// Namespace keys and object names of the Services policy.
const (
	ServicePolicyLabel                = MetadataPrefix + "service-policy" // the action: Deny, Warn, Audit
	ServiceExternalIPCIDRsAnnotation  = MetadataPrefix + "service-external-ip-cidrs"
	ServiceRulesAnnotation            = MetadataPrefix + "service-rules"
	ServicePolicyName                 = "hardened-services"
	serviceBindingPrefix              = "hardened-services-"
	serviceRuleAllowExternalName      = "allow-external-name"
	serviceRuleRequireLBSourceRanges  = "require-load-balancer-source-ranges"
	DefaultServicePolicyEnabled       = true
	DefaultAllowExternalName          = false
	DefaultRequireLoadBalancerSources = true
	DefaultServiceAction              = ImageActionDeny
	maxServiceExternalIPCIDRs         = 50
	serviceRefusalPrefix              = "hardened_namespace service policy: "
)

// ServicePolicyInput is the user's service_policy block; nil fields take their defaults, and a nil
// block is the default policy.
type ServicePolicyInput struct {
	Enabled                         *bool
	Action                          *string
	AllowedExternalIPCIDRs          []string
	AllowExternalName               *bool
	RequireLoadBalancerSourceRanges *bool
}

// ServicePolicy is the effective Services policy of a namespace.
type ServicePolicy struct {
	Action                          string
	AllowedExternalIPCIDRs          []string
	AllowExternalName               bool
	RequireLoadBalancerSourceRanges bool
}

// resolveServicePolicy fills the defaults; nil when the policy is turned off.
func resolveServicePolicy(in *ServicePolicyInput) *ServicePolicy {
	if in == nil {
		in = &ServicePolicyInput{}
	}
	if !pick(in.Enabled, DefaultServicePolicyEnabled) {
		return nil
	}
	return &ServicePolicy{
		Action:                          pick(in.Action, DefaultServiceAction),
		AllowedExternalIPCIDRs:          in.AllowedExternalIPCIDRs,
		AllowExternalName:               pick(in.AllowExternalName, DefaultAllowExternalName),
		RequireLoadBalancerSourceRanges: pick(in.RequireLoadBalancerSourceRanges, DefaultRequireLoadBalancerSources),
	}
}

// servicePolicyEnabled says whether a spec runs the Services policy.
func (s NamespaceSpec) servicePolicyEnabled() bool {
	return s.ServicePolicy == nil || pick(s.ServicePolicy.Enabled, DefaultServicePolicyEnabled)
}

func validateServicePolicy(p *ServicePolicyInput) []fielderr.Error {
	if p == nil {
		return nil
	}
	var errs []fielderr.Error
	seen := map[string]bool{}
	for i, c := range p.AllowedExternalIPCIDRs {
		if err := ValidateCIDR(c); err != nil {
			errs = append(errs, fielderr.Error{Path: []any{"service_policy", "allowed_external_ip_cidrs", i}, Msg: err.Error()})
		} else if seen[c] {
			errs = append(errs, fielderr.Error{Path: []any{"service_policy", "allowed_external_ip_cidrs", i}, Msg: fmt.Sprintf("%q is listed twice", c)})
		}
		seen[c] = true
	}
	if len(p.AllowedExternalIPCIDRs) > maxServiceExternalIPCIDRs {
		errs = append(errs, fielderr.Error{Path: []any{"service_policy", "allowed_external_ip_cidrs"},
			Msg: fmt.Sprintf("at most %d ranges", maxServiceExternalIPCIDRs)})
	}
	if p.Action != nil {
		if err := ValidateImageAction(*p.Action); err != nil {
			errs = append(errs, fielderr.Error{Path: []any{"service_policy", "action"}, Msg: err.Error()})
		}
	}
	if p.Enabled != nil && !*p.Enabled && (p.Action != nil || len(p.AllowedExternalIPCIDRs) > 0 || p.AllowExternalName != nil ||
		p.RequireLoadBalancerSourceRanges != nil) {
		errs = append(errs, fielderr.Error{Path: []any{"service_policy", "enabled"},
			Msg: "enabled = false turns the Services policy off; remove its other settings, or set enabled = true"})
	}
	return errs
}

// ServiceBindingName names the shared binding of one action.
func ServiceBindingName(action string) string { return serviceBindingPrefix + strings.ToLower(action) }

// servicePolicyMetadata is what a namespace carries for its Services policy.
func servicePolicyMetadata(p ServicePolicy) (labels, annotations map[string]string) {
	labels = map[string]string{ServicePolicyLabel: p.Action}
	annotations = map[string]string{}
	if len(p.AllowedExternalIPCIDRs) > 0 {
		annotations[ServiceExternalIPCIDRsAnnotation] = strings.Join(p.AllowedExternalIPCIDRs, ",")
	}
	var rules []string
	if p.AllowExternalName {
		rules = append(rules, serviceRuleAllowExternalName)
	}
	if p.RequireLoadBalancerSourceRanges {
		rules = append(rules, serviceRuleRequireLBSourceRanges)
	}
	if len(rules) > 0 {
		annotations[ServiceRulesAnnotation] = strings.Join(rules, ",")
	}
	return labels, annotations
}

// ServicePolicyFromNamespace reads the Services policy a namespace's keys configure (nil: none).
func ServicePolicyFromNamespace(labels, annotations map[string]string) *ServicePolicy {
	action, ok := labels[ServicePolicyLabel]
	if !ok {
		return nil
	}
	p := &ServicePolicy{Action: action}
	if c := annotations[ServiceExternalIPCIDRsAnnotation]; c != "" {
		p.AllowedExternalIPCIDRs = strings.Split(c, ",")
	}
	rules := strings.Split(annotations[ServiceRulesAnnotation], ",")
	p.AllowExternalName = slices.Contains(rules, serviceRuleAllowExternalName)
	p.RequireLoadBalancerSourceRanges = slices.Contains(rules, serviceRuleRequireLBSourceRanges)
	return p
}

// ServicePolicyKeysDiffer says how a namespace's keys differ from what the Services policy needs
// ("" when they match).
func ServicePolicyKeysDiffer(p ServicePolicy, labels, annotations map[string]string) string {
	wantL, wantA := servicePolicyMetadata(p)
	return keysDiffer(wantL, wantA, []string{ServiceExternalIPCIDRsAnnotation, ServiceRulesAnnotation}, labels, annotations)
}

// ServicePolicyObjectIDs are the shared objects a Services policy with this action runs on.
func ServicePolicyObjectIDs(action string) []string {
	return []string{validatingPolicyKind + "/" + ServicePolicyName, validatingPolicyBindKind + "/" + ServiceBindingName(action)}
}

// servicePolicyObjects returns the shared Services policy and the binding of one action. An update
// is judged on what it adds, so a Service admitted before the policy (or before a range was
// removed) can still be updated by its controllers and deleted.
func servicePolicyObjects(action string) []Object {
	const (
		isUpdate = `request.operation == 'UPDATE' && oldObject != null`
		ipsOf    = `(has(%[1]s.spec.externalIPs) ? %[1]s.spec.externalIPs : [])`
		typeOf   = `(has(%[1]s.spec.type) ? %[1]s.spec.type : 'ClusterIP')`
	)
	of := func(pattern, root string) string { return strings.ReplaceAll(pattern, "%[1]s", root) }
	variables := []admissionv1.Variable{
		{Name: "cidrs", Expression: celAnnotationList("namespaceObject", ServiceExternalIPCIDRsAnnotation)},
		{Name: "rules", Expression: celAnnotationList("namespaceObject", ServiceRulesAnnotation)},
		{Name: "type", Expression: of(typeOf, "object")},
		{Name: "oldType", Expression: isUpdate + ` ? ` + of(typeOf, "oldObject") + ` : ''`},
		{Name: "newIPs", Expression: isUpdate + ` ? ` + of(ipsOf, "object") + `.filter(i, !(i in ` + of(ipsOf, "oldObject") + `)) : ` + of(ipsOf, "object")},
		{Name: "badIPs", Expression: `variables.newIPs.filter(i, !variables.cidrs.exists(c, cidr(c).containsIP(i)))`},
		{Name: "ranges", Expression: `has(object.spec.loadBalancerSourceRanges) ? object.spec.loadBalancerSourceRanges : []`},
	}
	sameExternalName := isUpdate + ` && variables.oldType == 'ExternalName' && has(oldObject.spec.externalName) && ` +
		`has(object.spec.externalName) && oldObject.spec.externalName == object.spec.externalName`
	openLB := isUpdate + ` && variables.oldType == 'LoadBalancer' && !(has(oldObject.spec.loadBalancerSourceRanges) && ` +
		`oldObject.spec.loadBalancerSourceRanges.size() > 0)`
	validations := []admissionv1.Validation{
		{
			Expression: `variables.badIPs.size() == 0`,
			MessageExpression: `'` + serviceRefusalPrefix + `externalIPs ' + variables.badIPs.join(', ') + ` +
				`(variables.cidrs.size() == 0 ? ' are not allowed in this namespace (externalIPs intercept traffic for those addresses cluster-wide)' : ` +
				`' are outside the allowed ranges ' + variables.cidrs.join(', '))`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
		{
			Expression: `variables.type != 'ExternalName' || '` + serviceRuleAllowExternalName + `' in variables.rules || (` + sameExternalName + `)`,
			MessageExpression: `'` + serviceRefusalPrefix + `Services of type ExternalName are not allowed in this namespace ` +
				`(they point an in-cluster name at any host); use a Service with a selector or with EndpointSlices'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
		{
			Expression: `variables.type != 'LoadBalancer' || !('` + serviceRuleRequireLBSourceRanges + `' in variables.rules) || ` +
				`variables.ranges.size() > 0 || (` + openLB + `)`,
			MessageExpression: `'` + serviceRefusalPrefix + `a LoadBalancer Service needs spec.loadBalancerSourceRanges: ` +
				`name the address ranges that may connect'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
	}
	write := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	policy := sharedPolicy(ServicePolicyName, admissionv1.ValidatingAdmissionPolicySpec{Variables: variables, Validations: validations},
		namedRule(write, "", "services"))
	binding := sharedBinding(ServiceBindingName(action), ServicePolicyName,
		admissionv1.MatchResources{NamespaceSelector: labelSelector(ServicePolicyLabel, action)}, admissionv1.ValidationAction(action))
	return []Object{policy, binding}
}
