package hardening

import (
	"fmt"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// Tamper protection: a ValidatingAdmissionPolicy that keeps the namespace's tenants (and anyone
// else but the identity Terraform runs as) from weakening what the resource set up. RBAC cannot
// do this: the edit and admin roles a tenant needs include writing NetworkPolicies, ConfigMaps and
// ServiceAccounts, and RBAC cannot tell the provider's objects from the tenant's.

// SystemExemptUsers are the controllers that delete a namespace's contents: the namespace controller
// empties it on destroy, the garbage collector removes dependents, and the controller manager acts
// under its own name when it runs without per-controller credentials. They are exempt only while
// the namespace is terminating: otherwise an ownerReference or a finalizer would make them act for
// whoever wrote it (a tenant's ownerReference to a missing object gets a guarded object deleted).
var SystemExemptUsers = []string{
	"system:serviceaccount:kube-system:namespace-controller",
	"system:serviceaccount:kube-system:generic-garbage-collector",
	"system:kube-controller-manager",
}

// MastersGroup is Kubernetes' built-in superuser group. Its members can always break glass: no
// tenant can be in it (it is granted by certificate or the cloud's admin mapping, never by RBAC).
const MastersGroup = "system:masters"

// protectedNamespaceLabels are the namespace labels outside MetadataPrefix the guard keeps as they are.
var protectedNamespaceLabels = []string{
	PodSecurityLabelPrefix + "enforce", PodSecurityLabelPrefix + "enforce-version",
	PodSecurityLabelPrefix + "audit", PodSecurityLabelPrefix + "audit-version",
	PodSecurityLabelPrefix + "warn", PodSecurityLabelPrefix + "warn-version",
	ManagedByLabel, EnvironmentLabel,
}

// CEL pieces. "Owned" is decided by the managed-by label on the object before or after the change,
// so a tenant can neither edit the provider's objects nor create objects that claim to be its own.
const (
	celOwnedLabel = `((oldObject != null && has(oldObject.metadata.labels) && '` + ManagedByLabel + `' in oldObject.metadata.labels && oldObject.metadata.labels['` + ManagedByLabel + `'] == '` + ManagedByValue + `') || ` +
		`(object != null && has(object.metadata.labels) && '` + ManagedByLabel + `' in object.metadata.labels && object.metadata.labels['` + ManagedByLabel + `'] == '` + ManagedByValue + `'))`
	celIsNamespace = `(request.resource.resource == 'namespaces')`
	// request.name is absent (not empty) on a delete of a whole collection: has() first, or the
	// expression errors and the policy, failing closed, refuses the namespace controller.
	celIsDefaultSA = `(request.resource.resource == 'serviceaccounts' && has(request.name) && request.name == '` + DefaultServiceAccount + `')`
	celSameField   = `(has(object.%[1]s) == has(oldObject.%[1]s) && (!has(object.%[1]s) || object.%[1]s == oldObject.%[1]s))`
	celLabelOf     = `((has(%[1]s.metadata.labels) && %[2]s in %[1]s.metadata.labels) ? %[1]s.metadata.labels[%[2]s] : '')`
	// celPrefixed lists the keys of a label or annotation map that start with MetadataPrefix.
	celPrefixed         = `(has(%[1]s.metadata.%[2]s) ? %[1]s.metadata.%[2]s.filter(k, k.startsWith('` + MetadataPrefix + `')) : [])`
	tamperMessagePrefix = "hardened_namespace tamper protection: "
	// celGroups is the requester's groups ([] for an identity the authenticator gave none).
	celGroups = `(has(request.userInfo.groups) ? request.userInfo.groups : [])`
)

func celSame(field string) string {
	return strings.ReplaceAll(celSameField, "%[1]s", field)
}

// celMetaSame: ownerReferences and finalizers are content: an ownerReference makes the garbage
// collector delete the object, a finalizer keeps a revoked binding alive.
var celMetaSame = `(` + celSame("metadata.ownerReferences") + ` && ` + celSame("metadata.finalizers") + `)`

// celNoMeta: an object created with neither.
const celNoMeta = `((!has(object.metadata.ownerReferences) || size(object.metadata.ownerReferences) == 0) && ` +
	`(!has(object.metadata.finalizers) || size(object.metadata.finalizers) == 0))`

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

// celPrefixedUnchanged: the same MetadataPrefix keys, with the same values, before and after.
func celPrefixedUnchanged(field string) string {
	keys := func(obj string) string { return strings.NewReplacer("%[1]s", obj, "%[2]s", field).Replace(celPrefixed) }
	return `(size(` + keys("object") + `) == size(` + keys("oldObject") + `) && ` + keys("object") +
		`.all(k, has(oldObject.metadata.` + field + `) && k in oldObject.metadata.` + field +
		` && oldObject.metadata.` + field + `[k] == object.metadata.` + field + `[k]))`
}

// The namespace a request is about, in the tamper policy's CEL: the namespace itself (as it was
// before the change, so a request cannot exempt itself), or the one the object lives in.
const (
	celTamperNamespace = `request.resource.resource == 'namespaces' ? (oldObject != null ? oldObject : object) : namespaceObject`
	celTamperNsName    = `request.resource.resource == 'namespaces' ? request.name : request.namespace`
)

// tamperObjects returns the shared guard: one policy, bound to namespaces labelled
// tamper-protection=enabled. Exempt are: the runner the namespace's annotations name (user names
// and groups, so a runner whose user name changes per session is declared by its stable group);
// break-glass (system:masters, and the groups the namespace's break-glass annotation names), each
// such request recorded in the audit log; and the system controllers while the namespace is
// terminating. Two bindings: the namespaceSelector matches objects in guarded namespaces, and for a
// Namespace object only its new labels, so a second binding selects Namespace objects whose old or
// new labels carry the label: removing it is judged too.
func tamperObjects() []Object {
	ops := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update, admissionv1.Delete}
	// Metadata other controllers add (labels, annotations) may change; what the provider set, and
	// what makes another controller act on the object, may not.
	contentSame := strings.Join([]string{celSame("spec"), celSame("data"), celSame("binaryData"),
		celSame("subjects"), celSame("roleRef"), celLabelsUnchanged([]string{ManagedByLabel}), celMetaSame}, " && ")
	nsSame := strings.Join([]string{celLabelsUnchanged(protectedNamespaceLabels), celPrefixedUnchanged("labels"),
		celPrefixedUnchanged("annotations"), celMetaSame, celSame("spec")}, " && ")
	spec := admissionv1.ValidatingAdmissionPolicySpec{
		MatchConditions: []admissionv1.MatchCondition{
			{Name: "guarded-object", Expression: celIsNamespace + ` || ` + celIsDefaultSA + ` || ` + celOwnedLabel},
		},
		Variables: []admissionv1.Variable{
			{Name: "ns", Expression: celTamperNamespace},
			{Name: "nsName", Expression: celTamperNsName},
			{Name: "groups", Expression: celGroups},
			{Name: "runner", Expression: `request.userInfo.username in ` + celAnnotationList("variables.ns", TerraformIdentityAnnotation) +
				` || variables.groups.exists(g, g in ` + celAnnotationList("variables.ns", TerraformGroupsAnnotation) + `)`},
			{Name: "breakGlass", Expression: `variables.groups.exists(g, g == '` + MastersGroup + `' || g in ` + celAnnotationList("variables.ns", BreakGlassGroupsAnnotation) + `)`},
			{Name: "system", Expression: `request.userInfo.username in ` + celList(SystemExemptUsers) +
				` && variables.ns != null && has(variables.ns.metadata.deletionTimestamp)`},
			{Name: "exempt", Expression: `variables.runner || variables.breakGlass || variables.system`},
			{Name: "wasGuarded", Expression: `oldObject != null && ` + strings.NewReplacer("%[1]s", "oldObject", "%[2]s", celString(TamperProtectionLabel)).Replace(celLabelOf) + ` == '` + tamperEnabled + `'`},
			// A namespace the guard did not protect before the request is being opted in (created
			// with the guard, or given it): whoever may write namespaces may do that.
			{Name: "namespaceOK", Expression: `!` + celIsNamespace + ` || request.operation == 'CREATE' || (request.operation == 'UPDATE' && (!variables.wasGuarded || (` + nsSame + `)))`},
			{Name: "serviceAccountOK", Expression: `!` + celIsDefaultSA + ` || ` + celOwnedLabel +
				` || (request.operation == 'CREATE' && ` + celNoMeta + `) || (request.operation == 'UPDATE' && ` + celSame("automountServiceAccountToken") + ` && ` + celMetaSame + `)`},
			{Name: "ownedOK", Expression: celIsNamespace + ` || (` + celIsDefaultSA + ` && !` + celOwnedLabel + `) || (request.operation == 'UPDATE' && ` + contentSame + `)`},
		},
		Validations: []admissionv1.Validation{
			{
				Expression:        `variables.exempt || variables.namespaceOK`,
				MessageExpression: `'` + tamperMessagePrefix + `the Pod Security, managed-by and ` + MetadataPrefix + `* labels and annotations, ownerReferences and finalizers of namespace ' + variables.nsName + ' are managed by Terraform: only its runner or a cluster administrator may change them or delete the namespace'`,
				Reason:            ptr(metav1.StatusReasonForbidden),
			},
			{
				Expression:        `variables.exempt || variables.serviceAccountOK`,
				MessageExpression: `'` + tamperMessagePrefix + `automountServiceAccountToken, ownerReferences and finalizers of the default ServiceAccount in ' + variables.nsName + ' are managed by Terraform, and the ServiceAccount cannot be deleted'`,
				Reason:            ptr(metav1.StatusReasonForbidden),
			},
			{
				Expression:        `variables.exempt || variables.ownedOK`,
				MessageExpression: `'` + tamperMessagePrefix + `objects labelled ` + ManagedByLabel + `=` + ManagedByValue + ` in namespace ' + variables.nsName + ' are managed by Terraform: they cannot be created, changed (content, that label, ownerReferences, finalizers) or deleted by anyone else'`,
				Reason:            ptr(metav1.StatusReasonForbidden),
			},
		},
		// Break-glass leaves a trace: a request admitted only because its sender may break glass is
		// annotated in the audit log as hardened-tamper/break-glass (an empty value is no annotation).
		AuditAnnotations: []admissionv1.AuditAnnotation{{
			Key: BreakGlassAuditKey,
			ValueExpression: `(variables.breakGlass && !variables.runner && !variables.system && !(variables.namespaceOK && variables.serviceAccountOK && variables.ownedOK)) ? ` +
				`request.userInfo.username + ' ' + request.operation + ' ' + request.resource.resource + ' ' + variables.nsName + (has(request.name) && request.resource.resource != 'namespaces' ? '/' + request.name : '') : ''`,
		}},
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

// BreakGlassAuditKey is the audit annotation key (prefixed by the policy name in audit events) of
// requests admitted only through break-glass.
const BreakGlassAuditKey = "break-glass"

// RunnerIdentity is who may change what the guard protects: user names and groups. Learned from
// the API server (one user name) unless the provider configuration declares it.
type RunnerIdentity struct {
	Users, Groups []string
}

// Empty says whether it names nobody.
func (r RunnerIdentity) Empty() bool { return len(r.Users) == 0 && len(r.Groups) == 0 }

// Matches says whether an authenticated identity is this runner.
func (r RunnerIdentity) Matches(user string, groups []string) bool {
	if slices.Contains(r.Users, user) {
		return true
	}
	for _, g := range groups {
		if slices.Contains(r.Groups, g) {
			return true
		}
	}
	return false
}

// IsBreakGlass says whether an identity with these groups may break glass in a namespace with
// these annotations: the Go side of the guard's breakGlass variable.
func IsBreakGlass(groups []string, namespaceAnnotations map[string]string) bool {
	extra := TamperBreakGlassGroups(namespaceAnnotations)
	return slices.ContainsFunc(groups, func(g string) bool { return g == MastersGroup || slices.Contains(extra, g) })
}

// TamperBreakGlassGroups are the groups a namespace's guard exempts besides system:masters.
func TamperBreakGlassGroups(namespaceAnnotations map[string]string) []string {
	return splitList(namespaceAnnotations[BreakGlassGroupsAnnotation])
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// String says who it is, for messages.
func (r RunnerIdentity) String() string {
	var parts []string
	if len(r.Users) > 0 {
		parts = append(parts, "users "+strings.Join(r.Users, ", "))
	}
	if len(r.Groups) > 0 {
		parts = append(parts, "groups "+strings.Join(r.Groups, ", "))
	}
	if len(parts) == 0 {
		return "nobody"
	}
	return strings.Join(parts, "; ")
}

// TamperIdentity is the runner a live namespace's guard exempts (empty when none).
func TamperIdentity(annotations map[string]string) RunnerIdentity {
	return RunnerIdentity{Users: splitList(annotations[TerraformIdentityAnnotation]), Groups: splitList(annotations[TerraformGroupsAnnotation])}
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

// ValidateIdentityName checks a user or group name the guard's annotations carry: they are
// comma-separated lists, and a name nobody can authenticate as would exempt no one.
func ValidateIdentityName(kind, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("a %s name cannot be empty", kind)
	case strings.Contains(name, ","):
		return fmt.Errorf("%s %q contains a comma, which the guard uses to separate names", kind, name)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%s %q has leading or trailing spaces: authenticators never produce them", kind, name)
	case kind == "group" && broadSubjects["Group/"+name]:
		return fmt.Errorf("group %q holds (nearly) every identity: exempting it switches the guard off for everyone; name the group of the runner or of the cluster administrators", name)
	}
	return nil
}

// ValidateRunnerIdentity checks a declared runner identity; every error names the list and index.
func ValidateRunnerIdentity(r RunnerIdentity) []fielderr.Error {
	var errs []fielderr.Error
	for i, u := range r.Users {
		if err := ValidateIdentityName("user", u); err != nil {
			errs = append(errs, fielderr.Error{Path: []any{"runner_identity", "users", i}, Msg: err.Error()})
		}
	}
	for i, g := range r.Groups {
		if err := ValidateIdentityName("group", g); err != nil {
			errs = append(errs, fielderr.Error{Path: []any{"runner_identity", "groups", i}, Msg: err.Error()})
		}
	}
	return errs
}
