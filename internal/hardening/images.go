package hardening

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Image policy actions, as ValidatingAdmissionPolicyBinding validationActions.
const (
	ImageActionDeny  = "Deny"
	ImageActionWarn  = "Warn"
	ImageActionAudit = "Audit"
)

// ImageActions lists the valid actions.
var ImageActions = []string{ImageActionDeny, ImageActionWarn, ImageActionAudit}

// ImagePolicyParamsName is the ConfigMap the policy reads its registries from.
const ImagePolicyParamsName = "hardened-image-policy"

// ImagePolicy restricts the images pods in the namespace may run.
type ImagePolicy struct {
	AllowedRegistries []string
	ForbidLatestTag   bool
	RequireDigest     bool
	Action            string
}

// ImagePolicyObjectName names the cluster-scoped policy and binding of one namespace.
func ImagePolicyObjectName(namespace string) string { return "hardened-images." + namespace }

// registryRe: host[:port][/path], lower case, no scheme, tag or digest.
var registryRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)

// ValidateRegistry checks one allowed registry (or registry/path prefix).
func ValidateRegistry(r string) error {
	if strings.Contains(r, "://") {
		return fmt.Errorf("%q has a scheme: write the registry host as it appears in image names, such as \"registry.example.com\" or \"ghcr.io/my-org\"", r)
	}
	if len(r) > 255 || !registryRe.MatchString(r) {
		return fmt.Errorf("%q is not a registry: use a lower-case host with optional port and path, such as \"registry.example.com\", \"registry.example.com:5000\" or \"ghcr.io/my-org\" (no tag, digest or trailing /)", r)
	}
	return nil
}

// ValidateImageAction checks action.
func ValidateImageAction(a string) error {
	if slices.Contains(ImageActions, a) {
		return nil
	}
	return fmt.Errorf("%q is not an action: use Deny, Warn or Audit", a)
}

// The CEL below never contains user input: registries are read from the params ConfigMap, so a
// registry value cannot change the policy's logic.
const (
	celPodSpec = `object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)`
	celImages  = `(variables.podSpec.containers + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + (has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])).map(c, c.image)`
	// An image is from an allowed registry when it starts with "<registry>/": the slash keeps
	// registry.example.com.evil.io from passing for registry.example.com.
	celAllowed    = `params.data.exists(k, k.startsWith('registry.') && i.startsWith(params.data[k] + '/'))`
	celRegistries = `params.data.filter(k, k.startsWith('registry.')).map(k, params.data[k]).join(', ')`
	// Tagged: a ':' after the last '/', or a digest. Untagged means :latest.
	celTagOK    = `i.contains('@') || (i.substring(i.lastIndexOf('/') + 1).contains(':') && !i.endsWith(':latest'))`
	celDigestOK = `i.contains('@sha256:')`
)

func imagePolicyObjects(namespace string, p ImagePolicy) []Object {
	name := ImagePolicyObjectName(namespace)
	labels := map[string]string{ManagedByLabel: ManagedByValue}
	data := map[string]string{}
	for i, r := range p.AllowedRegistries {
		data["registry."+strconv.Itoa(i)] = r
	}
	var validations []admissionv1.Validation
	if len(p.AllowedRegistries) > 0 {
		validations = append(validations, admissionv1.Validation{
			Expression: `variables.images.all(i, ` + celAllowed + `)`,
			MessageExpression: `'image ' + variables.images.filter(i, !(` + celAllowed + `)).join(', ') + ` +
				`' is not from an allowed registry (allowed: ' + ` + celRegistries + ` + ')'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		})
	}
	if p.ForbidLatestTag {
		validations = append(validations, admissionv1.Validation{
			Expression: `variables.images.all(i, ` + celTagOK + `)`,
			MessageExpression: `'image ' + variables.images.filter(i, !(` + celTagOK + `)).join(', ') + ` +
				`' has no tag or the :latest tag: pin a version tag or a digest'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		})
	}
	if p.RequireDigest {
		validations = append(validations, admissionv1.Validation{
			Expression: `variables.images.all(i, ` + celDigestOK + `)`,
			MessageExpression: `'image ' + variables.images.filter(i, !(` + celDigestOK + `)).join(', ') + ` +
				`' is not pinned by digest: use image@sha256:...'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		})
	}
	write := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	rule := func(group string, resources ...string) admissionv1.NamedRuleWithOperations {
		return admissionv1.NamedRuleWithOperations{RuleWithOperations: admissionv1.RuleWithOperations{
			Operations: write,
			Rule:       admissionv1.Rule{APIGroups: []string{group}, APIVersions: []string{"*"}, Resources: resources},
		}}
	}
	selector := namespaceSelector(namespace)
	fail := admissionv1.Fail
	deny := admissionv1.DenyAction
	policy := &admissionv1.ValidatingAdmissionPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			FailurePolicy: &fail,
			ParamKind:     &admissionv1.ParamKind{APIVersion: "v1", Kind: "ConfigMap"},
			MatchConstraints: &admissionv1.MatchResources{
				NamespaceSelector: selector,
				ResourceRules: []admissionv1.NamedRuleWithOperations{
					rule("", "pods", "pods/ephemeralcontainers"),
					rule("apps", "deployments", "statefulsets", "daemonsets", "replicasets"),
					rule("batch", "jobs", "cronjobs"),
				},
			},
			Variables: []admissionv1.Variable{
				{Name: "podSpec", Expression: celPodSpec},
				{Name: "images", Expression: celImages},
			},
			Validations: validations,
		},
	}
	binding := &admissionv1.ValidatingAdmissionPolicyBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingAdmissionPolicyBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: admissionv1.ValidatingAdmissionPolicyBindingSpec{
			PolicyName: name,
			ParamRef: &admissionv1.ParamRef{Name: ImagePolicyParamsName, Namespace: namespace,
				ParameterNotFoundAction: &deny},
			MatchResources:    &admissionv1.MatchResources{NamespaceSelector: selector},
			ValidationActions: []admissionv1.ValidationAction{admissionv1.ValidationAction(p.Action)},
		},
	}
	params := &corev1.ConfigMap{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
		ObjectMeta: metav1.ObjectMeta{Name: ImagePolicyParamsName, Namespace: namespace, Labels: labels},
		Data:       data,
	}
	return []Object{
		{Kind: "ConfigMap", Name: ImagePolicyParamsName, Obj: params},
		{Kind: "ValidatingAdmissionPolicy", Name: name, Obj: policy, ClusterScoped: true},
		{Kind: "ValidatingAdmissionPolicyBinding", Name: name, Obj: binding, ClusterScoped: true},
	}
}

func ptr[T any](v T) *T { return &v }

// ImagePolicySupported says whether a cluster can run image_policy: ValidatingAdmissionPolicy
// admissionregistration.k8s.io/v1 is GA from Kubernetes 1.30.
func ImagePolicySupported(major, minor int, serverVersion string) error {
	if major == 1 && minor < 30 {
		return fmt.Errorf("the cluster runs Kubernetes %s; image_policy uses ValidatingAdmissionPolicy "+
			"(admissionregistration.k8s.io/v1), GA in 1.30. Upgrade the cluster or remove image_policy", serverVersion)
	}
	return nil
}
