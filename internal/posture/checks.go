package posture

import (
	"fmt"
	"slices"
	"strings"
)

// Severity of a finding, from low to critical.
type Severity string

// Severities.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists the severities from lowest to highest.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Rank orders severities: low 1 ... critical 4; 0 for anything else.
func (s Severity) Rank() int { return slices.Index(Severities, s) + 1 }

// ParseSeverity accepts low, medium, high or critical.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(strings.TrimSpace(s))
	if sev.Rank() == 0 {
		return "", fmt.Errorf("%q is not a severity: use one of low, medium, high, critical", s)
	}
	return sev, nil
}

// Status of a finding.
type Status string

// Statuses: a check that passes produces no finding.
const (
	StatusFailed  Status = "failed"
	StatusUnknown Status = "unknown"
)

// Check ids. They are stable: users filter on them in check blocks and suppress them by id.
const (
	CheckVersionEndOfLife      = "HRD-1001"
	CheckVersionMaintenance    = "HRD-1002"
	CheckVersionPatches        = "HRD-1003"
	CheckProviderInsecureTLS   = "HRD-3001"
	CheckPlainHTTP             = "HRD-3002"
	CheckClusterAdminBinding   = "HRD-4001"
	CheckAnonymousBinding      = "HRD-4002"
	CheckEscalatingRoleBinding = "HRD-4003"
	CheckProviderClusterAdmin  = "HRD-4004"
	CheckDefaultDenyIngress    = "HRD-5001"
	CheckDefaultDenyEgress     = "HRD-5002"
	CheckDefaultDenyReopened   = "HRD-5003"
	CheckServiceExternalIPs    = "HRD-5004"
	CheckServiceExternalName   = "HRD-5005"
	CheckPodSecurityMissing    = "HRD-6001"
	CheckPodSecurityPrivileged = "HRD-6002"
	CheckDefaultNamespaceUsed  = "HRD-6003"
	CheckResourceQuota         = "HRD-7001"
	CheckLimitRange            = "HRD-7002"
	CheckQuotaIncomplete       = "HRD-7003"
	CheckAnonymousRequests     = "HRD-8001"
	CheckAPIServerInsecureArgs = "HRD-8002"
	CheckDashboardExposed      = "HRD-9001"
	CheckDashboardClusterAdmin = "HRD-9002"
	CheckAuditLog              = "HRD-10001"
)

// Check describes one check. Severity is the severity of its failed findings; HRD-8001 fails as
// critical or low depending on what anonymous requests may do, and Severity is the worst case.
// Unknown findings carry the check's Severity, so a reader sees what is at stake.
type Check struct {
	ID          string
	Practice    int
	Severity    Severity
	Title       string
	Remediation string
	References  []string
	order       int
}

