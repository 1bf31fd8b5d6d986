package hardening

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Validate checks a whole spec, reporting every problem with the attribute it belongs to.
// Contradictions are judged on the effective values (after presets), but reported at the user's
// attribute.
func Validate(s NamespaceSpec) []fielderr.Error {
	var errs []fielderr.Error
	add := func(err error, path ...any) {
		if err != nil {
			errs = append(errs, fielderr.Error{Path: path, Msg: err.Error()})
		}
	}
	add(ValidateName(s.Name), "name")
	for _, k := range sortedKeys(s.Labels) {
		add(ValidateLabel(k, s.Labels[k]), "labels", fielderr.MapKey(k))
	}
	for _, k := range sortedKeys(s.Annotations) {
		add(ValidateAnnotationKey(k), "annotations", fielderr.MapKey(k))
	}
	if err := ValidateEnvironment(s.Environment); err != nil {
		add(err, "environment")
		return errs
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"enforce", s.PodSecurity.Enforce}, {"audit", s.PodSecurity.Audit}, {"warn", s.PodSecurity.Warn}} {
		if f.v != nil {
			add(ValidateLevel(*f.v), "pod_security", f.name)
		}
	}
	if s.PodSecurity.Version != nil {
		add(ValidatePodSecurityVersion(*s.PodSecurity.Version), "pod_security", "version")
	}
	for _, k := range sortedKeys(s.ResourceQuota) {
		add(ValidateQuotaEntry(k, s.ResourceQuota[k]), "resource_quota", "hard", fielderr.MapKey(k))
	}
	lr := map[string]map[string]string{"default_request": s.LimitRange.DefaultRequest, "default": s.LimitRange.Default, "max": s.LimitRange.Max, "min": s.LimitRange.Min}
	for _, field := range []string{"default_request", "default", "max", "min"} {
		for _, k := range sortedKeys(lr[field]) {
			add(ValidateLimitEntry(k, lr[field][k]), "limit_range", field, fielderr.MapKey(k))
		}
	}
	errs = append(errs, validateNetwork(s.Network)...)
	errs = append(errs, validateAccess(s.Access)...)
	errs = append(errs, validateImagePolicy(s.ImagePolicy)...)
	errs = append(errs, validateServicePolicy(s.ServicePolicy)...)
	errs = append(errs, validateClassPolicy(s)...)
	errs = append(errs, validateHostnames(s.AllowedHostnames)...)
	for i, g := range s.BreakGlassGroups {
		add(ValidateIdentityName("group", g), "break_glass_groups", i)
	}
	if len(errs) > 0 {
		return errs
	}
	r, err := Resolve(s)
	if err != nil {
		return []fielderr.Error{{Path: []any{"environment"}, Msg: err.Error()}}
	}
	return append(errs, validateLimitOrder(s, r)...)
}

// ValidateEnvironment checks a preset name ("" means prod).
func ValidateEnvironment(env string) error {
	if env == "" || slices.Contains(Environments, env) {
		return nil
	}
	return fmt.Errorf("%q is not an environment: use one of %s", env, strings.Join(Environments, ", "))
}

// ValidateQuotaEntry checks one ResourceQuota hard entry.
func ValidateQuotaEntry(key, value string) error {
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		return fmt.Errorf("%q is not a ResourceQuota resource name (such as requests.cpu, limits.memory, pods, "+
			"services.loadbalancers, count/deployments.apps): %s", key, strings.Join(errs, "; "))
	}
	if err := validateQuantity(value); err != nil {
		return err
	}
	if countedQuota(key) {
		q, _ := resource.ParseQuantity(value)
		if q.MilliValue()%1000 != 0 {
			return fmt.Errorf("%s counts objects: %q must be a whole number", key, value)
		}
	}
	return nil
}

// countedQuota reports quota keys that count objects, which the API server requires to be integers.
func countedQuota(key string) bool {
	switch key {
	case "pods", "services", "services.loadbalancers", "services.nodeports", "persistentvolumeclaims",
		"configmaps", "secrets", "replicationcontrollers", "resourcequotas":
		return true
	}
	return strings.HasPrefix(key, "count/")
}

var limitResources = []string{"cpu", "memory", "ephemeral-storage"}

