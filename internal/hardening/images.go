package hardening

import (
	"fmt"
	"net/netip"
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
	// AlwaysPull makes every container pull its image on start (see pullpolicy.go): by mutation
	// when PullMutates (the cluster serves MutatingAdmissionPolicy), else by refusal.
	AlwaysPull, PullMutates bool
}

// registryRe: host[:port][/path], lower case, no scheme, tag or digest; the host a name or a
// bracketed IPv6 address.
var registryRe = regexp.MustCompile(`^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$`)

// dockerHubAliases are the other names runtimes accept for Docker Hub; the image policy resolves
// them to docker.io, so a registry spelled with one would never match.
var dockerHubAliases = []string{"index.docker.io", "registry-1.docker.io"}

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
	host, _, _ := strings.Cut(r, "/")
	if strings.HasPrefix(host, "[") {
		ip := strings.TrimPrefix(host, "[")
		ip, _, _ = strings.Cut(ip, "]")
		if addr, err := netip.ParseAddr(ip); err != nil || !addr.Is6() || addr.Zone() != "" {
			return fmt.Errorf("%q: %q is not an IPv6 address (write IPv6 registry hosts in brackets, such as \"[fd00::1]:5000\")", r, ip)
		}
		return nil
	}
	if slices.Contains(dockerHubAliases, host) {
		return fmt.Errorf("%q names Docker Hub by another name: images from %s are judged as docker.io/..., so write \"docker.io%s\"", r, host, strings.TrimPrefix(r, host))
	}
	if !isRegistryHost(host) {
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
	celPodSpec = `%[1]s.kind == 'Pod' ? %[1]s.spec : (%[1]s.kind == 'CronJob' ? %[1]s.spec.jobTemplate.spec.template.spec : %[1]s.spec.template.spec)`
	// Every way a pod names an image: containers, init and ephemeral containers, image volumes.
	celImagesOf = `(%[1]s.containers + (has(%[1]s.initContainers) ? %[1]s.initContainers : []) + ` +
		`(has(%[1]s.ephemeralContainers) ? %[1]s.ephemeralContainers : [])).filter(c, has(c.image)).map(c, c.image) + ` +
		`(has(%[1]s.volumes) ? %[1]s.volumes.filter(v, has(v.image) && has(v.image.reference)).map(v, v.image.reference) : [])`
	// An update is judged on the images it adds: what already runs stays scalable, finalizable and
	// deletable by its controllers after a registry list is narrowed.
	celNewImages = `request.operation == 'UPDATE' && oldObject != null ? variables.allImages.filter(i, !(i in variables.oldImages)) : variables.allImages`
	// celParts splits each image into [first part, rest] at the first '/' ("" first part: no slash);
	// string() first, as a list literal must hold one type and the images are dyn.
	celParts = `variables.images.map(i, string(i)).map(i, i.indexOf('/') < 0 ? ['', i] : [i.substring(0, i.indexOf('/')), i.substring(i.indexOf('/') + 1)])`
	// celResolved spells each image out as github.com/distribution/reference resolves it (what
	// container runtimes pull): a first part is a registry host when it has a dot or a port, is
	// localhost, or has an upper-case letter; otherwise it is a Docker Hub organisation, and a name
	// with no slash is an official image (nginx -> docker.io/library/nginx). Docker Hub's other
	// names (index.docker.io, registry-1.docker.io) are docker.io, whose one-part names are official
	// images too. Hosts compare in lower case.
	celIsHost   = `(p[0].contains('.') || p[0].contains(':') || p[0] == 'localhost' || p[0].lowerAscii() != p[0])`
	celIsHub    = `(p[0].lowerAscii() in ['docker.io', 'index.docker.io', 'registry-1.docker.io'])`
	celResolved = `variables.parts.map(p, p[0] == '' ? 'docker.io/library/' + p[1] : (` + celIsHost + ` ? (` + celIsHub +
		` ? 'docker.io/' + (p[1].contains('/') ? p[1] : 'library/' + p[1]) : p[0].lowerAscii() + '/' + p[1]) : 'docker.io/' + p[0] + '/' + p[1]))`
	// An image is from an allowed registry when it starts with "<registry>/": the slash keeps
	// registry.example.com.evil.io from passing for registry.example.com.
	celAllowed = `variables.allowed.exists(r, i.startsWith(r + '/'))`
	// Tagged: a ':' after the last '/', or a digest. Untagged means :latest.
	celTagOK    = `i.contains('@') || (i.substring(i.lastIndexOf('/') + 1).contains(':') && !i.endsWith(':latest'))`
	celDigestOK = `i.contains('@sha256:')`
)

