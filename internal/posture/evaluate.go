package posture

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// Finding is one failed or not evaluable check, about one object.
type Finding struct {
	ID       string
	Practice int
	Severity Severity
	Status   Status
	// Kind, Namespace and Name identify the object. Cluster-wide findings have Kind "Cluster" (or
	// "Provider" for the provider's own connection) and empty Namespace and Name. A Namespace
	// finding has both Namespace and Name set to the namespace, so filtering on namespace finds it.
	Kind, Namespace, Name string
	Message               string
	Remediation           string
	References            []string
}

// Options tune Evaluate.
type Options struct {
	// AsOf is the date the version is judged on. Zero means the release data's own date (Evaluate
	// never reads the clock).
	AsOf time.Time
	// Include limits the per-namespace checks (HRD-5001, 5002, 6001, 6002, 7001, 7002) to the
	// namespaces matching one of these names or glob patterns (path.Match: "team-*"); empty means
	// every namespace. Exclude removes namespaces matching one of its patterns. SystemNamespaces
	// are always excluded.
	Include, Exclude []string
	// Releases is the release table for the version check; nil means releases.Embedded().
	Releases *releases.Table
}

// ValidatePattern reports a namespace pattern path.Match cannot use.
func ValidatePattern(p string) error {
	if strings.TrimSpace(p) == "" {
		return fmt.Errorf("empty namespace pattern: use a namespace name or a glob such as \"team-*\"")
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("%q is not a valid namespace pattern (%v): use a name or a glob with *, ? and [a-z]", p, err)
	}
	return nil
}

// Selects says whether the per-namespace checks apply to ns.
func (o Options) Selects(ns string) bool {
	if slices.Contains(SystemNamespaces, ns) {
		return false
	}
	match := func(patterns []string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool {
			ok, err := path.Match(p, ns)
			return err == nil && ok
		})
	}
	if len(o.Include) > 0 && !match(o.Include) {
		return false
	}
	return !match(o.Exclude)
}

// Evaluate runs every check over the snapshot and returns the findings sorted by severity (highest
// first), then check id, then namespace and name.
func Evaluate(s Snapshot, o Options) []Finding {
	e := &evaluator{s: s, o: o, out: []Finding{}}
	e.version()
	e.transport()
	e.clusterAdmin()
	e.providerClusterAdmin()
	e.anonymousBindings()
	e.namespaces()
	e.reopened()
	e.escalatingBindings()
	e.defaultNamespace()
	e.anonymousRequests()
	e.apiServerPods()
	e.dashboard()
	Sort(e.out)
	return e.out
}

// Sort orders findings by severity (highest first), then check (by practice and number), then
// namespace, name and message.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(checksByID[a.ID].order, checksByID[b.ID].order),
			strings.Compare(a.ID, b.ID),
			strings.Compare(a.Namespace, b.Namespace),
			strings.Compare(a.Name, b.Name),
			strings.Compare(a.Kind, b.Kind),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// Summary counts failed findings per severity, and unknown findings.
type Summary struct {
	Critical, High, Medium, Low, Unknown int
}

// Summarize counts findings.
func Summarize(fs []Finding) Summary {
	var s Summary
	for _, f := range fs {
		if f.Status == StatusUnknown {
			s.Unknown++
			continue
		}
		switch f.Severity {
		case SeverityCritical:
			s.Critical++
		case SeverityHigh:
			s.High++
		case SeverityMedium:
			s.Medium++
		case SeverityLow:
			s.Low++
		}
	}
	return s
}

// Passed is true when no finding failed; unknown findings do not fail.
func Passed(fs []Finding) bool {
	return !slices.ContainsFunc(fs, func(f Finding) bool { return f.Status == StatusFailed })
}

// AtOrAbove returns the failed findings whose severity is at least threshold, in order: the ones a
// fail_on gate stops on. Unknown findings never trip it.
func AtOrAbove(fs []Finding, threshold Severity) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Status == StatusFailed && f.Severity.Rank() >= threshold.Rank() {
			out = append(out, f)
		}
	}
	return out
}