var checkList = []Check{
	{ID: CheckVersionEndOfLife, Practice: 1, Severity: SeverityCritical,
		Title:       "The Kubernetes version is end of life",
		Remediation: "Upgrade the control plane one minor at a time to a supported minor, then the nodes; the hardened_version_support data source lists the upgrade path."},
	{ID: CheckVersionMaintenance, Practice: 1, Severity: SeverityMedium,
		Title:       "The Kubernetes version is in maintenance mode (critical fixes only) or in a vendor's paid or limited extended support",
		Remediation: "Plan an upgrade to a minor in full (standard) support before end of life; the hardened_version_support data source lists the dates and the upgrade path."},
	{ID: CheckVersionPatches, Practice: 1, Severity: SeverityLow,
		Title:       "The control plane misses patch releases of its minor",
		Remediation: "Upgrade to the latest patch release of the minor: patch releases carry the CVE fixes."},
	{ID: CheckProviderInsecureTLS, Practice: 3, Severity: SeverityHigh,
		Title: "The provider does not verify the API server's certificate",
		Remediation: "Remove insecure = true (or KUBE_INSECURE) and set cluster_ca_certificate, or use a kubeconfig with " +
			"certificate-authority-data, so a machine in the middle cannot read the credentials."},
	{ID: CheckPlainHTTP, Practice: 3, Severity: SeverityCritical,
		Title:       "The API server is reached over plain HTTP",
		Remediation: "Use the API server's https:// endpoint; disable any plain-HTTP listener or proxy in front of it.",
		References:  []string{"CIS 1.2.24", "Kubescape C-0138", "Kubescape C-0005"}},
	{ID: CheckClusterAdminBinding, Practice: 4, Severity: SeverityHigh,
		Title: "cluster-admin is granted cluster-wide to a subject that is not a system identity",
		Remediation: "Bind cluster-admin only to break-glass identities; give people and automation RoleBindings to " +
			"admin, edit or view inside their namespaces (the access block of hardened_namespace), or a narrower ClusterRole.",
		References: []string{"CIS 5.1.1", "Kubescape C-0185", "Kubescape C-0035"}},
	{ID: CheckAnonymousBinding, Practice: 4, Severity: SeverityCritical,
		Title: "RBAC grants permissions to anonymous or unauthenticated requests",
		Remediation: "Delete the binding, or remove system:anonymous and system:unauthenticated from its subjects: " +
			"whatever they are granted is available to anyone who can reach the API server.",
		References: []string{"Kubescape C-0262"}},
	{ID: CheckEscalatingRoleBinding, Practice: 4, Severity: SeverityHigh,
		Title: "A RoleBinding escalates inside a namespace managed by hardened_namespace, or grants a role to every identity",
		Remediation: "Delete the binding, or bind a narrower role to named subjects through the access block of " +
			"hardened_namespace; tamper_protection does not stop a namespace admin from creating bindings of their own.",
		References: []string{"CIS 5.1.1", "Kubescape C-0035"}},
	{ID: CheckProviderClusterAdmin, Practice: 4, Severity: SeverityHigh,
		Title: "The provider runs as cluster-admin",
		Remediation: "Run Terraform as an identity bound to the provider's least-privilege ClusterRole with its admission " +
			"guard (examples/least-privilege; see Least privilege in the provider documentation), not in system:masters " +
			"or bound to cluster-admin: a leaked CI credential is then confined to the namespaces the provider manages.",
		References: []string{"CIS 5.1.1", "Kubescape C-0035"}},
	{ID: CheckDefaultDenyIngress, Practice: 5, Severity: SeverityMedium,
		Title: "The namespace has no default-deny ingress NetworkPolicy",
		Remediation: "Add a NetworkPolicy with an empty podSelector, Ingress in policyTypes and no ingress rules, then " +
			"allow what is needed explicitly (hardened_namespace does this by default).",
		References: []string{"CIS 5.3.2", "Kubescape C-0206", "Kubescape C-0260", "Kubescape C-0030"}},
	{ID: CheckDefaultDenyEgress, Practice: 5, Severity: SeverityMedium,
		Title: "The namespace has no default-deny egress NetworkPolicy",
		Remediation: "Add a NetworkPolicy with an empty podSelector, Egress in policyTypes and no egress rules, then " +
			"allow DNS and what is needed explicitly (hardened_namespace does this by default).",
		References: []string{"CIS 5.3.2", "Kubescape C-0206", "Kubescape C-0260", "Kubescape C-0030"}},
	{ID: CheckDefaultDenyReopened, Practice: 5, Severity: SeverityHigh,
		Title: "A NetworkPolicy re-opens a namespace's default deny to every source or destination",
		Remediation: "Delete the policy or narrow it to the namespaces, pods or addresses that need the traffic " +
			"(allow_ingress_from_namespaces, allow_egress_to_namespaces and allow_egress_to_cidrs in hardened_namespace).",
		References: []string{"CIS 5.3.2", "Kubescape C-0260"}},
	{ID: CheckServiceExternalIPs, Practice: 5, Severity: SeverityHigh,
		Title: "A Service sets externalIPs, which intercepts traffic for those addresses anywhere in the cluster (CVE-2020-8554)",
		Remediation: "Remove spec.externalIPs, or use a LoadBalancer with loadBalancerSourceRanges; forbid externalIPs at " +
			"admission (Kubernetes' DenyServiceExternalIPs plugin, or an admission policy) unless a platform team owns them.",
		References: []string{"CVE-2020-8554"}},
	{ID: CheckServiceExternalName, Practice: 5, Severity: SeverityMedium,
		Title: "A Service of type ExternalName points an in-cluster name at any host (CVE-2021-25740)",
		Remediation: "Replace it with a Service with a selector or with explicit EndpointSlices, or allow ExternalName " +
			"only where a platform team reviews the target; ingress controllers can be led to other namespaces' Services through it.",
		References: []string{"CVE-2021-25740"}},
	{ID: CheckPodSecurityMissing, Practice: 6, Severity: SeverityHigh,
		Title: "The namespace does not enforce a Pod Security Standard",
		Remediation: "Label the namespace pod-security.kubernetes.io/enforce=restricted (or baseline where restricted is " +
			"not possible); hardened_namespace sets the labels from its environment preset.",
		References: []string{"CIS 5.2.1", "Kubescape C-0192"}},
	{ID: CheckPodSecurityPrivileged, Practice: 6, Severity: SeverityHigh,
		Title: "The namespace enforces the privileged Pod Security level (no restrictions)",
		Remediation: "Set pod-security.kubernetes.io/enforce to restricted or baseline; keep privileged workloads in a " +
			"dedicated, tightly controlled namespace.",
		References: []string{"CIS 5.2.1", "CIS 5.2.2", "Kubescape C-0192", "Kubescape C-0193"}},
	{ID: CheckDefaultNamespaceUsed, Practice: 6, Severity: SeverityMedium,
		Title: "Workloads run in the default namespace",
		Remediation: "Move the workload to a namespace of its own with the security profile it needs (hardened_namespace), " +
			"and delete it from default.",
		References: []string{"CIS 5.7.4", "Kubescape C-0212", "Kubescape C-0061"}},
	{ID: CheckResourceQuota, Practice: 7, Severity: SeverityMedium,
		Title:       "The namespace has no ResourceQuota",
		Remediation: "Add a ResourceQuota bounding CPU, memory and object counts (hardened_namespace adds one from its preset).",
		References:  []string{"Kubescape C-0009"}},
	{ID: CheckQuotaIncomplete, Practice: 7, Severity: SeverityMedium,
		Title: "A namespace of hardened_namespace has a quota that leaves a kind unbounded",
		Remediation: "Apply the configuration with this provider release: every preset bounds ephemeral storage and the " +
			"object counts of pods, services, secrets, configmaps, persistentvolumeclaims, replicationcontrollers, " +
			"resourcequotas, LoadBalancers and NodePorts.",
		References: []string{"Kubescape C-0009"}},
	{ID: CheckLimitRange, Practice: 7, Severity: SeverityLow,
		Title: "The namespace has no LimitRange",
		Remediation: "Add a LimitRange giving containers default requests and limits, so none runs unbounded " +
			"(hardened_namespace adds one from its preset).",
		References: []string{"Kubescape C-0004", "Kubescape C-0050"}},
	{ID: CheckAnonymousRequests, Practice: 8, Severity: SeverityCritical,
		Title: "The API server accepts anonymous requests",
		Remediation: "Start kube-apiserver with --anonymous-auth=false, or limit anonymous requests to the health " +
			"endpoints with an AuthenticationConfiguration (anonymous.conditions: /livez, /readyz, /healthz); on managed " +
			"clusters restrict the endpoint to private networks.",
		References: []string{"CIS 1.2.1", "Kubescape C-0113", "Kubescape C-0262"}},
	{ID: CheckAPIServerInsecureArgs, Practice: 8, Severity: SeverityHigh,
		Title: "kube-apiserver is started with an insecure port or anonymous authentication",
		Remediation: "Remove --insecure-port (or set it to 0) and set --anonymous-auth=false in the kube-apiserver " +
			"manifest (/etc/kubernetes/manifests/kube-apiserver.yaml on kubeadm clusters).",
		References: []string{"CIS 1.2.1", "Kubescape C-0113", "Kubescape C-0005"}},
	{ID: CheckDashboardExposed, Practice: 9, Severity: SeverityHigh,
		Title: "The Kubernetes Dashboard is exposed outside the cluster",
		Remediation: "Change the Service to type ClusterIP and reach the Dashboard through kubectl port-forward, or an " +
			"authenticating proxy or Ingress restricted to trusted networks.",
		References: []string{"Kubescape C-0014", "Kubescape C-0256"}},
	{ID: CheckDashboardClusterAdmin, Practice: 9, Severity: SeverityCritical,
		Title: "A Kubernetes Dashboard service account is bound to cluster-admin",
		Remediation: "Delete the binding: the Dashboard should act with the token of the user who logs in, and its own " +
			"service account needs only the permissions of its installation manifest.",
		References: []string{"CIS 5.1.1", "Kubescape C-0035", "Kubescape C-0014"}},
	{ID: CheckAuditLog, Practice: 10, Severity: SeverityMedium,
		Title: "kube-apiserver does not write an audit log",
		Remediation: "Start kube-apiserver with --audit-policy-file (the hardened_audit_policy data source renders one) " +
			"and --audit-log-path (or --audit-webhook-config-file); on managed clusters enable the provider's audit logs.",
		References: []string{"CIS 1.2.16", "CIS 3.2.1", "Kubescape C-0130", "Kubescape C-0160", "Kubescape C-0067"}},
}

var checksByID = func() map[string]Check {
	m := map[string]Check{}
	for i, c := range checkList {
		c.order = i
		m[c.ID] = c
	}
	return m
}()

// Checks returns every check, ordered by practice and id.
func Checks() []Check {
	out := make([]Check, 0, len(checkList))
	for _, c := range checkList {
		c = checksByID[c.ID]
		c.References = slices.Clone(c.References)
		out = append(out, c)
	}
	return out
}

// LookupCheck returns the check with this id.
func LookupCheck(id string) (Check, bool) {
	c, ok := checksByID[id]
	return c, ok
}
