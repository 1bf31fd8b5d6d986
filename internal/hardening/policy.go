package hardening

import (
	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ClusterObjectIDs are the cluster-scoped objects a namespace may own, by name: read on refresh,
// pruned and deleted by name whatever the state says.
func ClusterObjectIDs(namespace string) []string {
	img, guard := ImagePolicyObjectName(namespace), TamperPolicyObjectName(namespace)
	return []string{
		"ValidatingAdmissionPolicyBinding/" + img, "ValidatingAdmissionPolicy/" + img,
		"ValidatingAdmissionPolicyBinding/" + guard, "ValidatingAdmissionPolicy/" + guard,
	}
}

// namedRule matches resources of one API group, any version, for the given operations.
func namedRule(ops []admissionv1.OperationType, group string, resources ...string) admissionv1.NamedRuleWithOperations {
	return admissionv1.NamedRuleWithOperations{RuleWithOperations: admissionv1.RuleWithOperations{
		Operations: ops,
		Rule:       admissionv1.Rule{APIGroups: []string{group}, APIVersions: []string{"*"}, Resources: resources},
	}}
}

// policyPair builds a ValidatingAdmissionPolicy and its binding for one namespace: both
// cluster-scoped, labelled as the provider's, failing closed, and matching only that namespace
// (for a Namespace object the selector is matched against the namespace itself). spec brings the
// CEL; matchConstraints and failurePolicy are set here.
func policyPair(name, namespace string, spec admissionv1.ValidatingAdmissionPolicySpec, action admissionv1.ValidationAction,
	rules ...admissionv1.NamedRuleWithOperations) []Object {
	labels := map[string]string{ManagedByLabel: ManagedByValue}
	fail := admissionv1.Fail
	spec.FailurePolicy = &fail
	spec.MatchConstraints = &admissionv1.MatchResources{NamespaceSelector: namespaceSelector(namespace), ResourceRules: rules}
	policy := &admissionv1.ValidatingAdmissionPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec:       spec,
	}
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicyBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName:        name,
			MatchResources:    &admissionv1.MatchResources{NamespaceSelector: namespaceSelector(namespace)},
			ValidationActions: []admissionv1.ValidationAction{action},
		},
	}
	return []Object{
		{Kind: "ValidatingAdmissionPolicy", Name: name, Obj: policy, ClusterScoped: true},
		{Kind: "ValidatingAdmissionPolicyBinding", Name: name, Obj: binding, ClusterScoped: true},
	}
}