// ValidateLimitEntry checks one container LimitRange entry.
func ValidateLimitEntry(key, value string) error {
	if !slices.Contains(limitResources, key) {
		return fmt.Errorf("%q is not a container resource a LimitRange bounds here: use one of %s", key, strings.Join(limitResources, ", "))
	}
	return validateQuantity(value)
}

func validateQuantity(v string) error {
	q, err := resource.ParseQuantity(v)
	if err != nil {
		return fmt.Errorf("%q is not a Kubernetes quantity: use forms such as \"500m\", \"2\", \"512Mi\", \"10Gi\"", v)
	}
	if q.Sign() < 0 {
		return fmt.Errorf("%q is negative: quantities must be zero or more", v)
	}
	if q.Cmp(maxQuantity) > 0 {
		return fmt.Errorf("%q is larger than any cluster: use at most 8Ei", v)
	}
	return nil
}

var maxQuantity = resource.MustParse("8Ei")

// validateLimitOrder refuses limit ranges the API server would accept but that make every pod
// fail admission: min <= default_request <= default <= max for each resource.
func validateLimitOrder(s NamespaceSpec, r Resolved) []fielderr.Error {
	var errs []fielderr.Error
	order := []struct {
		field     string
		effective map[string]string
		user      map[string]string
	}{
		{"min", r.LimitRange.Min, s.LimitRange.Min},
		{"default_request", r.LimitRange.DefaultRequest, s.LimitRange.DefaultRequest},
		{"default", r.LimitRange.Default, s.LimitRange.Default},
		{"max", r.LimitRange.Max, s.LimitRange.Max},
	}
	for _, res := range limitResources {
	pairs:
		for i := range order {
			for j := i + 1; j < len(order); j++ {
				lo, okLo := order[i].effective[res]
				hi, okHi := order[j].effective[res]
				if !okLo || !okHi || quantityCmp(lo, hi) <= 0 {
					continue
				}
				// Report at the value the user set (the presets alone are consistent).
				blame := order[j].field
				if _, set := order[i].user[res]; set {
					blame = order[i].field
				}
				errs = append(errs, fielderr.Error{Path: []any{"limit_range", blame, fielderr.MapKey(res)}, Msg: fmt.Sprintf(
					"%s %s = %s is above %s %s = %s (after the environment preset): limit ranges need min <= default_request <= default <= max",
					order[i].field, res, lo, order[j].field, res, hi)})
				break pairs
			}
		}
	}
	return errs
}

func validateNetwork(n NetworkInput) []fielderr.Error {
	var errs []fielderr.Error
	at := func(field string, i int, msg string) {
		errs = append(errs, fielderr.Error{Path: []any{"network_policy", field, i}, Msg: msg})
	}
	checkList := func(field string, vals []string, check func(string) error) {
		seen := map[string]bool{}
		for i, v := range vals {
			if seen[v] {
				at(field, i, fmt.Sprintf("%q is listed twice", v))
				continue
			}
			seen[v] = true
			if err := check(v); err != nil {
				at(field, i, err.Error())
			}
		}
	}
	checkList("allow_ingress_from_namespaces", n.AllowIngressFromNamespaces, ValidateName)
	checkList("allow_egress_to_namespaces", n.AllowEgressToNamespaces, ValidateName)
	checkList("allow_egress_to_cidrs", n.AllowEgressToCIDRs, ValidateCIDR)
	checkList("allow_ingress_from_cidrs", n.AllowIngressFromCIDRs, ValidateCIDR)
	checkList("allow_ingress_ports", n.AllowIngressPorts, ValidatePort)
	checkList("allow_egress_ports", n.AllowEgressPorts, ValidatePort)
	if n.DenyIngress != nil && !*n.DenyIngress && (len(n.AllowIngressFromNamespaces) > 0 || len(n.AllowIngressFromCIDRs) > 0 || len(n.AllowIngressPorts) > 0) {
		errs = append(errs, fielderr.Error{Path: []any{"network_policy", "deny_ingress"},
			Msg: "deny_ingress = false allows all ingress, so allow_ingress_from_namespaces / allow_ingress_from_cidrs / allow_ingress_ports would do nothing: keep deny_ingress = true or remove the ingress allows"})
	}
	if n.DenyEgress != nil && !*n.DenyEgress && (len(n.AllowEgressToNamespaces) > 0 || len(n.AllowEgressToCIDRs) > 0 || len(n.AllowEgressPorts) > 0) {
		errs = append(errs, fielderr.Error{Path: []any{"network_policy", "deny_egress"},
			Msg: "deny_egress = false allows all egress, so allow_egress_to_namespaces / allow_egress_to_cidrs / allow_egress_ports would do nothing: keep deny_egress = true or remove the egress allows"})
	}
	if n.DenyEgress != nil && !*n.DenyEgress && n.AllowDNS != nil && *n.AllowDNS {
		errs = append(errs, fielderr.Error{Path: []any{"network_policy", "allow_dns"},
			Msg: "allow_dns = true only matters when egress is denied; with deny_egress = false all egress, DNS included, is allowed: remove allow_dns"})
	}
	if len(n.AllowIngressPorts) > 0 && len(n.AllowIngressFromNamespaces) == 0 && len(n.AllowIngressFromCIDRs) == 0 {
		errs = append(errs, fielderr.Error{Path: []any{"network_policy", "allow_ingress_ports"},
			Msg: "allow_ingress_ports restricts allow_ingress_from_namespaces / allow_ingress_from_cidrs, which are empty: list the sources allowed in"})
	}
	if len(n.AllowEgressPorts) > 0 && len(n.AllowEgressToNamespaces) == 0 && len(n.AllowEgressToCIDRs) == 0 {
		errs = append(errs, fielderr.Error{Path: []any{"network_policy", "allow_egress_ports"},
			Msg: "allow_egress_ports restricts allow_egress_to_namespaces / allow_egress_to_cidrs, which are empty: list the destinations"})
	}
	return errs
}

