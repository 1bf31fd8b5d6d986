package posture

import (
	"slices"
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

func exclusionKeys(xs []Exclusion) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, x.ID+" "+x.Kind+" "+x.Namespace+"/"+x.Name+" "+x.Reason)
	}
	return out
}

const eksAddonFinding = "HRD-4001 failed high ClusterRoleBinding /eks:addon-cluster-admin"

// The EKS binding is recognised only on EKS, only under its own name and only with its own
// subject; each recognition is reported as an exclusion.
func TestManagedBindings(t *testing.T) {
	eksAddon := crb("eks:addon-cluster-admin", "cluster-admin", user("eks:addon-manager"))
	cases := []struct {
		name, dist string
		binding    rbacv1.ClusterRoleBinding
		findings   []string
		excluded   bool
	}{
		{"EKS binding on EKS", releases.DistEKS, eksAddon, []string{}, true},
		{"EKS binding upstream", releases.DistKubernetes, eksAddon, []string{eksAddonFinding}, false},
		{"EKS binding on GKE", releases.DistGKE, eksAddon, []string{eksAddonFinding}, false},
		{"another name on EKS", releases.DistEKS, crb("addon-cluster-admin", "cluster-admin", user("eks:addon-manager")),
			[]string{"HRD-4001 failed high ClusterRoleBinding /addon-cluster-admin"}, false},
		{"another subject too on EKS", releases.DistEKS, crb("eks:addon-cluster-admin", "cluster-admin", user("eks:addon-manager"), user("mallory")),
			[]string{eksAddonFinding}, false},
		{"another user on EKS", releases.DistEKS, crb("eks:addon-cluster-admin", "cluster-admin", user("mallory")),
			[]string{eksAddonFinding}, false},
		{"another role on EKS", releases.DistEKS, crb("eks:addon-cluster-admin", "admin", user("eks:addon-manager")), []string{}, false},
	}
	for _, c := range cases {
		s := clean()
		s.ClusterRoleBindings = append(s.ClusterRoleBindings, c.binding)
		fs, xs := EvaluateWithExclusions(s, Options{AsOf: asOf, Distribution: c.dist})
		got := keys(fs)
		if c.dist == releases.DistKubernetes || c.dist == "" {
			got = slices.DeleteFunc(got, func(k string) bool { return strings.HasPrefix(k, "HRD-100") })
		}
		if !slices.Equal(got, c.findings) {
			t.Errorf("%s: findings %v, want %v", c.name, got, c.findings)
		}
		if c.excluded != (len(xs) == 1) || len(xs) > 1 {
			t.Errorf("%s: exclusions %v", c.name, exclusionKeys(xs))
			continue
		}
		if c.excluded && (xs[0].ID != CheckClusterAdminBinding || xs[0].Name != "eks:addon-cluster-admin" ||
			!strings.Contains(xs[0].Reason, "managed by Amazon EKS (https://docs.aws.amazon.com/eks/")) {
			t.Errorf("%s: exclusion %+v", c.name, xs[0])
		}
	}
}

// GKE's own namespaces are not judged by the per-namespace checks on GKE, and are everywhere else.
func TestManagedNamespaces(t *testing.T) {
	s := clean()
	s.ServerVersion = "v1.35.7-gke.1222000"
	s.Namespaces = append(s.Namespaces, ns("gmp-public", nil), ns("gmp-public-copy", nil))
	fs, xs := EvaluateWithExclusions(s, Options{AsOf: asOf, Distribution: releases.DistGKE})
	for _, f := range fs {
		if f.Namespace == "gmp-public" {
			t.Errorf("GKE's namespace judged on GKE: %s", f.Describe())
		}
	}
	if n := len(slices.DeleteFunc(keys(fs), func(k string) bool { return !strings.Contains(k, "gmp-public-copy") })); n != 5 {
		t.Errorf("a namespace named like GKE's must still be judged: %d findings in %v", n, keys(fs))
	}
	if len(xs) != 5 || !strings.Contains(xs[0].Reason, "managed by Google Kubernetes Engine") {
		t.Errorf("each per-namespace check on gmp-public must be reported as excluded: %v", exclusionKeys(xs))
	}

	fs, xs = EvaluateWithExclusions(s, Options{AsOf: asOf, Distribution: releases.DistKubernetes})
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Namespace == "gmp-public" }) || len(xs) != 0 {
		t.Errorf("outside GKE, gmp-public is an ordinary namespace: %v / %v", keys(fs), exclusionKeys(xs))
	}
}

