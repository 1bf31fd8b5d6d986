package hardening

import (
	"fmt"
	"net/netip"
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
	return []Finding{imageFinding(r, foreign), rbacFinding(r, foreign), serviceAccountFinding(r),
		networkFinding(r, foreign), podSecurityFinding(r), quotaFinding(r)}
}

func imageFinding(r Resolved, foreign Foreign) Finding {
	img := Finding{Practice: 2, Title: "Only authorized, pinned images are admitted",
		Checks: []string{"Kubescape C-0078", "Kubescape C-0075"}}
	if ip := r.ImagePolicy; ip == nil {
		img.Detail = "no image_policy: any registry and tag is admitted"
	} else {
		img.Satisfied = len(ip.AllowedRegistries) > 0 && ip.ForbidLatestTag && ip.Action == ImageActionDeny
		img.Detail = fmt.Sprintf("%d allowed registries, forbid_latest_tag = %t, require_digest = %t, action %s",
			len(ip.AllowedRegistries), ip.ForbidLatestTag, ip.RequireDigest, ip.Action)
		if foreign.ImagePolicyNotLive != "" {
			img.Satisfied = false
			img.Detail += "; not in force: " + foreign.ImagePolicyNotLive
		}
	}
	return img
}

func rbacFinding(r Resolved, foreign Foreign) Finding {
	clusterAdmin := slices.ContainsFunc(r.Access, func(e AccessEntry) bool { return e.Role == ClusterAdmin })
	f := Finding{Practice: 4, Title: "RBAC: namespace-scoped permissions only", Satisfied: !clusterAdmin,
		Checks: []string{"CIS 5.1.1", "Kubescape C-0035"}}
	if clusterAdmin {
		f.Detail = "access grants cluster-admin inside the namespace (allowed explicitly)"
	} else {
		f.Detail = fmt.Sprintf("%d RoleBinding(s) to namespace-scoped roles; no cluster-admin", len(r.Access))
	}
	if everyone := accessToEveryone(r.Access); len(everyone) > 0 {
		f.Satisfied = false
		f.Detail += "; access grants roles to every identity: " + strings.Join(everyone, "; ")
	}
	if len(foreign.EscalatingBindings) > 0 {
		f.Satisfied = false
		f.Detail += "; not made by Terraform: " + strings.Join(foreign.EscalatingBindings, "; ")
	}
	return f
}

func serviceAccountFinding(r Resolved) Finding {
	return Finding{Practice: 4, Title: "Default service account does not automount an API token",
		Satisfied: !r.AutomountServiceAccountToken,
		Detail:    fmt.Sprintf("default ServiceAccount automountServiceAccountToken = %t", r.AutomountServiceAccountToken),
		Checks:    []string{"CIS 5.1.5", "CIS 5.1.6", "Kubescape C-0034"}}
}

func networkFinding(r Resolved, foreign Foreign) Finding {
	n := r.Network
	net := Finding{Practice: 5, Title: "Network policies: default deny for ingress and egress",
		Satisfied: n.DenyIngress && n.DenyEgress,
		Detail:    fmt.Sprintf("deny_ingress = %t, deny_egress = %t", n.DenyIngress, n.DenyEgress),
		Checks:    []string{"CIS 5.3.2", "Kubescape C-0260", "Kubescape C-0206", "Kubescape C-0030"}}
	if open := ownAllowsToEveryone(n); len(open) > 0 {
		net.Satisfied = false
		net.Detail += "; the configuration's own allows are open to everyone: " + strings.Join(open, "; ")
	}
	if len(foreign.OpenPolicies) > 0 {
		net.Satisfied = false
		net.Detail += "; re-opened by policies not made by Terraform: " + strings.Join(foreign.OpenPolicies, "; ")
	}
	// A Service reaches past every network policy: externalIPs intercept traffic cluster-wide and an
	// ExternalName aliases any host, so isolation also needs the Services policy in force.
	switch sp := r.ServicePolicy; {
	case sp == nil:
		net.Satisfied = false
		net.Detail += "; service_policy is off: Services may claim externalIPs or alias any host (ExternalName)"
	case sp.Action != ImageActionDeny:
		net.Satisfied = false
		net.Detail += "; service_policy action " + sp.Action + " only reports Services that reach past the namespace"
	case foreign.ServicePolicyNotLive != "":
		net.Satisfied = false
		net.Detail += "; service_policy not in force: " + foreign.ServicePolicyNotLive
	default:
		if open := cidrsToEveryone("service_policy.allowed_external_ip_cidrs", sp.AllowedExternalIPCIDRs, "admits", nil); len(open) > 0 {
			net.Satisfied = false
			for _, o := range open {
				net.Detail += "; " + strings.TrimSuffix(o, portsNote(nil)) + " as a Service's externalIPs"
			}
		}
	}
	return net
}

