package posture

import (
	"fmt"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// ManagedBinding is a binding a managed distribution creates and keeps on every cluster. It is
// recognised only when name, role and subjects all match: the same grant under another name, or
// this name granting anyone else, is still a finding.
type ManagedBinding struct {
	Distribution string
	Kind, Name   string // "ClusterRoleBinding"
	RoleRef      rbacv1.RoleRef
	Subjects     []rbacv1.Subject
	Source       string
}

// ManagedNamespace is a namespace a managed distribution creates for its own components, which the
// per-namespace checks (default deny, Pod Security, quotas) do not judge.
type ManagedNamespace struct {
	Distribution, Name, Source string
}

// ManagedBindings are the vendor bindings that would otherwise be findings. GKE's and AKS's own
// cluster-admin grants go to system: users and groups, which every check already treats as
// system components, so only EKS needs one here.
var ManagedBindings = []ManagedBinding{
	{
		Distribution: releases.DistEKS, Kind: "ClusterRoleBinding", Name: "eks:addon-cluster-admin",
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects: []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "eks:addon-manager"}},
		Source:   "https://docs.aws.amazon.com/eks/latest/userguide/default-roles-users.html",
	},
}

// ManagedNamespaces are the namespaces vendors run their own components in.
var ManagedNamespaces = []ManagedNamespace{
	{releases.DistGKE, "gmp-system", "https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed"},
	{releases.DistGKE, "gmp-public", "https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed"},
	{releases.DistGKE, "gke-gmp-system", "https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-security"},
	{releases.DistGKE, "gke-managed-system", "https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-security"},
}

// Subject names an RBAC subject for exclude_subjects. Namespace is for ServiceAccounts only.
type Subject struct {
	Kind, Namespace, Name string
}

func (s Subject) String() string {
	return describeSubject(rbacv1.Subject{Kind: s.Kind, Namespace: s.Namespace, Name: s.Name})
}

// ValidateSubject says what is wrong with an exclude_subjects entry.
func ValidateSubject(s Subject) error {
	switch {
	case !slices.Contains([]string{rbacv1.UserKind, rbacv1.GroupKind, rbacv1.ServiceAccountKind}, s.Kind):
		return fmt.Errorf("kind %q is not a subject kind: use User, Group or ServiceAccount", s.Kind)
	case strings.TrimSpace(s.Name) == "":
		return fmt.Errorf("name is empty: name the %s exactly as bindings do", s.Kind)
	case s.Kind == rbacv1.ServiceAccountKind && s.Namespace == "":
		return fmt.Errorf("a ServiceAccount needs its namespace")
	case s.Kind != rbacv1.ServiceAccountKind && s.Namespace != "":
		return fmt.Errorf("namespace is only for ServiceAccounts; a %s is cluster-wide", s.Kind)
	}
	return nil
}

// Exclusion is a finding that was not reported, and why: a vendor-managed object of the cluster's
// distribution, or a subject the configuration excluded. Exclusions are reported, never silent.
type Exclusion struct {
	Finding
	Reason string
}

// managedBinding returns the source of a vendor binding that matches exactly, or "".
func managedBinding(dist, kind, name string, ref rbacv1.RoleRef, subjects []rbacv1.Subject) string {
	for _, m := range ManagedBindings {
		if m.Distribution != dist || m.Kind != kind || m.Name != name || m.RoleRef != ref || len(m.Subjects) != len(subjects) {
			continue
		}
		same := true
		for i, s := range subjects {
			want := m.Subjects[i]
			if s.Kind != want.Kind || s.Name != want.Name || s.Namespace != want.Namespace {
				same = false
			}
		}
		if same {
			return m.Source
		}
	}
	return ""
}

// managedNamespace returns the source of a vendor namespace of dist, or "".
func managedNamespace(dist, name string) string {
	for _, m := range ManagedNamespaces {
		if m.Distribution == dist && m.Name == name {
			return m.Source
		}
	}
	return ""
}

// excludedSubject is true when the configuration excluded s.
func (o Options) excludedSubject(s rbacv1.Subject) bool {
	return slices.ContainsFunc(o.ExcludeSubjects, func(x Subject) bool {
		return x.Kind == s.Kind && x.Name == s.Name && (s.Kind != rbacv1.ServiceAccountKind || x.Namespace == s.Namespace)
	})
}

// exclude records a finding that is not reported.
func (e *evaluator) exclude(id, kind, ns, name, msg, reason string) {
	c := checksByID[id]
	e.excluded = append(e.excluded, Exclusion{Reason: reason, Finding: Finding{ID: id, Practice: c.Practice,
		Severity: c.Severity, Status: StatusFailed, Kind: kind, Namespace: ns, Name: name, Message: msg,
		Remediation: c.Remediation, References: slices.Clone(c.References)}})
}

func vendorReason(dist, source string) string {
	name := dist
	if t := releases.Vendor(dist); t != nil {
		name = t.Name
	}
	return fmt.Sprintf("managed by %s (%s)", name, source)
}
