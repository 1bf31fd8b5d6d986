package hardening

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
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

// LegacyImagePolicyParamsName is the ConfigMap that releases before 0.2 read registries from.
// Tenants can write ConfigMaps in their namespace, so registries now live in the policy itself;
// an object of this name carrying the managed-by label is pruned on the next apply.
const LegacyImagePolicyParamsName = "hardened-image-policy"

// ImagePolicy restricts the images pods in the namespace may run.
type ImagePolicy struct {
	AllowedRegistries []string
	ForbidLatestTag   bool
	RequireDigest     bool
	Action            string
}

// registryRe: host[:port][/path], lower case, no scheme, tag or digest.
var registryRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)

// ValidateRegistry checks one allowed registry (or registry/path prefix). The first part must be a
// registry host the way container runtimes recognise one (a dot, a port or "localhost"): any other
// first part is a Docker Hub organisation, so "harbor" would allow docker.io/harbor/*.
func ValidateRegistry(r string) error {
	if strings.Contains(r, "://") {
		return fmt.Errorf("%q has a scheme: write the registry host as it appears in image names, such as \"registry.example.com\" or \"ghcr.io/my-org\"", r)
	}
	if len(r) > 255 || !registryRe.MatchString(r) {
		return fmt.Errorf("%q is not a registry: use a lower-case host with optional port and path, such as \"registry.example.com\", \"registry.example.com:5000\" or \"ghcr.io/my-org\" (no tag, digest or trailing /)", r)
	}
	if host, _, _ := strings.Cut(r, "/"); !isRegistryHost(host) {
		return fmt.Errorf("%q does not start with a registry host: container runtimes pull %s/... from Docker Hub. "+
			"Name the host (a dot, a port or \"localhost\"), such as \"%s.example.com\"; for Docker Hub write \"docker.io/<org>\" "+
			"(\"docker.io/library\" for official images)", r, r, host)
	}
	return nil
}

// isRegistryHost mirrors how image references are split: the first part is a registry host when it
// has a dot or a port, or is localhost.
func isRegistryHost(s string) bool {
	return strings.ContainsAny(s, ".:") || s == "localhost"
}

// ValidateImageAction checks action.
func ValidateImageAction(a string) error {
	if slices.Contains(ImageActions, a) {
		return nil
	}
	return fmt.Errorf("%q is not an action: use Deny, Warn or Audit", a)
}

// The registries and rules are read from the namespace's annotations (tenants can write ConfigMaps
// in their namespace, not the namespace). Registries are validated before they are written, and
// none contains a comma, the list separator.
const (
	celPodSpec = `object.kind == 'Pod' ? object.spec : (object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec)`
	// Every way a pod names an image: containers, init and ephemeral containers, image volumes.
	celImages = `(variables.podSpec.containers + (has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + ` +
		`(has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])).filter(c, has(c.image)).map(c, c.image) + ` +
		`(has(variables.podSpec.volumes) ? variables.podSpec.volumes.filter(v, has(v.image) && has(v.image.reference)).map(v, v.image.reference) : [])`
	// celResolved spells each image out the way container runtimes resolve it: a first part that is
	// not a host (no dot or port, not localhost) is a Docker Hub organisation, and a name with no
	// slash is an official image (nginx -> docker.io/library/nginx). Hosts compare in lower case.
	celHost     = `i.substring(0, i.indexOf('/'))`
	celResolved = `variables.images.map(i, i.indexOf('/') < 0 ? 'docker.io/library/' + i : ` +
		`((` + celHost + `.contains('.') || ` + celHost + `.contains(':') || ` + celHost + `.lowerAscii() == 'localhost') ? ` +
		celHost + `.lowerAscii() + i.substring(i.indexOf('/')) : 'docker.io/' + i))`
	// An image is from an allowed registry when it starts with "<registry>/": the slash keeps
	// registry.example.com.evil.io from passing for registry.example.com.
	celAllowed = `variables.allowed.exists(r, i.startsWith(r + '/'))`
	// Tagged: a ':' after the last '/', or a digest. Untagged means :latest.
	celTagOK    = `i.contains('@') || (i.substring(i.lastIndexOf('/') + 1).contains(':') && !i.endsWith(':latest'))`
	celDigestOK = `i.contains('@sha256:')`
)

// celString quotes s as a CEL string literal (Go's escapes are a subset of CEL's).
func celString(s string) string { return strconv.Quote(s) }