func podSecurityFinding(r Resolved) Finding {
	ps := r.PodSecurity
	checks := []string{"CIS 5.2.1", "Kubescape C-0057"}
	if ps.Enforce == LevelRestricted {
		checks = append(checks, "Kubescape C-0013", "Kubescape C-0016")
	}
	return Finding{Practice: 6, Title: "Pod Security Admission profile enforced",
		Satisfied: ps.Enforce != LevelPrivileged,
		Detail: fmt.Sprintf("environment %s: enforce %s, audit %s, warn %s (version %s)",
			r.Environment, ps.Enforce, ps.Audit, ps.Warn, ps.Version),
		Checks: checks}
}

func quotaFinding(r Resolved) Finding {
	q, lr := r.ResourceQuota, r.LimitRange
	bounded := q["requests.cpu"] != "" || q["limits.cpu"] != "" || q["cpu"] != ""
	bounded = bounded && (q["requests.memory"] != "" || q["limits.memory"] != "" || q["memory"] != "")
	defaults := lr.Default["cpu"] != "" && lr.Default["memory"] != ""
	quota := Finding{Practice: 7, Title: "Resource quota and container limits",
		Satisfied: bounded && defaults,
		Detail: fmt.Sprintf("quota bounds cpu and memory: %t; containers get default limits: %t; services.loadbalancers = %s, services.nodeports = %s",
			bounded, defaults, orUnset(q["services.loadbalancers"]), orUnset(q["services.nodeports"])),
		Checks: []string{"Kubescape C-0009", "Kubescape C-0004", "Kubescape C-0050"}}
	if unbounded := QuotaUnbounded(q); len(unbounded) > 0 {
		quota.Satisfied = false
		quota.Detail += "; the quota leaves unbounded: " + strings.Join(unbounded, ", ")
	}
	return quota
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

// accessToEveryone lists the access entries that bind a role to a group every identity (or every
// service account, or anonymous requests) holds.
func accessToEveryone(access []AccessEntry) []string {
	var out []string
	for _, e := range access {
		for _, g := range e.Groups {
			if broadSubjects["Group/"+g] {
				out = append(out, e.Role+" to Group "+g)
			}
		}
		for _, u := range e.Users {
			if broadSubjects["User/"+u] {
				out = append(out, e.Role+" to User "+u)
			}
		}
	}
	return out
}

// ownAllowsToEveryone judges the configuration's own allows as a tenant's policy would be judged:
// address blocks that together cover every address of a family open the default deny.
func ownAllowsToEveryone(n Network) []string {
	var out []string
	if n.DenyEgress {
		out = append(out, cidrsToEveryone("allow_egress_to_cidrs", n.AllowEgressToCIDRs, "reaches", n.AllowEgressPorts)...)
	}
	if n.DenyIngress {
		out = append(out, cidrsToEveryone("allow_ingress_from_cidrs", n.AllowIngressFromCIDRs, "admits", n.AllowIngressPorts)...)
	}
	return out
}

// cidrsToEveryone says, per address family, whether address blocks together cover every address:
// a CIDR narrower than the whole internet (a load balancer's health-check range) is no gap.
func cidrsToEveryone(attr string, cidrs []string, verb string, ports []string) []string {
	var out []string
	for _, family := range []string{"0.0.0.0/0", "::/0"} {
		whole := netip.MustParsePrefix(family)
		var blocks []netip.Prefix
		for _, c := range cidrs {
			if p, err := netip.ParsePrefix(c); err == nil && p.Addr().Is4() == whole.Addr().Is4() {
				blocks = append(blocks, p.Masked())
			}
		}
		if covers(blocks, whole) {
			out = append(out, attr+" "+strings.Join(cidrStrings(blocks), ", ")+" "+verb+" every address ("+family+")"+portsNote(ports))
		}
	}
	return out
}

func portsNote(ports []string) string {
	if len(ports) == 0 {
		return " on every port"
	}
	return " on ports " + strings.Join(ports, ", ")
}

func cidrStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// covers says whether the union of blocks contains every address of p: some block contains p, or
// both halves of p are covered. Halving stops at the longest block, so it ends quickly.
func covers(blocks []netip.Prefix, p netip.Prefix) bool {
	longest := 0
	for _, b := range blocks {
		if b.Bits() <= p.Bits() && b.Contains(p.Addr()) {
			return true
		}
		longest = max(longest, b.Bits())
	}
	if p.Bits() >= longest || p.Bits() >= p.Addr().BitLen() {
		return false
	}
	lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
	hi := netip.PrefixFrom(halfUp(p), p.Bits()+1)
	return covers(blocks, lo) && covers(blocks, hi)
}

// halfUp is the first address of the upper half of p.
func halfUp(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bit := p.Bits()
	b[bit/8] |= 0x80 >> (bit % 8)
	a, _ := netip.AddrFromSlice(b)
	return a
}