// Describe is one line naming a finding, for diagnostics: "HRD-4001 high ClusterRoleBinding
// mallory-admin: ...".
func (f Finding) Describe() string {
	obj := f.Kind
	switch {
	case f.Kind == "Namespace":
		obj += " " + f.Name
	case f.Namespace != "":
		obj += " " + f.Namespace + "/" + f.Name
	case f.Name != "":
		obj += " " + f.Name
	}
	return fmt.Sprintf("%s %s %s: %s", f.ID, f.Severity, obj, f.Message)
}

type evaluator struct {
	s   Snapshot
	o   Options
	out []Finding
}

const (
	kindCluster  = "Cluster"
	kindProvider = "Provider"
)

func (e *evaluator) add(id string, sev Severity, kind, ns, name, msg string) {
	c := checksByID[id]
	if sev == "" {
		sev = c.Severity
	}
	refs := slices.Clone(c.References)
	if refs == nil {
		refs = []string{}
	}
	e.out = append(e.out, Finding{ID: id, Practice: c.Practice, Severity: sev, Status: StatusFailed, Kind: kind,
		Namespace: ns, Name: name, Message: msg, Remediation: c.Remediation, References: refs})
}

// last returns the finding just added, to adjust its remediation.
func (e *evaluator) last() *Finding { return &e.out[len(e.out)-1] }

func (e *evaluator) isUnknown(p Part) bool {
	_, ok := e.s.unknown(p)
	return ok
}