// celList renders strings as a CEL list literal.
func celList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = celString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// parseCELList reads back a list written by celList (for import); nil when it is not one.
func parseCELList(expr string) []string {
	expr = strings.TrimSpace(expr)
	if !strings.HasPrefix(expr, "[") || !strings.HasSuffix(expr, "]") {
		return nil
	}
	var out []string
	for _, m := range celStringLiteral.FindAllString(expr, -1) {
		if s, err := strconv.Unquote(m); err == nil {
			out = append(out, s)
		}
	}
	return out
}

var celStringLiteral = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// Image rules, as the image-rules annotation lists them.
const (
	imageRuleForbidLatest  = "forbid-latest-tag"
	imageRuleRequireDigest = "require-digest"
)

// imagePolicyMetadata is what a namespace carries for its image policy: the label that binds it
// (its value is the action) and the annotations the shared policy reads.
func imagePolicyMetadata(p ImagePolicy) (labels, annotations map[string]string) {
	labels = map[string]string{ImagePolicyLabel: p.Action}
	annotations = map[string]string{}
	if len(p.AllowedRegistries) > 0 {
		annotations[AllowedRegistriesAnnotation] = strings.Join(p.AllowedRegistries, ",")
	}
	var rules []string
	if p.ForbidLatestTag {
		rules = append(rules, imageRuleForbidLatest)
	}
	if p.RequireDigest {
		rules = append(rules, imageRuleRequireDigest)
	}
	if len(rules) > 0 {
		annotations[ImageRulesAnnotation] = strings.Join(rules, ",")
	}
	return labels, annotations
}

// ImagePolicyFromNamespace reads the image policy a namespace's labels and annotations configure
// (nil when it has none).
func ImagePolicyFromNamespace(labels, annotations map[string]string) *ImagePolicy {
	action, ok := labels[ImagePolicyLabel]
	if !ok {
		return nil
	}
	p := &ImagePolicy{Action: action}
	if r := annotations[AllowedRegistriesAnnotation]; r != "" {
		p.AllowedRegistries = strings.Split(r, ",")
	}
	for _, rule := range strings.Split(annotations[ImageRulesAnnotation], ",") {
		p.ForbidLatestTag = p.ForbidLatestTag || rule == imageRuleForbidLatest
		p.RequireDigest = p.RequireDigest || rule == imageRuleRequireDigest
	}
	return p
}

// imagePolicyObjects returns the shared image policy and the binding of one action, which selects
// the namespaces whose image-policy label carries that action.
func imagePolicyObjects(action string) []Object {
	list := func(key string) string {
		v := celNamespaceValue("namespaceObject", "annotations", key)
		return `(` + v + ` == '' ? [] : ` + v + `.split(','))`
	}
	variables := []admissionv1.Variable{
		{Name: "podSpec", Expression: celPodSpec},
		{Name: "images", Expression: celImages},
		{Name: "allowed", Expression: list(AllowedRegistriesAnnotation)},
		{Name: "rules", Expression: list(ImageRulesAnnotation)},
		{Name: "resolved", Expression: celResolved},
	}
	validations := []admissionv1.Validation{
		{
			Expression: `variables.allowed.size() == 0 || variables.resolved.all(i, ` + celAllowed + `)`,
			MessageExpression: `'image ' + variables.resolved.filter(i, !(` + celAllowed + `)).join(', ') + ` +
				`' is not from an allowed registry (allowed: ' + variables.allowed.join(', ') + ')'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
		{
			Expression: `!('` + imageRuleForbidLatest + `' in variables.rules) || variables.images.all(i, ` + celTagOK + `)`,
			MessageExpression: `'image ' + variables.images.filter(i, !(` + celTagOK + `)).join(', ') + ` +
				`' has no tag or the :latest tag: pin a version tag or a digest'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
		{
			Expression: `!('` + imageRuleRequireDigest + `' in variables.rules) || variables.images.all(i, ` + celDigestOK + `)`,
			MessageExpression: `'image ' + variables.images.filter(i, !(` + celDigestOK + `)).join(', ') + ` +
				`' is not pinned by digest: use image@sha256:...'`,
			Reason: ptr(metav1.StatusReasonForbidden),
		},
	}
	write := []admissionv1.OperationType{admissionv1.Create, admissionv1.Update}
	policy := sharedPolicy(ImagePolicyName, admissionv1.ValidatingAdmissionPolicySpec{Variables: variables, Validations: validations},
		namedRule(write, "", "pods", "pods/ephemeralcontainers"),
		namedRule(write, "apps", "deployments", "statefulsets", "daemonsets", "replicasets"),
		namedRule(write, "batch", "jobs", "cronjobs"))
	binding := sharedBinding(ImageBindingName(action), ImagePolicyName,
		admissionv1.MatchResources{NamespaceSelector: labelSelector(ImagePolicyLabel, action)}, admissionv1.ValidationAction(action))
	return []Object{policy, binding}
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
