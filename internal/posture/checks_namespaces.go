package posture

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

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
		{CheckQuotaIncomplete, []Part{PartNamespaces, PartResourceQuotas}},
	}
	skip := map[string]bool{}
	for _, c := range perNamespace {
		skip[c.id] = e.unknownIf(c.id, c.parts...)
	}

	denyIngress, denyEgress := e.defaultDenies()
	quotas, limits := map[string]bool{}, map[string]bool{}
	hard := map[string]map[string]string{} // every quota's keys, per namespace
	for _, q := range e.s.ResourceQuotas {
		quotas[q.Namespace] = true
		if hard[q.Namespace] == nil {
			hard[q.Namespace] = map[string]string{}
		}
		for k, v := range q.Spec.Hard {
			hard[q.Namespace][string(k)] = v.String()
		}
	}
	for _, l := range e.s.LimitRanges {
		limits[l.Namespace] = true
	}

	for _, ns := range e.s.Namespaces {
		name := ns.Name
		if !e.o.Selects(name) || ns.DeletionTimestamp != nil || ns.Status.Phase == corev1.NamespaceTerminating {
			continue
		}
		vendor := managedNamespace(e.o.Distribution, name)
		add := func(id, msg string) {
			switch {
			case skip[id]:
			case vendor != "":
				e.exclude(id, "Namespace", name, name, msg, vendorReason(e.o.Distribution, vendor))
			default:
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
		// The provider's own namespaces are held to its presets' completeness: a quota written by an
		// earlier release, or edited, that leaves a kind unbounded.
		if quotas[name] && hardening.IsManaged(ns.Labels) {
			if missing := hardening.QuotaUnbounded(hard[name]); len(missing) > 0 {
				add(CheckQuotaIncomplete, fmt.Sprintf("Namespace %s is managed by hardened_namespace but its ResourceQuota "+
					"leaves unbounded: %s.", name, strings.Join(missing, ", ")))
			}
		}
		if !limits[name] {
			add(CheckLimitRange, fmt.Sprintf("Namespace %s has no LimitRange: containers without requests and limits "+
				"run unbounded.", name))
		}
	}
}
