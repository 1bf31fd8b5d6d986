package hardening

import (
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Admission policies are cluster-scoped objects with fixed names, shared by every namespace the
// provider manages. What differs between namespaces lives on the namespace, which tenants cannot
// write: a label selects it (the bindings' namespaceSelector) and annotations carry its values
// (read by the policies' CEL as namespaceObject). Fixed names are what let RBAC confine the
// provider's identity to its own policies (resourceNames cannot match a pattern), and they keep the
// number of policies the API server evaluates constant however many namespaces there are.

// MetadataPrefix starts every label and annotation key the provider writes on a namespace, other
// than the well-known ones (Pod Security, managed-by). Users cannot set keys with it.
const MetadataPrefix = "hardened.kubehardening.io/"

// Namespace labels and annotations that configure the shared policies.
const (
	TamperProtectionLabel       = MetadataPrefix + "tamper-protection"  // "enabled"
	TerraformIdentityAnnotation = MetadataPrefix + "terraform-identity" // the runner's user names, comma-separated
	TerraformGroupsAnnotation   = MetadataPrefix + "terraform-groups"   // the runner's groups, comma-separated
	BreakGlassGroupsAnnotation  = MetadataPrefix + "break-glass-groups" // groups exempt besides system:masters
	ImagePolicyLabel            = MetadataPrefix + "image-policy"       // the action: Deny, Warn, Audit
	AllowedRegistriesAnnotation = MetadataPrefix + "allowed-registries"
	ImageRulesAnnotation        = MetadataPrefix + "image-rules"
	tamperEnabled               = "enabled"
)

// The shared objects' names.
const (
	TamperPolicyName         = "hardened-tamper"
	tamperNamespacesBinding  = "hardened-tamper-namespaces"
	ImagePolicyName          = "hardened-images"
	imageBindingPrefix       = "hardened-images-"
	legacyTamperPolicyPrefix = "hardened-tamper."
	legacyImagePolicyPrefix  = "hardened-images."
	validatingPolicyKind     = "ValidatingAdmissionPolicy"
	validatingPolicyBindKind = "ValidatingAdmissionPolicyBinding"
)

// ImageBindingName names the shared binding of one image policy action.
func ImageBindingName(action string) string { return imageBindingPrefix + strings.ToLower(action) }

// SharedPolicyNames are every shared policy and binding name, for the RBAC rule that lets the
// provider's identity change these and no other admission policies.
func SharedPolicyNames() (policies, bindings []string) {
	policies = []string{ImagePolicyName, ServicePolicyName, ClassPolicyName, HostnamePolicyName, TamperPolicyName}
	bindings = []string{TamperPolicyName, tamperNamespacesBinding, ClassPolicyName, HostnamePolicyName}
	for _, a := range ImageActions {
		bindings = append(bindings, ImageBindingName(a))
	}
	for _, a := range ImageActions {
		bindings = append(bindings, ServiceBindingName(a))
	}
	return policies, bindings
}

// SharedMutatingPolicyNames are the shared MutatingAdmissionPolicies and bindings, for the same RBAC rule.
func SharedMutatingPolicyNames() (policies, bindings []string) {
	return []string{PullPolicyName}, []string{PullPolicyName}
}

// IsShared says whether an object ID ("Kind/name") is one of the shared policies or bindings:
// wanted by many namespaces, so never pruned or deleted for one of them.
func IsShared(id string) bool {
	kind, name, _ := strings.Cut(id, "/")
	policies, bindings := SharedPolicyNames()
	mpolicies, mbindings := SharedMutatingPolicyNames()
	return (kind == validatingPolicyKind && slices.Contains(policies, name)) ||
		(kind == validatingPolicyBindKind && slices.Contains(bindings, name)) ||
		(kind == mutatingPolicyKind && slices.Contains(mpolicies, name)) ||
		(kind == mutatingPolicyBindKind && slices.Contains(mbindings, name))
}

// LegacyClusterObjectIDs are the per-namespace policies and bindings earlier releases wrote:
// pruned by the next apply and deleted with the namespace.
func LegacyClusterObjectIDs(namespace string) []string {
	img, guard := legacyImagePolicyPrefix+namespace, legacyTamperPolicyPrefix+namespace
	return []string{
		validatingPolicyBindKind + "/" + img, validatingPolicyKind + "/" + img,
		validatingPolicyBindKind + "/" + guard, validatingPolicyKind + "/" + guard,
	}
}

// LegacyImagePolicyID, LegacyImageBindingID and LegacyTamperPolicyID name one namespace's legacy objects.
func LegacyImagePolicyID(namespace string) string {
	return validatingPolicyKind + "/" + legacyImagePolicyPrefix + namespace
}

func LegacyImageBindingID(namespace string) string {
	return validatingPolicyBindKind + "/" + legacyImagePolicyPrefix + namespace
}

func LegacyTamperPolicyID(namespace string) string {
	return validatingPolicyKind + "/" + legacyTamperPolicyPrefix + namespace
}

// ClusterObjectIDs are the cluster-scoped objects a namespace's refresh reads by name: the shared
// ones (to see drift in those it uses) and its legacy ones (to prune them).
func ClusterObjectIDs(namespace string) []string {
	ids := LegacyClusterObjectIDs(namespace)
	policies, bindings := SharedPolicyNames()
	for _, p := range policies {
		ids = append(ids, validatingPolicyKind+"/"+p)
	}
	for _, b := range bindings {
		ids = append(ids, validatingPolicyBindKind+"/"+b)
	}
	return append(ids, PullPolicyObjectIDs()...)
}

// namedRule matches resources of one API group, any version, for the given operations. The shared
// objects are written with every value the API server would default (scope, matchPolicy), so the
// live object can be compared with them both ways: a selector, exclusion or rule anyone adds is drift.
func namedRule(ops []admissionv1.OperationType, group string, resources ...string) admissionv1.NamedRuleWithOperations {
	return admissionv1.NamedRuleWithOperations{RuleWithOperations: admissionv1.RuleWithOperations{
		Operations: ops,
		Rule:       admissionv1.Rule{APIGroups: []string{group}, APIVersions: []string{"*"}, Resources: resources, Scope: ptr(admissionv1.AllScopes)},
	}}
}

// sharedPolicy builds a cluster-wide ValidatingAdmissionPolicy labelled as the provider's and
// failing closed. spec brings the CEL; matchConstraints and failurePolicy are set here.
func sharedPolicy(name string, spec admissionv1.ValidatingAdmissionPolicySpec, rules ...admissionv1.NamedRuleWithOperations) Object {
	fail := admissionv1.Fail
	spec.FailurePolicy = &fail
	spec.MatchConstraints = &admissionv1.MatchResources{ResourceRules: rules, MatchPolicy: ptr(admissionv1.Equivalent)}
	return Object{Kind: validatingPolicyKind, Name: name, Obj: &admissionv1.ValidatingAdmissionPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: validatingPolicyKind},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{ManagedByLabel: ManagedByValue}},
		Spec:       spec,
	}}
}

