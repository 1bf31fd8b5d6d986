package hardening

import (
	"fmt"
	"strconv"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// The classes policy bounds what a tenant takes from the cluster's shared classes: the
// StorageClasses its claims are provisioned from (PersistentVolumeClaims, and generic ephemeral
// volumes in pods and pod templates) and the PriorityClasses its pods run at, which decide whose
// pods the scheduler evicts (preempts) when nodes are full. Like the other policies it is shared,
// bound by a namespace label, and reads the namespace's guarded annotations.

// Namespace keys and object names of the classes policy.
const (
	ClassPolicyLabel                = MetadataPrefix + "class-policy" // "enabled"
	StorageClassesAnnotation        = MetadataPrefix + "storage-classes"
	PriorityClassesAnnotation       = MetadataPrefix + "priority-classes"
	MaxPreemptingPriorityAnnotation = MetadataPrefix + "max-preempting-priority"
	ClassPolicyName                 = "hardened-classes"
	classPolicyEnabled              = "enabled"
	classRefusalPrefix              = "hardened_namespace class policy: "
	maxClassNames                   = 50
)

// presetMaxPreemptingPriority is the highest priority a pod of the environment may preempt
// others at when max_preempting_priority is unset; environments without one set no bound. In prod
// a tenant's pods can preempt no one: any class above 0 must be non-preempting
// (preemptionPolicy: Never) or raised by the configuration.
var presetMaxPreemptingPriority = map[string]int64{EnvProd: 0}

// PresetMaxPreemptingPriority reports an environment's bound, and whether it has one.
func PresetMaxPreemptingPriority(env string) (int64, bool) {
	if env == "" {
		env = DefaultEnvironment
	}
	v, ok := presetMaxPreemptingPriority[env]
	return v, ok
}

// ClassPolicy is a namespace's effective classes policy; nil fields and empty lists bound nothing.
type ClassPolicy struct {
	StorageClasses, PriorityClasses []string
	MaxPreemptingPriority           *int64
}

// resolveClassPolicy merges the configuration over the environment's bound; nil when nothing is bounded.
func resolveClassPolicy(s NamespaceSpec, env string) *ClassPolicy {
	p := &ClassPolicy{StorageClasses: s.AllowedStorageClasses, PriorityClasses: s.AllowedPriorityClasses,
		MaxPreemptingPriority: s.MaxPreemptingPriority}
	// The environment's bound comes with the namespace's other admission policies: a namespace
	// configured without any (tamper protection and the Services policy off, no image policy), or
	// on a cluster without ValidatingAdmissionPolicy, gets none.
	others := s.ImagePolicy != nil || s.servicePolicyEnabled() || pick(s.TamperProtection, DefaultTamperProtection)
	if p.MaxPreemptingPriority == nil && others {
		if v, ok := PresetMaxPreemptingPriority(env); ok {
			p.MaxPreemptingPriority = &v
		}
	}
	if len(p.StorageClasses) == 0 && len(p.PriorityClasses) == 0 && p.MaxPreemptingPriority == nil {
		return nil
	}
	return p
}

func validateClassNames(field string, names []string) []fielderr.Error {
	var errs []fielderr.Error
	seen := map[string]bool{}
	for i, n := range names {
		switch {
		case len(validation.IsDNS1123Subdomain(n)) > 0:
			errs = append(errs, fielderr.Error{Path: []any{field, i}, Msg: fmt.Sprintf("%q is not a class name: lower case letters, digits, '-' and '.'", n)})
		case seen[n]:
			errs = append(errs, fielderr.Error{Path: []any{field, i}, Msg: fmt.Sprintf("%q is listed twice", n)})
		}
		seen[n] = true
	}
	if len(names) > maxClassNames {
		errs = append(errs, fielderr.Error{Path: []any{field}, Msg: fmt.Sprintf("at most %d classes", maxClassNames)})
	}
	return errs
}

func validateClassPolicy(s NamespaceSpec) []fielderr.Error {
	errs := validateClassNames("allowed_storage_classes", s.AllowedStorageClasses)
	errs = append(errs, validateClassNames("allowed_priority_classes", s.AllowedPriorityClasses)...)
	// PriorityClass values above one billion are reserved for system classes.
	if v := s.MaxPreemptingPriority; v != nil && (*v < -2147483648 || *v > 1000000000) {
		errs = append(errs, fielderr.Error{Path: []any{"max_preempting_priority"},
			Msg: fmt.Sprintf("%d is outside the values a PriorityClass may have: -2147483648 to 1000000000", *v)})
	}
	return errs
}

// classPolicyMetadata is what a namespace carries for its classes policy.
func classPolicyMetadata(p ClassPolicy) (labels, annotations map[string]string) {
	labels = map[string]string{ClassPolicyLabel: classPolicyEnabled}
	annotations = map[string]string{}
	if len(p.StorageClasses) > 0 {
		annotations[StorageClassesAnnotation] = strings.Join(p.StorageClasses, ",")
	}
	if len(p.PriorityClasses) > 0 {
		annotations[PriorityClassesAnnotation] = strings.Join(p.PriorityClasses, ",")
	}
	if p.MaxPreemptingPriority != nil {
		annotations[MaxPreemptingPriorityAnnotation] = strconv.FormatInt(*p.MaxPreemptingPriority, 10)
	}
	return labels, annotations
}

// ClassPolicyFromNamespace reads the classes policy a namespace's keys configure (nil: none).
func ClassPolicyFromNamespace(labels, annotations map[string]string) *ClassPolicy {
	if labels[ClassPolicyLabel] != classPolicyEnabled {
		return nil
	}
	p := &ClassPolicy{}
	if v := annotations[StorageClassesAnnotation]; v != "" {
		p.StorageClasses = strings.Split(v, ",")
	}
	if v := annotations[PriorityClassesAnnotation]; v != "" {
		p.PriorityClasses = strings.Split(v, ",")
	}
	if v, err := strconv.ParseInt(annotations[MaxPreemptingPriorityAnnotation], 10, 64); err == nil {
		p.MaxPreemptingPriority = &v
	}
	return p
}

// classPolicyObjects returns the shared classes policy and its binding. Claims are judged when
// they are created (their class cannot change); pods when created (their priority cannot change);
// pod templates on what an update adds, so existing workloads stay scalable.
func classPolicyObjects() []Object {
	const isUpdate = `request.operation == 'UPDATE' && oldObject != null`
	ephemeralClasses := func(spec string) string {
		return `(has(` + spec + `.volumes) ? ` + spec + `.volumes.filter(v, has(v.ephemeral)).map(v, ` +
			`has(v.ephemeral.volumeClaimTemplate.spec.storageClassName) ? v.ephemeral.volumeClaimTemplate.spec.storageClassName : '') : [])`
	}
	priorityClass := func(spec string) string {
		return `(has(` + spec + `.priorityClassName) ? [` + spec + `.priorityClassName] : [])`
	}
	variables := []admissionv1.Variable{
		{Name: "storage", Expression: celAnnotationList("namespaceObject", StorageClassesAnnotation)},
		{Name: "priority", Expression: celAnnotationList("namespaceObject", PriorityClassesAnnotation)},
		{Name: "maxPriority", Expression: celNamespaceAnnotation("namespaceObject", MaxPreemptingPriorityAnnotation)},
		{Name: "isClaim", Expression: `object.kind == 'PersistentVolumeClaim'`},
		// Variables are evaluated lazily: the pod specs only for pods and workloads.
		{Name: "podSpec", Expression: celPodSpecOf("object")},
		{Name: "oldPodSpec", Expression: celPodSpecOf("oldObject")},
		// The classes a write asks for: a claim's own, or a pod's ephemeral volumes' ('' when a
		// volume names none and would get the cluster's default class).
		{Name: "claimClasses", Expression: `variables.isClaim ? (request.operation == 'CREATE' ? ` +
			`[has(object.spec.storageClassName) ? object.spec.storageClassName : ''] : []) : ` +
			ephemeralClasses("variables.podSpec") + `.filter(c, !(` + isUpdate + `) || !(c in ` + ephemeralClasses("variables.oldPodSpec") + `))`},
		{Name: "priorityClasses", Expression: `variables.isClaim ? [] : ` + priorityClass("variables.podSpec") +
			`.filter(c, !(` + isUpdate + `) || !(c in ` + priorityClass("variables.oldPodSpec") + `))`},
	}
	validations := []admissionv1.Validation{
		{
			Expression: `variables.storage.size() == 0 || variables.claimClasses.all(c, c in variables.storage)`,
			MessageExpression: `'` + classRefusalPrefix + `storage class ' + variables.claimClasses.filter(c, !(c in variables.storage))` +
				`.map(c, c == '' ? '(none: the cluster default)' : c).join(', ') + ' is not allowed (allowed: ' + variables.storage.join(', ') + ')'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
		{
			Expression: `variables.priority.size() == 0 || variables.priorityClasses.all(c, c in variables.priority)`,
			MessageExpression: `'` + classRefusalPrefix + `priority class ' + variables.priorityClasses.join(', ') + ` +
				`' is not allowed (allowed: ' + variables.priority.join(', ') + ')'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
		{
			// Only pods that name a class: the cluster's global default class is the platform's choice.
			Expression: `variables.maxPriority == '' || object.kind != 'Pod' || request.operation != 'CREATE' || ` +
				`!has(object.spec.priorityClassName) || !has(object.spec.priority) || object.spec.priority <= int(variables.maxPriority) || ` +
				`(has(object.spec.preemptionPolicy) && object.spec.preemptionPolicy == 'Never')`,
			MessageExpression: `'` + classRefusalPrefix + `priority class ' + object.spec.priorityClassName + ' (priority ' + ` +
				`string(object.spec.priority) + ') preempts other pods above ' + variables.maxPriority + ` +
				`': use a class at or below it, or one with preemptionPolicy: Never'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
	}
	write := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	policy := sharedPolicy(ClassPolicyName, admissionv1.ValidatingAdmissionPolicySpec{Variables: variables, Validations: validations},
		namedRule(write, "", "pods", "persistentvolumeclaims"),
		namedRule(write, "apps", "deployments", "statefulsets", "daemonsets", "replicasets"),
		namedRule(write, "batch", "jobs", "cronjobs"))
	binding := sharedBinding(ClassPolicyName, ClassPolicyName,
		admissionv1.MatchResources{NamespaceSelector: labelSelector(ClassPolicyLabel, classPolicyEnabled)}, admissionv1.Deny)
	return []Object{policy, binding}
}
