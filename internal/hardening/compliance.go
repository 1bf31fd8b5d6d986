package hardening

import (
	"fmt"
	"slices"
	"strings"
)

// Finding says whether a namespace satisfies one checklist practice, and which scanner checks
// (CIS Kubernetes Benchmark, Kubescape controls) the same configuration answers.
type Finding struct {
	Practice  int
	Title     string
	Satisfied bool
	Detail    string
	Checks    []string
}

// Compliance evaluates the practices a hardened namespace covers. It judges the resolved spec (what
// is applied; drift in the provider's own objects is repaired by the next apply) together with what
// others added to the live namespace that apply does not remove: policies that re-open it and
// bindings that escalate.
func Compliance(r Resolved, foreign Foreign) []Finding {
	var out []Finding

	img := Finding{Practice: 2, Title: "Only authorized, pinned images are admitted",
		Checks: []string{"Kubescape C-0078", "Kubescape C-0075"}}
	if ip := r.ImagePolicy; ip == nil {
		img.Detail = "no image_policy: any registry and tag is admitted"
	} else {
		img.Satisfied = len(ip.AllowedRegistries) > 0 && ip.ForbidLatestTag && ip.Action == ImageActionDeny
		img.Detail = fmt.Sprintf("%d allowed registries, forbid_latest_tag = %t, require_digest = %t, action %s",
			len(ip.AllowedRegistries), ip.ForbidLatestTag, ip.RequireDigest, ip.Action)
	}
	out = append(out, img)

	clusterAdmin := slices.ContainsFunc(r.Access, func(e AccessEntry) bool { return e.Role == ClusterAdmin })
	f := Finding{Practice: 4, Title: "RBAC: namespace-scoped permissions only", Satisfied: !clusterAdmin,
		Checks: []string{"CIS 5.1.1", "Kubescape C-0035"}}
	if clusterAdmin {
		f.Detail = "access grants cluster-admin inside the namespace (allowed explicitly)"
	} else {
		f.Detail = fmt.Sprintf("%d RoleBinding(s) to namespace-scoped roles; no cluster-admin", len(r.Access))
	}
	if len(foreign.EscalatingBindings) > 0 {
		f.Satisfied = false
		f.Detail += "; not made by Terraform: " + strings.Join(foreign.EscalatingBindings, "; ")
	}
	out = append(out, f)

	out = append(out, Finding{Practice: 4, Title: "Default service account does not automount an API token",
		Satisfied: !r.AutomountServiceAccountToken,
		Detail:    fmt.Sprintf("default ServiceAccount automountServiceAccountToken = %t", r.AutomountServiceAccountToken),
		Checks:    []string{"CIS 5.1.5", "CIS 5.1.6", "Kubescape C-0034"}})

	n := r.Network
	net := Finding{Practice: 5, Title: "Network policies: default deny for ingress and egress",
		Satisfied: n.DenyIngress && n.DenyEgress,
		Detail:    fmt.Sprintf("deny_ingress = %t, deny_egress = %t", n.DenyIngress, n.DenyEgress),
		Checks:    []string{"CIS 5.3.2", "Kubescape C-0260", "Kubescape C-0206", "Kubescape C-0030"}}
	if len(foreign.OpenPolicies) > 0 {
		net.Satisfied = false
		net.Detail += "; re-opened by policies not made by Terraform: " + strings.Join(foreign.OpenPolicies, "; ")
	}
	out = append(out, net)

	ps := r.PodSecurity
	checks := []string{"CIS 5.2.1", "Kubescape C-0057"}
	if ps.Enforce == LevelRestricted {
		checks = append(checks, "Kubescape C-0013", "Kubescape C-0016")
	}
	out = append(out, Finding{Practice: 6, Title: "Pod Security Admission profile enforced",
		Satisfied: ps.Enforce != LevelPrivileged,
		Detail: fmt.Sprintf("environment %s: enforce %s, audit %s, warn %s (version %s)",
			r.Environment, ps.Enforce, ps.Audit, ps.Warn, ps.Version),
		Checks: checks})

	q, lr := r.ResourceQuota, r.LimitRange
	bounded := q["requests.cpu"] != "" || q["limits.cpu"] != "" || q["cpu"] != ""
	bounded = bounded && (q["requests.memory"] != "" || q["limits.memory"] != "" || q["memory"] != "")
	defaults := lr.Default["cpu"] != "" && lr.Default["memory"] != ""
	out = append(out, Finding{Practice: 7, Title: "Resource quota and container limits",
		Satisfied: bounded && defaults,
		Detail: fmt.Sprintf("quota bounds cpu and memory: %t; containers get default limits: %t; services.loadbalancers = %s, services.nodeports = %s",
			bounded, defaults, orUnset(q["services.loadbalancers"]), orUnset(q["services.nodeports"])),
		Checks: []string{"Kubescape C-0009", "Kubescape C-0004", "Kubescape C-0050"}})
	return out
}

func orUnset(s string) string {
	if s == "" {
		return "unset"
	}
	return s
}

// Gap is how an unsatisfied finding reads in a report: one line, starting "practice N (title): ",
// so it can be filtered by practice and printed as it is.
func (f Finding) Gap() string {
	s := fmt.Sprintf("practice %d (%s): %s", f.Practice, f.Title, f.Detail)
	if len(f.Checks) > 0 {
		s += " [" + strings.Join(f.Checks, ", ") + "]"
	}
	return s
}

// Gaps are the unsatisfied findings as Gap lines, in checklist order; empty, not nil, when there
// are none.
func Gaps(findings []Finding) []string {
	gaps := []string{}
	for _, f := range findings {
		if !f.Satisfied {
			gaps = append(gaps, f.Gap())
		}
	}
	return gaps
}