// unknownIf adds an "unknown" finding for the check when any of the parts could not be read, and
// says whether it did.
func (e *evaluator) unknownIf(id string, parts ...Part) bool {
	var reasons []string
	for _, p := range parts {
		if r, ok := e.s.unknown(p); ok {
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		return false
	}
	e.unknown(id, "Not evaluated: "+strings.Join(reasons, "; ")+".")
	return true
}

func (e *evaluator) unknown(id, msg string) {
	e.add(id, "", kindCluster, "", "", msg)
	e.last().Status = StatusUnknown
}

// Practice 1: version.
func (e *evaluator) version() {
	if e.unknownIf(CheckVersionEndOfLife, PartServerVersion) {
		return
	}
	v, err := releases.ParseVersion(e.s.ServerVersion)
	if err != nil {
		e.unknown(CheckVersionEndOfLife, fmt.Sprintf("Not evaluated: the API server reports version %q, which is not a "+
			"Kubernetes version: %v.", e.s.ServerVersion, err))
		return
	}
	table := e.o.Releases
	if table == nil {
		table = releases.Embedded()
	}
	asOf := e.o.AsOf
	if asOf.IsZero() {
		asOf = table.AsOf
	}
	vd := table.Verdict(v, asOf, 0)
	upgrade := ""
	if len(vd.UpgradePath) > 0 {
		upgrade = " Upgrade path: " + strings.Join(vd.UpgradePath, " -> ") + "."
	}
	switch vd.Status {
	case releases.StatusEndOfLife:
		e.add(CheckVersionEndOfLife, "", kindCluster, "", "", vd.Message)
		e.last().Remediation += upgrade
	case releases.StatusMaintenance:
		e.add(CheckVersionMaintenance, "", kindCluster, "", "", vd.Message)
		e.last().Remediation += upgrade
	}
	if (vd.Status == releases.StatusSupported || vd.Status == releases.StatusMaintenance) && vd.PatchesBehind > 0 {
		e.add(CheckVersionPatches, "", kindCluster, "", "", fmt.Sprintf("Kubernetes %s is %d patch release(s) behind %s, "+
			"the latest patch of %s.", vd.Version, vd.PatchesBehind, vd.LatestPatch, vd.Minor))
		e.last().Remediation = fmt.Sprintf("Upgrade the control plane to %s (and the nodes with it): patch releases carry "+
			"the CVE fixes.", vd.LatestPatch)
	}
}

// Practice 3: how the provider reaches the API server.
func (e *evaluator) transport() {
	p := e.s.Provider
	if p.Insecure {
		e.add(CheckProviderInsecureTLS, "", kindProvider, "", "", fmt.Sprintf("The provider is configured with insecure = true: it "+
			"accepts any certificate from the API server at %s, so a machine in the middle can read its credentials and "+
			"the objects it sends.", p.Host))
	}
	if strings.EqualFold(p.Scheme, "http") {
		e.add(CheckPlainHTTP, "", kindProvider, "", "", fmt.Sprintf("The API server is reached at %s over plain HTTP: "+
			"credentials and objects cross the network unencrypted.", p.Host))
	}
}

// providerClusterAdmin reports when the identity the provider runs as is cluster-admin: in
// system:masters, or named (as user, group or service account) by a ClusterRoleBinding to
// cluster-admin (HRD-4004).
func (e *evaluator) providerClusterAdmin() {
	if e.unknownIf(CheckProviderClusterAdmin, PartIdentity) {
		return
	}
	p := e.s.Provider
	if slices.Contains(p.Groups, "system:masters") {
		e.add(CheckProviderClusterAdmin, "", kindProvider, "", p.Username, fmt.Sprintf(
			"The provider runs as %s, a member of system:masters: every request it makes bypasses RBAC.", p.Username))
		return
	}
	if e.unknownIf(CheckProviderClusterAdmin, PartClusterRoleBindings) {
		return
	}
	for _, b := range e.s.ClusterRoleBindings {
		if !isClusterAdmin(b.RoleRef) {
			continue
		}
		for _, sub := range b.Subjects {
			named := (sub.Kind == rbacv1.UserKind && sub.Name == p.Username) ||
				(sub.Kind == rbacv1.GroupKind && slices.Contains(p.Groups, sub.Name)) ||
				(sub.Kind == rbacv1.ServiceAccountKind && "system:serviceaccount:"+sub.Namespace+":"+sub.Name == p.Username)
			if named {
				e.add(CheckProviderClusterAdmin, "", kindProvider, "", p.Username, fmt.Sprintf(
					"The provider runs as %s, bound to cluster-admin by ClusterRoleBinding %s (%s).", p.Username, b.Name, describeSubject(sub)))
				return
			}
		}
	}
}

// Practice 4: cluster-admin bindings.
func (e *evaluator) clusterAdmin() {
	if e.unknownIf(CheckClusterAdminBinding, PartClusterRoleBindings) {
		return
	}
	for _, b := range e.s.ClusterRoleBindings {
		if !isClusterAdmin(b.RoleRef) {
			continue
		}
		var who []string
		for _, sub := range b.Subjects {
			if isSystemIdentity(sub) || isDashboardServiceAccount(sub) { // the dashboard is HRD-9002
				continue
			}
			who = append(who, describeSubject(sub))
		}
		if len(who) > 0 {
			e.add(CheckClusterAdminBinding, "", "ClusterRoleBinding", "", b.Name, fmt.Sprintf("ClusterRoleBinding %s grants "+
				"cluster-admin on the whole cluster to %s.", b.Name, strings.Join(who, ", ")))
		}
	}
}

// Practice 4: bindings to anonymous or unauthenticated requests.
func (e *evaluator) anonymousBindings() {
	crbUnknown, rbUnknown := e.isUnknown(PartClusterRoleBindings), e.isUnknown(PartRoleBindings)
	e.unknownIf(CheckAnonymousBinding, PartClusterRoleBindings, PartRoleBindings)
	check := func(kind, ns, name string, ref rbacv1.RoleRef, subjects []rbacv1.Subject) {
		if isBootstrapAnonymousGrant(ns, ref) {
			return
		}
		var who []string
		for _, sub := range subjects {
			if sub.Name == "system:anonymous" || sub.Name == "system:unauthenticated" {
				who = append(who, describeSubject(sub))
			}
		}
		if len(who) == 0 {
			return
		}
		scope := "on the whole cluster"
		if ns != "" {
			scope = "in namespace " + ns
		}
		e.add(CheckAnonymousBinding, "", kind, ns, name, fmt.Sprintf("%s %s grants %s %s %s to %s: anyone who can reach the "+
			"API server gets these permissions without credentials.", kind, qualified(ns, name), ref.Kind, ref.Name, scope,
			strings.Join(who, ", ")))
	}
	if !crbUnknown {
		for _, b := range e.s.ClusterRoleBindings {
			check("ClusterRoleBinding", "", b.Name, b.RoleRef, b.Subjects)
		}
	}
	if !rbUnknown {
		for _, b := range e.s.RoleBindings {
			check("RoleBinding", b.Namespace, b.Name, b.RoleRef, b.Subjects)
		}
	}
}

// Practices 5, 6 and 7: per-namespace checks.
func (e *evaluator) namespaces() {
	perNamespace := []struct {
		id    string
		parts []Part
	}{
		{CheckDefaultDenyIngress, []Part{PartNamespaces, PartNetworkPolicies}},
		{CheckDefaultDenyEgress, []Part{PartNamespaces, PartNetworkPolicies}},
		{CheckPodSecurityMissing, []Part{PartNamespaces}},
		{CheckPodSecurityPrivileged, []Part{PartNamespaces}},
		{CheckResourceQuota, []Part{PartNamespaces, PartResourceQuotas}},
		{CheckLimitRange, []Part{PartNamespaces, PartLimitRanges}},
	}
	skip := map[string]bool{}
	for _, c := range perNamespace {
		skip[c.id] = e.unknownIf(c.id, c.parts...)
	}

	denyIngress, denyEgress := e.defaultDenies()
	quotas, limits := map[string]bool{}, map[string]bool{}
	for _, q := range e.s.ResourceQuotas {
		quotas[q.Namespace] = true
	}
	for _, l := range e.s.LimitRanges {
		limits[l.Namespace] = true
	}

	for _, ns := range e.s.Namespaces {
		name := ns.Name
		if !e.o.Selects(name) || ns.DeletionTimestamp != nil || ns.Status.Phase == corev1.NamespaceTerminating {
			continue
		}
		add := func(id, msg string) {
			if !skip[id] {
				e.add(id, "", "Namespace", name, name, msg)
			}
		}
		if !denyIngress[name] {
			add(CheckDefaultDenyIngress, fmt.Sprintf("Namespace %s has no NetworkPolicy that denies all ingress by default "+
				"(empty podSelector, Ingress in policyTypes, no ingress rules): every pod accepts traffic from anywhere.", name))
		}
		if !denyEgress[name] {
			add(CheckDefaultDenyEgress, fmt.Sprintf("Namespace %s has no NetworkPolicy that denies all egress by default "+
				"(empty podSelector, Egress in policyTypes, no egress rules): every pod can connect anywhere.", name))
		}
		switch level, ok := ns.Labels["pod-security.kubernetes.io/enforce"]; {
		case !ok || level == "":
			add(CheckPodSecurityMissing, fmt.Sprintf("Namespace %s has no pod-security.kubernetes.io/enforce label: Pod "+
				"Security Admission applies the cluster default, privileged unless configured otherwise.", name))
		case level == "privileged":
			add(CheckPodSecurityPrivileged, fmt.Sprintf("Namespace %s enforces the privileged Pod Security level: "+
				"privileged containers, host namespaces and host paths are admitted.", name))
		}
		if !quotas[name] {
			add(CheckResourceQuota, fmt.Sprintf("Namespace %s has no ResourceQuota: its workloads can use the cluster's "+
				"CPU, memory and object counts without bound.", name))
		}
		if !limits[name] {
			add(CheckLimitRange, fmt.Sprintf("Namespace %s has no LimitRange: containers without requests and limits "+
				"run unbounded.", name))
		}
	}
}

// reopened finds namespaces whose default deny another policy undoes for every source or
// destination (HRD-5003). What counts as "every": a rule with no peers, a peer selecting all
// namespaces, or an address block of length 0; the policy's own pod selector does not matter,
// since one pod reachable from anywhere is the namespace re-opened.
func (e *evaluator) reopened() {
	if e.unknownIf(CheckDefaultDenyReopened, PartNamespaces, PartNetworkPolicies) {
		return
	}
	denyIngress, denyEgress := e.defaultDenies()
	for _, np := range e.s.NetworkPolicies {
		if !e.o.Selects(np.Namespace) {
			continue
		}
		if why := hardening.PolicyOpensToEveryone(np, denyIngress[np.Namespace], denyEgress[np.Namespace]); why != "" {
			e.add(CheckDefaultDenyReopened, "", "NetworkPolicy", np.Namespace, np.Name, fmt.Sprintf(
				"NetworkPolicy %s %s, re-opening the namespace's default deny.", qualified(np.Namespace, np.Name), why))
		}
	}
}

// escalatingBindings reports RoleBindings that grant admin or cluster-admin inside a namespace
// hardened_namespace manages without being its own, and, in any namespace, RoleBindings to
// system:authenticated, system:unauthenticated or system:serviceaccounts (HRD-4003).
func (e *evaluator) escalatingBindings() {
	if e.unknownIf(CheckEscalatingRoleBinding, PartNamespaces, PartRoleBindings) {
		return
	}
	hardened := map[string]bool{}
	for _, ns := range e.s.Namespaces {
		hardened[ns.Name] = ns.Labels[hardening.ManagedByLabel] == hardening.ManagedByValue
	}
	for _, rb := range e.s.RoleBindings {
		if !e.o.Selects(rb.Namespace) || rb.Labels[hardening.ManagedByLabel] == hardening.ManagedByValue {
			continue
		}
		why := hardening.BindingEscalates(rb)
		// Outside hardened namespaces only grants to every authenticated identity or service account
		// are reported here (anonymous ones are HRD-4002's).
		everyone := strings.Contains(why, "system:authenticated") || strings.Contains(why, "system:serviceaccounts")
		if why == "" || (!hardened[rb.Namespace] && !everyone) {
			continue
		}
		e.add(CheckEscalatingRoleBinding, "", "RoleBinding", rb.Namespace, rb.Name, fmt.Sprintf(
			"RoleBinding %s %s.", qualified(rb.Namespace, rb.Name), why))
	}
}

// defaultDenies says, per namespace, whether some policy denies all ingress and all egress.
func (e *evaluator) defaultDenies() (ingress, egress map[string]bool) {
	ingress, egress = map[string]bool{}, map[string]bool{}
	for _, np := range e.s.NetworkPolicies {
		in, out := isDefaultDeny(np)
		ingress[np.Namespace] = ingress[np.Namespace] || in
		egress[np.Namespace] = egress[np.Namespace] || out
	}
	return ingress, egress
}

// isDefaultDeny says whether a policy denies all ingress and/or all egress of every pod in its
// namespace: an empty podSelector, the direction in policyTypes, and no rules for it.
func isDefaultDeny(np networkingv1.NetworkPolicy) (ingress, egress bool) {
	sel := np.Spec.PodSelector
	if len(sel.MatchLabels) > 0 || len(sel.MatchExpressions) > 0 {
		return false, false
	}
	types := np.Spec.PolicyTypes
	if len(types) == 0 {
		// The API server's defaulting: Ingress always, Egress when there are egress rules.
		types = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(np.Spec.Egress) > 0 {
			types = append(types, networkingv1.PolicyTypeEgress)
		}
	}
	ingress = slices.Contains(types, networkingv1.PolicyTypeIngress) && len(np.Spec.Ingress) == 0
	egress = slices.Contains(types, networkingv1.PolicyTypeEgress) && len(np.Spec.Egress) == 0
	return ingress, egress
}

// Practice 6: workloads in the default namespace.
func (e *evaluator) defaultNamespace() {
	e.unknownIf(CheckDefaultNamespaceUsed, WorkloadParts...)
	for _, w := range e.s.Workloads {
		if w.Controlled {
			continue
		}
		e.add(CheckDefaultNamespaceUsed, "", w.Kind, DefaultNamespace, w.Name, fmt.Sprintf("%s %s runs in the default "+
			"namespace, which has no security profile of its own and is shared by everything created without a namespace.",
			w.Kind, w.Name))
	}
}

// Practice 8: what the API server does with a request that carries no credentials.
func (e *evaluator) anonymousRequests() {
	if e.unknownIf(CheckAnonymousRequests, PartAnonymousProbe) {
		return
	}
	p := e.s.Anonymous
	switch {
	case p.StatusCode == 401:
		// Anonymous authentication is off: pass.
	case p.StatusCode == 403:
		e.add(CheckAnonymousRequests, SeverityLow, kindCluster, "", "", fmt.Sprintf("Anonymous authentication is enabled: "+
			"GET %s without credentials was authenticated as system:anonymous and denied (403 Forbidden). Anything "+
			"granted to system:anonymous or system:unauthenticated, now or later, is public.", p.URL))
	case p.StatusCode >= 200 && p.StatusCode < 300:
		e.add(CheckAnonymousRequests, SeverityCritical, kindCluster, "", "", fmt.Sprintf("Anonymous requests can list "+
			"namespaces: GET %s without credentials was answered %d. Find what grants it with the HRD-4002 findings.",
			p.URL, p.StatusCode))
	default:
		e.unknown(CheckAnonymousRequests, fmt.Sprintf("Not evaluated: GET %s without credentials was answered %d, which "+
			"says neither that anonymous authentication is off (401) nor that it is on (403 or 2xx).", p.URL, p.StatusCode))
	}
}

// Practices 8 and 10: the kube-apiserver command line, when its static pod is visible.
func (e *evaluator) apiServerPods() {
	if e.unknownIf(CheckAPIServerInsecureArgs, PartAPIServerPods) {
		e.unknownIf(CheckAuditLog, PartAPIServerPods)
		return
	}
	if len(e.s.APIServerPods) == 0 {
		const msg = "Not evaluated: no kube-apiserver pod is visible in kube-system, as on managed clusters whose " +
			"control plane is run by the provider; check the %s in the control plane's configuration."
		e.unknown(CheckAPIServerInsecureArgs, fmt.Sprintf(msg, "insecure port and anonymous authentication"))
		e.unknown(CheckAuditLog, fmt.Sprintf(msg, "audit logging"))
		return
	}
	pods := slices.Clone(e.s.APIServerPods)
	slices.SortFunc(pods, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	for _, pod := range pods {
		flags := apiServerFlags(pod)
		var bad []string
		if v, ok := flags["insecure-port"]; ok && v != "0" {
			bad = append(bad, "--insecure-port="+v+" (a plain-HTTP port without authentication or authorization)")
		}
		if v, ok := flags["anonymous-auth"]; ok && strings.EqualFold(v, "true") {
			bad = append(bad, "--anonymous-auth=true")
		}
		if len(bad) > 0 {
			e.add(CheckAPIServerInsecureArgs, "", "Pod", pod.Namespace, pod.Name, fmt.Sprintf("kube-apiserver pod %s is "+
				"started with %s.", pod.Name, strings.Join(bad, " and ")))
		}
		var missing []string
		if flags["audit-policy-file"] == "" {
			missing = append(missing, "--audit-policy-file")
		}
		if flags["audit-log-path"] == "" && flags["audit-webhook-config-file"] == "" {
			missing = append(missing, "--audit-log-path (or --audit-webhook-config-file)")
		}
		if len(missing) > 0 {
			e.add(CheckAuditLog, "", "Pod", pod.Namespace, pod.Name, fmt.Sprintf("kube-apiserver pod %s is started "+
				"without %s: API requests are not audited.", pod.Name, strings.Join(missing, " and ")))
		}
	}
}

// apiServerFlags reads --name=value and "--name value" flags from the kube-apiserver container.
func apiServerFlags(pod corev1.Pod) map[string]string {
	containers := pod.Spec.Containers
	idx := slices.IndexFunc(containers, func(c corev1.Container) bool {
		return c.Name == "kube-apiserver" || slices.ContainsFunc(c.Command, func(s string) bool {
			return strings.HasSuffix(s, "kube-apiserver")
		})
	})
	if idx < 0 {
		if len(containers) == 0 {
			return map[string]string{}
		}
		idx = 0
	}
	args := append(slices.Clone(containers[idx].Command), containers[idx].Args...)
	flags := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !hasValue {
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				value = args[i+1]
				i++
			} else {
				value = "true" // a bare boolean flag
			}
		}
		flags[name] = strings.Trim(value, `"'`)
	}
	return flags
}