// ValidateCIDR accepts canonical IPv4/IPv6 CIDRs ("10.0.0.0/8", "2001:db8::/32").
func ValidateCIDR(s string) error {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return fmt.Errorf("%q is not a CIDR: use a network such as \"10.0.0.0/8\" or \"2001:db8::/32\"", s)
	}
	if p.Masked() != p {
		return fmt.Errorf("%q has host bits set: use %q", s, p.Masked().String())
	}
	if p.Addr().Is4In6() || p.String() != s {
		return fmt.Errorf("%q is not in canonical form: use %q", s, p.Masked().String())
	}
	return nil
}

var portRe = regexp.MustCompile(`^([0-9]{1,5})(?:/(TCP|UDP|SCTP))?$`)

// ValidatePort accepts "443", "443/TCP", "53/UDP" or "9000/SCTP".
func ValidatePort(s string) error {
	m := portRe.FindStringSubmatch(s)
	if m == nil {
		return fmt.Errorf("%q is not a port: use a number with an optional protocol, such as \"443\", \"8443/TCP\" or \"53/UDP\"", s)
	}
	if len(m[1]) > 1 && m[1][0] == '0' {
		return fmt.Errorf("%q: write the port without leading zeros", s)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > 65535 {
		return fmt.Errorf("port %s is out of range: use 1-65535", m[1])
	}
	return nil
}

// Built-in roles users pick from; any other ClusterRole name is allowed too.
const ClusterAdmin = "cluster-admin"

func validateAccess(entries []AccessEntry) []fielderr.Error {
	var errs []fielderr.Error
	at := func(msg string, path ...any) {
		errs = append(errs, fielderr.Error{Path: append([]any{"access"}, path...), Msg: msg})
	}
	roles := map[string]int{}
	for i, e := range entries {
		if err := ValidateRoleName(e.Role); err != nil {
			at(err.Error(), i, "role")
		} else if prev, dup := roles[RoleBindingName(e.Role)]; dup {
			at(fmt.Sprintf("role %q gives the same RoleBinding (%s) as access[%d]: put all its subjects in one entry",
				e.Role, RoleBindingName(e.Role), prev), i, "role")
		} else {
			roles[RoleBindingName(e.Role)] = i
		}
		if e.Role == ClusterAdmin && !e.AllowClusterAdmin {
			at("binding cluster-admin gives full control of the namespace, including its RoleBindings and Pod Security "+
				"labels' effects; use admin, edit or view, or set allow_cluster_admin = true on this entry if it is really meant", i, "role")
		}
		if len(e.Users)+len(e.Groups)+len(e.ServiceAccounts) == 0 {
			at("an access entry needs at least one of users, groups or service_accounts", i)
		}
		for _, f := range []struct {
			field string
			vals  []string
		}{{"users", e.Users}, {"groups", e.Groups}} {
			field, seen := f.field, map[string]bool{}
			for j, v := range f.vals {
				if err := ValidateSubjectName(v); err != nil {
					at(err.Error(), i, field, j)
				} else if seen[v] {
					at(fmt.Sprintf("%q is listed twice", v), i, field, j)
				}
				seen[v] = true
			}
		}
		seen := map[string]bool{}
		for j, v := range e.ServiceAccounts {
			if err := ValidateServiceAccountRef(v); err != nil {
				at(err.Error(), i, "service_accounts", j)
			} else if seen[v] {
				at(fmt.Sprintf("%q is listed twice", v), i, "service_accounts", j)
			}
			seen[v] = true
		}
	}
	return errs
}

// ValidateRoleName checks a ClusterRole name as RBAC accepts it.
func ValidateRoleName(role string) error {
	if role == "" {
		return fmt.Errorf("role is empty: use view, edit, admin or the name of a ClusterRole")
	}
	if len(role) > 200 || strings.ContainsAny(role, "/%") || role == "." || role == ".." || hasControl(role) {
		return fmt.Errorf("%q is not a valid ClusterRole name: use view, edit, admin or the name of a ClusterRole", role)
	}
	return nil
}

// ValidateSubjectName checks a user or group name.
func ValidateSubjectName(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("subject name is empty")
	}
	if s != strings.TrimSpace(s) || hasControl(s) || len(s) > 253 {
		return fmt.Errorf("%q is not a usable subject name: no leading/trailing spaces or control characters, at most 253 characters", s)
	}
	return nil
}

