package posture

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

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
		scope := bindingScope(ns)
		e.add(CheckDashboardClusterAdmin, "", kind, ns, name, fmt.Sprintf("%s %s grants cluster-admin %s to %s: anyone "+
			"who reaches the Dashboard, or skips its login, administers the cluster.", kind, qualified(ns, name), scope,
			strings.Join(who, ", ")))
	}
	e.eachReadBinding(check)
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

func isDashboardServiceAccount(s rbacv1.Subject) bool {
	return s.Kind == rbacv1.ServiceAccountKind && strings.Contains(s.Name, "kubernetes-dashboard")
}