// Practice 9: the Kubernetes Dashboard.
func (e *evaluator) dashboard() {
	if !e.unknownIf(CheckDashboardExposed, PartServices) {
		for _, svc := range e.s.Services {
			isDashboard := strings.Contains(svc.Name, "kubernetes-dashboard") || svc.Labels["k8s-app"] == "kubernetes-dashboard"
			if !isDashboard || (svc.Spec.Type != corev1.ServiceTypeLoadBalancer && svc.Spec.Type != corev1.ServiceTypeNodePort) {
				continue
			}
			e.add(CheckDashboardExposed, "", "Service", svc.Namespace, svc.Name, fmt.Sprintf("Service %s/%s of the "+
				"Kubernetes Dashboard is of type %s: the Dashboard is reachable from outside the cluster%s.",
				svc.Namespace, svc.Name, svc.Spec.Type, ports(svc)))
		}
	}

	crbUnknown, rbUnknown := e.isUnknown(PartClusterRoleBindings), e.isUnknown(PartRoleBindings)
	e.unknownIf(CheckDashboardClusterAdmin, PartClusterRoleBindings, PartRoleBindings)
	saUnknown := e.isUnknown(PartServiceAccounts)
	existing := map[string]bool{}
	for _, sa := range e.s.ServiceAccounts {
		existing[sa.Namespace+"/"+sa.Name] = true
	}
	check := func(kind, ns, name string, ref rbacv1.RoleRef, subjects []rbacv1.Subject) {
		if !isClusterAdmin(ref) {
			return
		}
		var who []string
		for _, sub := range subjects {
			if !isDashboardServiceAccount(sub) {
				continue
			}
			sa := cmp.Or(sub.Namespace, ns) + "/" + sub.Name
			note := ""
			if !saUnknown && !existing[sa] {
				note = " (it does not exist yet: whoever creates it gets cluster-admin)"
			}
			who = append(who, "ServiceAccount "+sa+note)
		}
		if len(who) == 0 {
			return
		}
		scope := "on the whole cluster"
		if ns != "" {
			scope = "in namespace " + ns
		}
		e.add(CheckDashboardClusterAdmin, "", kind, ns, name, fmt.Sprintf("%s %s grants cluster-admin %s to %s: anyone "+
			"who reaches the Dashboard, or skips its login, administers the cluster.", kind, qualified(ns, name), scope,
			strings.Join(who, ", ")))
	}
	if !crbUnknown {
		for _, b := range e.s.ClusterRoleBindings {
			check("ClusterRoleBinding", "", b.Name, b.RoleRef, b.Subjects)
		}
	}
	if !rbUnknown {
		for _, b := range e.s.RoleBindings {
			check("RoleBinding", b.Namespace, b.Name, b.RoleRef, b.Subjects)
		}
	}
}