// ValidateServiceAccountRef checks "namespace/name".
func ValidateServiceAccountRef(s string) error {
	ns, name, ok := strings.Cut(s, "/")
	if !ok || ns == "" || name == "" || strings.Contains(name, "/") {
		return fmt.Errorf("%q is not a service account reference: use \"namespace/name\", such as \"ci/deployer\"", s)
	}
	if err := ValidateName(ns); err != nil {
		return fmt.Errorf("service account %q: %w", s, err)
	}
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return fmt.Errorf("service account %q: %q is not a valid name: %s", s, name, strings.Join(errs, "; "))
	}
	return nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// quantityCmp compares two quantities already validated (unparseable ones compare equal).
func quantityCmp(a, b string) int {
	qa, errA := resource.ParseQuantity(a)
	qb, errB := resource.ParseQuantity(b)
	if errA != nil || errB != nil {
		return 0
	}
	return qa.Cmp(qb)
}

func validateImagePolicy(p *ImagePolicyInput) []fielderr.Error {
	if p == nil {
		return nil
	}
	var errs []fielderr.Error
	seen := map[string]bool{}
	for i, r := range p.AllowedRegistries {
		if err := ValidateRegistry(r); err != nil {
			errs = append(errs, fielderr.Error{Path: []any{"image_policy", "allowed_registries", i}, Msg: err.Error()})
		} else if seen[r] {
			errs = append(errs, fielderr.Error{Path: []any{"image_policy", "allowed_registries", i}, Msg: fmt.Sprintf("%q is listed twice", r)})
		}
		seen[r] = true
	}
	if len(p.AllowedRegistries) > 100 {
		errs = append(errs, fielderr.Error{Path: []any{"image_policy", "allowed_registries"}, Msg: "at most 100 registries"})
	}
	if p.Action != nil {
		if err := ValidateImageAction(*p.Action); err != nil {
			errs = append(errs, fielderr.Error{Path: []any{"image_policy", "action"}, Msg: err.Error()})
		}
	}
	forbid := p.ForbidLatestTag == nil || *p.ForbidLatestTag
	digest := p.RequireDigest != nil && *p.RequireDigest
	if len(p.AllowedRegistries) == 0 && !forbid && !digest {
		errs = append(errs, fielderr.Error{Path: []any{"image_policy"}, Msg: "this image_policy checks nothing: list allowed_registries, or keep forbid_latest_tag = true, or set require_digest = true"})
	}
	return errs
}
