package blastradius

import (
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// access reports the subjects that lose a role the provider's RoleBindings give them today.
// RoleBindings the provider does not own are left as they are, so they take nothing away.
func access(live Live, planned []hardening.Object) []Impact {
	keep := map[string]bool{}
	for _, rb := range plannedOf[rbacv1.RoleBinding](planned) {
		for _, s := range rb.Subjects {
			keep[grant(rb.RoleRef, s)] = true
		}
	}
	var out []Impact
	for _, rb := range typed[rbacv1.RoleBinding](live, "RoleBinding") {
		if !managed(rb.Labels) {
			continue
		}
		for _, s := range rb.Subjects {
			if keep[grant(rb.RoleRef, s)] {
				continue
			}
			out = append(out, Impact{Kind: Access, Object: subject(s),
				Reason: "loses " + rb.RoleRef.Kind + " " + rb.RoleRef.Name + " in the namespace (RoleBinding " + rb.Name + ")"})
		}
	}
	return out
}

func grant(role rbacv1.RoleRef, s rbacv1.Subject) string {
	return role.Kind + "/" + role.Name + "|" + subject(s)
}

func subject(s rbacv1.Subject) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		return s.Kind + "/" + s.Namespace + "/" + s.Name
	}
	return s.Kind + "/" + s.Name
}