// sharedBinding binds a shared policy to what match selects.
func sharedBinding(name, policy string, match admissionv1.MatchResources, action admissionv1.ValidationAction) Object {
	match.MatchPolicy = ptr(admissionv1.Equivalent)
	return Object{Kind: validatingPolicyBindKind, Name: name, Obj: &admissionv1.ValidatingAdmissionPolicyBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: validatingPolicyBindKind},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{ManagedByLabel: ManagedByValue}},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        policy,
			MatchResources:    &match,
			ValidationActions: []admissionv1.ValidationAction{action},
		},
	}}
}

// labelSelector selects objects carrying one label value.
func labelSelector(key, value string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchLabels: map[string]string{key: value}}
}

// celNamespaceAnnotation reads one annotation of the namespace in a policy's CEL, ” when absent.
// ns is a CEL expression for the namespace object.
func celNamespaceAnnotation(ns, key string) string {
	k := celString(key)
	return `((has(` + ns + `.metadata.annotations) && ` + k + ` in ` + ns + `.metadata.annotations) ? ` + ns + `.metadata.annotations[` + k + `] : '')`
}

// celAnnotationList reads a comma-separated annotation of a namespace as a list.
func celAnnotationList(ns, key string) string {
	v := celNamespaceAnnotation(ns, key)
	return `(` + v + ` == '' ? [] : ` + v + `.split(','))`
}

// UnusedSharedObjects lists the shared policies and bindings (IDs, bindings before their policies)
// that no namespace selects, given every namespace's labels: what removing the provider from a
// cluster, or its last namespace, may delete. A binding is used while a namespace carries the label
// it selects; a policy while one of its bindings is.
func UnusedSharedObjects(namespaceLabels []map[string]string) []string {
	used := map[string]bool{}
	for _, l := range namespaceLabels {
		if l[TamperProtectionLabel] == tamperEnabled {
			used[TamperPolicyName] = true
		}
		if a, ok := l[ImagePolicyLabel]; ok && slices.Contains(ImageActions, a) {
			used[ImageBindingName(a)] = true
			used[ImagePolicyName] = true
		}
		if l[ClassPolicyLabel] == classPolicyEnabled {
			used[ClassPolicyName] = true
		}
		if l[HostnamePolicyLabel] == hostnamePolicyOn {
			used[HostnamePolicyName] = true
		}
		if l[PullPolicyLabel] == PullPolicyMutate {
			used[PullPolicyName] = true
		}
		if a, ok := l[ServicePolicyLabel]; ok && slices.Contains(ImageActions, a) {
			used[ServiceBindingName(a)] = true
			used[ServicePolicyName] = true
		}
	}
	policies, bindings := SharedPolicyNames()
	var out []string
	for _, b := range bindings {
		usedBy := b // an image or Services binding: used while a namespace selects its action
		if b == TamperPolicyName || b == tamperNamespacesBinding {
			usedBy = TamperPolicyName
		}
		// ClassPolicyName and HostnamePolicyName name a policy and its one binding: used together.
		if !used[usedBy] {
			out = append(out, validatingPolicyBindKind+"/"+b)
		}
	}
	if !used[PullPolicyName] {
		out = append(out, mutatingPolicyBindKind+"/"+PullPolicyName)
	}
	for _, p := range policies {
		if !used[p] {
			out = append(out, validatingPolicyKind+"/"+p)
		}
	}
	if !used[PullPolicyName] {
		out = append(out, mutatingPolicyKind+"/"+PullPolicyName)
	}
	return out
}
