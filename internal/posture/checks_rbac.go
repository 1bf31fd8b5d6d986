package posture

import (
	"fmt"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

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
		var who, excluded []string
		for _, sub := range b.Subjects {
			if isSystemIdentity(sub) || isDashboardServiceAccount(sub) { // the dashboard is HRD-9002
				continue
			}
			if e.o.excludedSubject(sub) {
				excluded = append(excluded, describeSubject(sub))
				continue
			}
			who = append(who, describeSubject(sub))
		}
		msg := func(to []string) string {
			return fmt.Sprintf("ClusterRoleBinding %s grants cluster-admin on the whole cluster to %s.", b.Name, strings.Join(to, ", "))
		}
		if src := managedBinding(e.o.Distribution, "ClusterRoleBinding", b.Name, b.RoleRef, b.Subjects); src != "" {
			e.exclude(CheckClusterAdminBinding, "ClusterRoleBinding", "", b.Name, msg(append(who, excluded...)),
				vendorReason(e.o.Distribution, src))
			continue
		}
		if len(excluded) > 0 {
			e.exclude(CheckClusterAdminBinding, "ClusterRoleBinding", "", b.Name, msg(excluded), "exclude_subjects")
		}
		if len(who) > 0 {
			e.add(CheckClusterAdminBinding, "", "ClusterRoleBinding", "", b.Name, msg(who))
		}
	}
}

// Practice 4: bindings to anonymous or unauthenticated requests.
func (e *evaluator) anonymousBindings() {
	e.unknownIf(CheckAnonymousBinding, PartClusterRoleBindings, PartRoleBindings)
	check := func(kind, ns, name string, ref rbacv1.RoleRef, subjects []rbacv1.Subject) {
		if isBootstrapAnonymousGrant(ns, ref) {
			return
		}
		var who, excluded []string
		for _, sub := range subjects {
			if sub.Name == "system:anonymous" || sub.Name == "system:unauthenticated" {
				if e.o.excludedSubject(sub) {
					excluded = append(excluded, describeSubject(sub))
				} else {
					who = append(who, describeSubject(sub))
				}
			}
		}
		msg := func(to []string) string {
			return fmt.Sprintf("%s %s grants %s %s %s to %s: anyone who can reach the API server gets these "+
				"permissions without credentials.", kind, qualified(ns, name), ref.Kind, ref.Name, bindingScope(ns),
				strings.Join(to, ", "))
		}
		if len(excluded) > 0 {
			e.exclude(CheckAnonymousBinding, kind, ns, name, msg(excluded), "exclude_subjects")
		}
		if len(who) > 0 {
			e.add(CheckAnonymousBinding, "", kind, ns, name, msg(who))
		}
	}
	e.eachReadBinding(check)
}

// escalatingBindings reports RoleBindings that grant admin or cluster-admin inside a namespace
// hardened_namespace manages without being its own, and, in any namespace, RoleBindings to
// system:authenticated, system:unauthenticated or system:serviceaccounts (HRD-4003).
func (e *evaluator) escalatingBindings() {
	if e.unknownIf(CheckEscalatingRoleBinding, PartNamespaces, PartRoleBindings) {
		return
	}
	hardened := map[string]bool{}
	labels := map[string]map[string]string{}
	for _, ns := range e.s.Namespaces {
		hardened[ns.Name] = hardening.IsManaged(ns.Labels)
		labels[ns.Name] = ns.Labels
	}
	for _, rb := range e.s.RoleBindings {
		if !e.o.Selects(rb.Namespace) {
			continue
		}
		why := hardening.BindingEscalates(rb)
		// Outside hardened namespaces only grants to every authenticated identity or service account
		// are reported here (anonymous ones are HRD-4002's), whoever made them.
		everyone := strings.Contains(why, "system:authenticated") || strings.Contains(why, "system:serviceaccounts")
		if why == "" || (!hardened[rb.Namespace] && !everyone) {
			continue
		}
		// The provider's own grants of admin (access) are the configuration's choice; a binding
		// that only carries its label is not the provider's.
		if !everyone && hardening.ProvidedBinding(rb, labels[rb.Namespace]) {
			continue
		}
		msg := fmt.Sprintf("RoleBinding %s %s.", qualified(rb.Namespace, rb.Name), why)
		if len(rb.Subjects) > 0 && !slices.ContainsFunc(rb.Subjects, func(s rbacv1.Subject) bool { return !e.o.excludedSubject(s) }) {
			e.exclude(CheckEscalatingRoleBinding, "RoleBinding", rb.Namespace, rb.Name, msg, "exclude_subjects")
			continue
		}
		e.add(CheckEscalatingRoleBinding, "", "RoleBinding", rb.Namespace, rb.Name, msg)
	}
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

// eachReadBinding calls f for every ClusterRoleBinding (ns "") and RoleBinding, skipping a kind
// whose list could not be read (the checks report unknown for it instead).
func (e *evaluator) eachReadBinding(f func(kind, ns, name string, ref rbacv1.RoleRef, subjects []rbacv1.Subject)) {
	if !e.isUnknown(PartClusterRoleBindings) {
		for _, b := range e.s.ClusterRoleBindings {
			f("ClusterRoleBinding", "", b.Name, b.RoleRef, b.Subjects)
		}
	}
	if !e.isUnknown(PartRoleBindings) {
		for _, b := range e.s.RoleBindings {
			f("RoleBinding", b.Namespace, b.Name, b.RoleRef, b.Subjects)
		}
	}
}

// bindingScope says where a binding grants its role.
func bindingScope(ns string) string {
	if ns == "" {
		return "on the whole cluster"
	}
	return "in namespace " + ns
}