// celPodSpecOf and celImagesOfSpec instantiate the pod-spec pieces for object or oldObject.
func celPodSpecOf(root string) string    { return strings.ReplaceAll(celPodSpec, "%[1]s", root) }
func celImagesOfSpec(spec string) string { return strings.ReplaceAll(celImagesOf, "%[1]s", spec) }

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
	if mode := p.pullPolicyMode(); mode != "" {
		labels[PullPolicyLabel] = mode
	}
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
	switch labels[PullPolicyLabel] {
	case PullPolicyMutate:
		p.AlwaysPull, p.PullMutates = true, true
	case PullPolicyRefuse:
		p.AlwaysPull = true
	}
	if r := annotations[AllowedRegistriesAnnotation]; r != "" {
		p.AllowedRegistries = strings.Split(r, ",")
	}
	for _, rule := range strings.Split(annotations[ImageRulesAnnotation], ",") {
		p.ForbidLatestTag = p.ForbidLatestTag || rule == imageRuleForbidLatest
		p.RequireDigest = p.RequireDigest || rule == imageRuleRequireDigest
	}
	return p
}

// ImagePolicyKeysDiffer says how a live namespace's image policy keys differ from what p writes
// ("" when they do not): the shared policy reads only these, so they are what is in force.
func ImagePolicyKeysDiffer(p ImagePolicy, labels, annotations map[string]string) string {
	wantL, wantA := imagePolicyMetadata(p)
	why := keysDiffer(wantL, wantA, []string{AllowedRegistriesAnnotation, ImageRulesAnnotation}, labels, annotations)
	if _, wanted := wantL[PullPolicyLabel]; !wanted && labels[PullPolicyLabel] != "" {
		why = strings.TrimPrefix(why+", "+fmt.Sprintf("label %s is %q (want none)", PullPolicyLabel, labels[PullPolicyLabel]), ", ")
	}
	return why
}

// keysDiffer compares a policy's wanted namespace keys with the live ones; annotationKeys are
// every annotation the policy reads, so one added where none is wanted counts too.
func keysDiffer(wantL, wantA map[string]string, annotationKeys []string, labels, annotations map[string]string) string {
	var why []string
	for k, v := range wantL {
		if labels[k] != v {
			why = append(why, fmt.Sprintf("label %s is %q (want %q)", k, labels[k], v))
		}
	}
	for _, k := range annotationKeys {
		if annotations[k] != wantA[k] {
			why = append(why, fmt.Sprintf("annotation %s is %q (want %q)", k, annotations[k], wantA[k]))
		}
	}
	slices.Sort(why)
	return strings.Join(why, ", ")
}

// ImagePolicyObjectIDs are the shared objects an image policy with this action runs on.
func ImagePolicyObjectIDs(action string) []string {
	return []string{validatingPolicyKind + "/" + ImagePolicyName, validatingPolicyBindKind + "/" + ImageBindingName(action)}
}

// imagePolicyObjects returns the shared image policy and the binding of one action, which selects
// the namespaces whose image-policy label carries that action.
func imagePolicyObjects(action string) []Object {
	variables := []admissionv1.Variable{
		{Name: "podSpec", Expression: celPodSpecOf("object")},
		{Name: "allImages", Expression: celImagesOfSpec("variables.podSpec")},
		{Name: "oldImages", Expression: `request.operation == 'UPDATE' && oldObject != null ? ` + celImagesOfSpec("("+celPodSpecOf("oldObject")+")") + ` : []`},
		{Name: "images", Expression: celNewImages},
		{Name: "parts", Expression: celParts},
		{Name: "allowed", Expression: celAnnotationList("namespaceObject", AllowedRegistriesAnnotation)},
		{Name: "rules", Expression: celAnnotationList("namespaceObject", ImageRulesAnnotation)},
		{Name: "resolved", Expression: celResolved},
	}
	variables = append(variables, pullPolicyVariables()...)
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
		pullPolicyValidation(),
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