func TestExcludeSubjects(t *testing.T) {
	s := clean()
	s.ClusterRoleBindings = append(s.ClusterRoleBindings,
		crb("ci", "cluster-admin", user("ci-admin"), sa("argocd", "argocd-application-controller")),
		crb("anon", "view", group("system:unauthenticated")))
	s.RoleBindings = append(s.RoleBindings, rb("team-a", "everyone", "ClusterRole", "edit", group("system:authenticated")))
	opts := Options{AsOf: asOf, ExcludeSubjects: []Subject{
		{Kind: "User", Name: "ci-admin"},
		{Kind: "ServiceAccount", Namespace: "argocd", Name: "argocd-application-controller"},
		{Kind: "Group", Name: "system:authenticated"},
	}}
	fs, xs := EvaluateWithExclusions(s, opts)
	got := keys(fs)
	want := []string{"HRD-4002 failed critical ClusterRoleBinding /anon"}
	if !slices.Equal(slices.DeleteFunc(got, func(k string) bool { return strings.HasPrefix(k, "HRD-100") }), want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if len(xs) != 2 || xs[0].Reason != "exclude_subjects" || !strings.Contains(xs[0].Message+xs[1].Message, `User "ci-admin", ServiceAccount argocd/argocd-application-controller`) {
		t.Errorf("exclusions %v", exclusionKeys(xs))
	}

	// An exclusion of one subject leaves the binding's other subjects reported.
	opts.ExcludeSubjects = opts.ExcludeSubjects[:1]
	fs, _ = EvaluateWithExclusions(s, opts)
	i := slices.IndexFunc(fs, func(f Finding) bool { return f.Name == "ci" })
	if i < 0 || strings.Contains(fs[i].Message, "ci-admin") || !strings.Contains(fs[i].Message, "argocd-application-controller") {
		t.Errorf("the remaining subject must still be a finding: %v", keys(fs))
	}
	// A ServiceAccount of the same name in another namespace is not excluded.
	opts.ExcludeSubjects = []Subject{{Kind: "ServiceAccount", Namespace: "other", Name: "argocd-application-controller"}, {Kind: "User", Name: "ci-admin"}}
	fs, _ = EvaluateWithExclusions(s, opts)
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Name == "ci" }) {
		t.Error("a ServiceAccount is excluded only in its own namespace")
	}
}

func TestValidateSubject(t *testing.T) {
	for _, c := range []struct {
		s    Subject
		want string
	}{
		{Subject{Kind: "User", Name: "a"}, ""},
		{Subject{Kind: "ServiceAccount", Namespace: "n", Name: "a"}, ""},
		{Subject{Kind: "user", Name: "a"}, "use User, Group or ServiceAccount"},
		{Subject{Kind: "Group", Name: " "}, "name is empty"},
		{Subject{Kind: "ServiceAccount", Name: "a"}, "needs its namespace"},
		{Subject{Kind: "User", Namespace: "n", Name: "a"}, "only for ServiceAccounts"},
	} {
		err := ValidateSubject(c.s)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.s, err, c.want)
		}
	}
}

// A cluster in EKS extended support is reported by HRD-1002 with the vendor's message, and the
// upstream patch check does not apply to a vendor's control plane.
func TestVendorVersion(t *testing.T) {
	s := clean()
	s.ServerVersion = "v1.31.2-eks-7f9249a"
	// On 2026-12-01 EKS 1.31's extended support has ended (2026-11-26).
	fs := Evaluate(s, Options{AsOf: asOf, Distribution: releases.DistEKS})
	if got := keys(fs); !slices.Equal(got, []string{"HRD-1001 failed critical Cluster /"}) || !strings.Contains(fs[0].Message, "end of extended support on 2026-11-26") {
		t.Fatalf("findings %v %v", got, fs)
	}
	s.ServerVersion = "v1.33.5-eks-1a2b3c4"
	fs = Evaluate(s, Options{AsOf: asOf, Distribution: releases.DistEKS})
	if got := keys(fs); !slices.Equal(got, []string{"HRD-1002 failed medium Cluster /"}) || !strings.Contains(fs[0].Message, "Amazon EKS 1.33 is in extended support") {
		t.Fatalf("EKS 1.33 on 2026-12-01 is in extended support: %v %v", got, fs)
	}
	fs = Evaluate(s, Options{AsOf: asOf, Distribution: releases.DistKubernetes})
	if got := keys(fs); !slices.Contains(got, "HRD-1001 failed critical Cluster /") {
		t.Fatalf("upstream, 1.33 is end of life on 2026-12-01: %v", got)
	}
}