func ports(svc corev1.Service) string {
	var out []string
	for _, p := range svc.Spec.Ports {
		if p.NodePort != 0 {
			out = append(out, strconv.Itoa(int(p.NodePort)))
		}
	}
	if len(out) == 0 {
		return ""
	}
	return " (node ports " + strings.Join(out, ", ") + ")"
}

func isClusterAdmin(ref rbacv1.RoleRef) bool {
	return ref.Kind == "ClusterRole" && ref.Name == "cluster-admin"
}

// broadGroups are system: names that stand for many identities, never one system component.
var broadGroups = []string{"system:authenticated", "system:unauthenticated", "system:anonymous", "system:serviceaccounts"}

// isSystemIdentity is true for the users and groups Kubernetes components use: names starting with
// "system:" (system:masters, system:kube-controller-manager, system:nodes...), but not the groups
// that stand for everyone (system:authenticated, system:unauthenticated, system:serviceaccounts
// and its per-namespace form) nor service accounts named as users (system:serviceaccount:ns:name).
// ServiceAccount subjects are never system identities.
func isSystemIdentity(s rbacv1.Subject) bool {
	if s.Kind == rbacv1.ServiceAccountKind || !strings.HasPrefix(s.Name, "system:") {
		return false
	}
	if slices.Contains(broadGroups, s.Name) || strings.HasPrefix(s.Name, "system:serviceaccounts:") ||
		strings.HasPrefix(s.Name, "system:serviceaccount:") {
		return false
	}
	return true
}

func isDashboardServiceAccount(s rbacv1.Subject) bool {
	return s.Kind == rbacv1.ServiceAccountKind && strings.Contains(s.Name, "kubernetes-dashboard")
}

// isBootstrapAnonymousGrant recognises the grants to anonymous requests that clusters are created
// with and that expose nothing sensitive: system:public-info-viewer (GET /version, /healthz,
// /livez, /readyz) and kubeadm's cluster-info ConfigMap in kube-public, read when nodes join.
func isBootstrapAnonymousGrant(ns string, ref rbacv1.RoleRef) bool {
	if ref.Kind == "ClusterRole" && ref.Name == "system:public-info-viewer" {
		return true
	}
	return ns == "kube-public" && ref.Kind == "Role" && ref.Name == "kubeadm:bootstrap-signer-clusterinfo"
}

func describeSubject(s rbacv1.Subject) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		return fmt.Sprintf("ServiceAccount %s/%s", s.Namespace, s.Name)
	}
	return fmt.Sprintf("%s %q", s.Kind, s.Name)
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
