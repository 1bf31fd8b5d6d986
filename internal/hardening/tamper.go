package hardening

import (
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Tamper protection: a ValidatingAdmissionPolicy that keeps the namespace's tenants (and anyone
// else but the identity Terraform runs as) from weakening what the resource set up. RBAC cannot
// do this: the edit and admin roles a tenant needs include writing NetworkPolicies, ConfigMaps and
// ServiceAccounts, and RBAC cannot tell the provider's objects from the tenant's.

// SystemExemptUsers are the controllers that must act on the namespace's objects: the namespace
// controller deletes everything on destroy, the garbage collector removes dependents, and the
// controller manager acts under its own name when it runs without per-controller credentials.
var SystemExemptUsers = []string{
	"system:serviceaccount:kube-system:namespace-controller",
	"system:serviceaccount:kube-system:generic-garbage-collector",
	"system:kube-controller-manager",
}

// protectedNamespaceLabels are the namespace labels the guard keeps as they are.
var protectedNamespaceLabels = []string{
	PodSecurityLabelPrefix + "enforce", PodSecurityLabelPrefix + "enforce-version",
	PodSecurityLabelPrefix + "audit", PodSecurityLabelPrefix + "audit-version",
	PodSecurityLabelPrefix + "warn", PodSecurityLabelPrefix + "warn-version",
	ManagedByLabel, EnvironmentLabel, TamperProtectionLabel,
}

// CEL pieces. "Owned" is decided by the managed-by label on the object before or after the change,
// so a tenant can neither edit the provider's objects nor create objects that claim to be its own.
const (
	celOwnedLabel = `((oldObject != null && has(oldObject.metadata.labels) && '` + ManagedByLabel + `' in oldObject.metadata.labels && oldObject.metadata.labels['` + ManagedByLabel + `'] == '` + ManagedByValue + `') || ` +
		`(object != null && has(object.metadata.labels) && '` + ManagedByLabel + `' in object.metadata.labels && object.metadata.labels['` + ManagedByLabel + `'] == '` + ManagedByValue + `'))`
	celIsNamespace = `(request.resource.resource == 'namespaces')`
	// request.name is absent (not empty) on a delete of a whole collection: has() first, or the
	// expression errors and the policy, failing closed, refuses the namespace controller.
	celIsDefaultSA      = `(request.resource.resource == 'serviceaccounts' && has(request.name) && request.name == '` + DefaultServiceAccount + `')`
	celSameField        = `(has(object.%[1]s) == has(oldObject.%[1]s) && (!has(object.%[1]s) || object.%[1]s == oldObject.%[1]s))`
	celLabelOf          = `((has(%[1]s.metadata.labels) && %[2]s in %[1]s.metadata.labels) ? %[1]s.metadata.labels[%[2]s] : '')`
	tamperMessagePrefix = "hardened_namespace tamper protection: "
)

func celSame(field string) string {
	return strings.ReplaceAll(celSameField, "%[1]s", field)
}

func celLabelsUnchanged(keys []string) string {
	var parts []string
	for _, k := range keys {
		q := celString(k)
		newV := strings.NewReplacer("%[1]s", "object", "%[2]s", q).Replace(celLabelOf)
		oldV := strings.NewReplacer("%[1]s", "oldObject", "%[2]s", q).Replace(celLabelOf)
		parts = append(parts, newV+" == "+oldV)
	}
	return strings.Join(parts, " && ")
}

// The namespace a request is about, in the tamper policy's CEL: the namespace itself (as it was
// before the change, so a request cannot exempt itself), or the one the object lives in.
const (
	celTamperNamespace = `request.resource.resource == 'namespaces' ? (oldObject != null ? oldObject : object) : namespaceObject`
	celTamperNsName    = `request.resource.resource == 'namespaces' ? request.name : request.namespace`
)

// tamperObjects returns the shared guard: one policy, bound to namespaces labelled
// tamper-protection=enabled. The identity Terraform runs as is exempt through the namespace's
// terraform-identity annotation (each namespace may be managed by a different runner); the system
// controllers are always exempt. Two bindings: the namespaceSelector matches objects in guarded
// namespaces, and for a Namespace object only its new labels, so a second binding selects
// Namespace objects whose old or new labels carry the label: removing it is judged too.
func tamperObjects() []Object {
	ops := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update, admissionv1.Delete}
	// Metadata other controllers add (labels, annotations) may change; what the provider set may not.
	contentSame := strings.Join([]string{celSame("spec"), celSame("data"), celSame("binaryData"),
		celSame("subjects"), celSame("roleRef"), celLabelsUnchanged([]string{ManagedByLabel})}, " && ")
	exempt := `variables.exempt || `
	spec := admissionv1.ValidatingAdmissionPolicySpec{
		// The controllers are exempt before anything else is evaluated: a false match condition
		// skips the policy even where another condition cannot be evaluated.
		MatchConditions: []admissionv1.MatchCondition{
			{Name: "not-system", Expression: `!(request.userInfo.username in ` + celList(SystemExemptUsers) + `)`},
			{Name: "guarded-object", Expression: celIsNamespace + ` || ` + celIsDefaultSA + ` || ` + celOwnedLabel},
		},
		Variables: []admissionv1.Variable{
			{Name: "ns", Expression: celTamperNamespace},
			{Name: "nsName", Expression: celTamperNsName},
			{Name: "exempt", Expression: celNamespaceValue("variables.ns", "annotations", TerraformIdentityAnnotation) + ` == request.userInfo.username`},
		},
		Validations: []admissionv1.Validation{
			{
				Expression:        exempt + `!` + celIsNamespace + ` || (request.operation == 'UPDATE' && ` + celLabelsUnchanged(protectedNamespaceLabels) + `)`,
				MessageExpression: `'` + tamperMessagePrefix + `the Pod Security and managed-by labels of namespace ' + variables.nsName + ' are managed by Terraform and cannot be changed or the namespace deleted'`,
				Reason:            ptr(metav1.StatusReasonForbidden),
			},
			{
				Expression:        exempt + `!` + celIsDefaultSA + ` || ` + celOwnedLabel + ` || request.operation == 'CREATE' || (request.operation == 'UPDATE' && ` + celSame("automountServiceAccountToken") + `)`,
				MessageExpression: `'` + tamperMessagePrefix + `automountServiceAccountToken of the default ServiceAccount in ' + variables.nsName + ' is managed by Terraform, and the ServiceAccount cannot be deleted'`,
				Reason:            ptr(metav1.StatusReasonForbidden),
			},
			{
				Expression:        exempt + celIsNamespace + ` || (` + celIsDefaultSA + ` && !` + celOwnedLabel + `) || (request.operation == 'UPDATE' && ` + contentSame + `)`,
				MessageExpression: `'` + tamperMessagePrefix + `objects labelled ` + ManagedByLabel + `=` + ManagedByValue + ` in namespace ' + variables.nsName + ' are managed by Terraform: they cannot be created, changed or deleted by anyone else (metadata other than that label may change)'`,
				Reason:            ptr(metav1.StatusReasonForbidden),
			},
		},
	}
	policy := sharedPolicy(TamperPolicyName, spec,
		namedRule(ops, "", "namespaces", "configmaps", "resourcequotas", "limitranges", "serviceaccounts"),
		namedRule(ops, "networking.k8s.io", "networkpolicies"),
		namedRule(ops, "rbac.authorization.k8s.io", "rolebindings"))
	inside := sharedBinding(TamperPolicyName, TamperPolicyName,
		admissionv1.MatchResources{NamespaceSelector: labelSelector(TamperProtectionLabel, tamperEnabled)}, admissionv1.Deny)
	namespaces := sharedBinding(tamperNamespacesBinding, TamperPolicyName, admissionv1.MatchResources{
		ObjectSelector: labelSelector(TamperProtectionLabel, tamperEnabled),
		ResourceRules:  []admissionv1.NamedRuleWithOperations{namedRule(ops, "", "namespaces")},
	}, admissionv1.Deny)
	return []Object{policy, inside, namespaces}
}

// TamperIdentity is the identity a live namespace's guard exempts ("" when none).
func TamperIdentity(annotations map[string]string) string {
	return annotations[TerraformIdentityAnnotation]
}

// TamperExemptUser reads the Terraform identity a legacy per-namespace tamper policy exempts ("" when none).
func TamperExemptUser(p *admissionv1.ValidatingAdmissionPolicy) string {
	for _, c := range p.Spec.MatchConditions {
		if c.Name != "not-exempt" {
			continue
		}
		for _, u := range parseCELList(strings.TrimSuffix(strings.TrimPrefix(c.Expression, `!(request.userInfo.username in `), `)`)) {
			if !isSystemExempt(u) {
				return u
			}
		}
	}
	return ""
}

func isSystemExempt(u string) bool {
	for _, s := range SystemExemptUsers {
		if s == u {
			return true
		}
	}
	return false
}

// IsTamperRefusal says whether an API error message is this guard refusing a request.
func IsTamperRefusal(msg string) bool { return strings.Contains(msg, tamperMessagePrefix) }
