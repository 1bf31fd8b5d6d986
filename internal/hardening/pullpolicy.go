package hardening

import (
	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The pull policy makes every container of the namespace pull its image when it starts. A node
// keeps the images it has pulled, and a container with imagePullPolicy IfNotPresent or Never runs
// a cached image without the registry checking the pod's credentials: a tenant who knows the name
// of another tenant's private image runs it on any node where it is cached (the reason for the
// AlwaysPullImages admission plugin, CIS Kubernetes Benchmark 1.2.11).
//
// Where the cluster serves MutatingAdmissionPolicy (admissionregistration.k8s.io/v1), the shared
// policy hardened-pull-always sets imagePullPolicy: Always on every container of a new pod, so
// manifests need no change. Elsewhere the image policy refuses pods and pod templates whose
// containers pull otherwise, and says how to fix the manifest. In both, the image policy refuses a
// pod that reaches it with another pull policy, so a mutation that did not happen fails closed.

// Namespace label values and object names of the pull policy.
const (
	PullPolicyLabel         = MetadataPrefix + "pull-policy" // "mutate" or "refuse"
	PullPolicyMutate        = "mutate"
	PullPolicyRefuse        = "refuse"
	PullPolicyName          = "hardened-pull-always"
	mutatingPolicyKind      = "MutatingAdmissionPolicy"
	mutatingPolicyBindKind  = "MutatingAdmissionPolicyBinding"
	pullPolicyRefusalPrefix = "hardened_namespace image policy: "
)

// presetAlwaysPull: environments whose image policies pull on every start unless configured otherwise.
var presetAlwaysPull = map[string]bool{EnvProd: true}

// PresetAlwaysPull reports whether an environment's image policy pulls on every start by default.
func PresetAlwaysPull(env string) bool {
	if env == "" {
		env = DefaultEnvironment
	}
	return presetAlwaysPull[env]
}

// pullPolicyMode is the label value of a resolved image policy ("" when it does not pull always).
func (p ImagePolicy) pullPolicyMode() string {
	switch {
	case !p.AlwaysPull:
		return ""
	case p.PullMutates:
		return PullPolicyMutate
	default:
		return PullPolicyRefuse
	}
}

// RefusesPullPolicies says whether pods and templates that do not pull always are refused (the
// cluster cannot set the pull policy for them), which manifests must then do themselves.
func (p ImagePolicy) RefusesPullPolicies() bool { return p.pullPolicyMode() == PullPolicyRefuse }

// PullPolicyObjectIDs are the shared objects the mutating path runs on.
func PullPolicyObjectIDs() []string {
	return []string{mutatingPolicyKind + "/" + PullPolicyName, mutatingPolicyBindKind + "/" + PullPolicyName}
}

// celPullPolicyOffenders lists, for the image policy, the containers of a pod spec that do not
// pull always, as "name (policy)".
func celPullPolicyOffenders(spec string) string {
	return `(` + spec + `.containers + (has(` + spec + `.initContainers) ? ` + spec + `.initContainers : []) + ` +
		`(has(` + spec + `.ephemeralContainers) ? ` + spec + `.ephemeralContainers : []))` +
		`.filter(c, !has(c.imagePullPolicy) || c.imagePullPolicy != 'Always')` +
		`.map(c, c.name + ' (' + (has(c.imagePullPolicy) ? c.imagePullPolicy : 'unset') + ')')`
}

// pullPolicyVariables and pullPolicyValidation are the image policy's part: pods always, pod
// templates only where nothing mutates the pods they create. An update is judged on the
// containers it adds or changes, so what already runs stays scalable.
func pullPolicyVariables() []admissionv1.Variable {
	return []admissionv1.Variable{
		{Name: "pullMode", Expression: `(has(namespaceObject.metadata.labels) && ` + celString(PullPolicyLabel) + ` in namespaceObject.metadata.labels) ? ` +
			`namespaceObject.metadata.labels[` + celString(PullPolicyLabel) + `] : ''`},
		{Name: "pullOffenders", Expression: celPullPolicyOffenders("variables.podSpec") + `.filter(c, !(request.operation == 'UPDATE' && oldObject != null) || ` +
			`!(c in ` + celPullPolicyOffenders("("+celPodSpecOf("oldObject")+")") + `))`},
	}
}

func pullPolicyValidation() admissionv1.Validation {
	return admissionv1.Validation{
		Expression: `variables.pullMode == '' || (variables.pullMode == '` + PullPolicyMutate + `' && object.kind != 'Pod') || variables.pullOffenders.size() == 0`,
		MessageExpression: `'` + pullPolicyRefusalPrefix + `container ' + variables.pullOffenders.join(', ') + ` +
			`' must pull its image on every start: set imagePullPolicy: Always on every container (namespace ' + namespaceObject.metadata.name + ` +
			`' pulls every image, so an image cached on the node cannot run without the registry checking credentials)'`,
		Reason: ptr(metav1.StatusReasonForbidden),
	}
}

// pullPolicyObjects returns the shared mutating policy and its binding, which selects the
// namespaces labelled for mutation. It sets the pull policy of new pods' containers and of
// ephemeral containers added to running pods (kubectl debug), merging by container name.
func pullPolicyObjects() []Object {
	always := func(list string) string {
		return list + `: has(object.spec.` + list + `) ? object.spec.` + list + `.map(c, Object.spec.` + list +
			`{name: c.name, imagePullPolicy: "Always"}) : []`
	}
	expr := `has(request.subResource) && request.subResource == 'ephemeralcontainers' ? Object{spec: Object.spec{` + always("ephemeralContainers") + `}} : ` +
		`Object{spec: Object.spec{` + always("containers") + `, ` + always("initContainers") + `}}`
	fail := admissionv1.Fail
	never := admissionv1.NeverReinvocationPolicy
	policy := Object{Kind: mutatingPolicyKind, Name: PullPolicyName, Obj: &admissionv1.MutatingAdmissionPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: mutatingPolicyKind},
		ObjectMeta: metav1.ObjectMeta{Name: PullPolicyName, Labels: map[string]string{ManagedByLabel: ManagedByValue}},
		Spec: admissionv1.MutatingAdmissionPolicySpec{
			MatchConstraints: &admissionv1.MatchResources{
				ResourceRules: []admissionv1.NamedRuleWithOperations{
					namedRule([]admissionv1.OperationType{admissionv1.Create}, "", "pods"),
					namedRule([]admissionv1.OperationType{admissionv1.Update}, "", "pods/ephemeralcontainers"),
				},
				MatchPolicy: ptr(admissionv1.Equivalent),
			},
			Mutations: []admissionv1.Mutation{{PatchType: admissionv1.PatchTypeApplyConfiguration,
				ApplyConfiguration: &admissionv1.ApplyConfiguration{Expression: expr}}},
			FailurePolicy:      &fail,
			ReinvocationPolicy: never,
		},
	}}
	binding := Object{Kind: mutatingPolicyBindKind, Name: PullPolicyName, Obj: &admissionv1.MutatingAdmissionPolicyBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: mutatingPolicyBindKind},
		ObjectMeta: metav1.ObjectMeta{Name: PullPolicyName, Labels: map[string]string{ManagedByLabel: ManagedByValue}},
		Spec: admissionv1.MutatingAdmissionPolicyBindingSpec{
			PolicyName: PullPolicyName,
			MatchResources: &admissionv1.MatchResources{NamespaceSelector: labelSelector(PullPolicyLabel, PullPolicyMutate),
				MatchPolicy: ptr(admissionv1.Equivalent)},
		},
	}}
	return []Object{policy, binding}
}
