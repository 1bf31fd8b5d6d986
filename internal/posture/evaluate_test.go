package posture

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

var asOf = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func ns(name string, labels map[string]string) corev1.Namespace {
	return corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
}

func denyAll(namespace string, types ...networkingv1.PolicyType) networkingv1.NetworkPolicy {
	return networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "deny", Namespace: namespace},
		Spec: networkingv1.NetworkPolicySpec{PolicyTypes: types}}
}

func crb(name, role string, subjects ...rbacv1.Subject) rbacv1.ClusterRoleBinding {
	return rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role}, Subjects: subjects}
}

func rb(namespace, name, kind, role string, subjects ...rbacv1.Subject) rbacv1.RoleBinding {
	return rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: kind, Name: role}, Subjects: subjects}
}

func user(n string) rbacv1.Subject  { return rbacv1.Subject{Kind: rbacv1.UserKind, Name: n} }
func group(n string) rbacv1.Subject { return rbacv1.Subject{Kind: rbacv1.GroupKind, Name: n} }
func sa(namespace, n string) rbacv1.Subject {
	return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: namespace, Name: n}
}

func apiServerPod(args ...string) corev1.Pod {
	return corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "kube-apiserver-cp1", Namespace: "kube-system"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "kube-apiserver", Command: append([]string{"kube-apiserver"}, args...)},
		}}}
}

func service(namespace, name string, typ corev1.ServiceType, labels map[string]string) corev1.Service {
	return corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace, Labels: labels},
		Spec: corev1.ServiceSpec{Type: typ, Ports: []corev1.ServicePort{{Port: 443, NodePort: 30443}}}}
}

var restricted = map[string]string{"pod-security.kubernetes.io/enforce": "restricted"}

// completeQuota bounds every kind the presets bound.
func completeQuota() corev1.ResourceQuotaSpec {
	p, _ := hardening.PresetFor(hardening.EnvProd)
	hard := corev1.ResourceList{}
	for k, v := range p.ResourceQuota {
		hard[corev1.ResourceName(k)] = resource.MustParse(v)
	}
	return corev1.ResourceQuotaSpec{Hard: hard}
}

// clean is a snapshot of a cluster that passes every check.
func clean() Snapshot {
	return Snapshot{
		ServerVersion: "v1.37.2",
		Namespaces: []corev1.Namespace{
			ns("default", restricted), ns("team-a", restricted),
			ns("kube-system", nil), ns("kube-public", nil), ns("kube-node-lease", nil),
		},
		NetworkPolicies: []networkingv1.NetworkPolicy{
			denyAll("default", networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress),
			denyAll("team-a", networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress),
		},
		ResourceQuotas: []corev1.ResourceQuota{
			{ObjectMeta: metav1.ObjectMeta{Name: "q", Namespace: "default"}, Spec: completeQuota()},
			{ObjectMeta: metav1.ObjectMeta{Name: "q", Namespace: "team-a"}, Spec: completeQuota()},
		},
		LimitRanges: []corev1.LimitRange{
			{ObjectMeta: metav1.ObjectMeta{Name: "l", Namespace: "default"}},
			{ObjectMeta: metav1.ObjectMeta{Name: "l", Namespace: "team-a"}},
		},
		ClusterRoleBindings: []rbacv1.ClusterRoleBinding{
			crb("cluster-admin", "cluster-admin", group("system:masters")),
			crb("system:kube-controller-manager", "cluster-admin", user("system:kube-controller-manager")),
			crb("system:public-info-viewer", "system:public-info-viewer", group("system:authenticated"), group("system:unauthenticated")),
			crb("team-a-view", "view", group("team-a")),
		},
		RoleBindings: []rbacv1.RoleBinding{
			rb("kube-public", "kubeadm:bootstrap-signer-clusterinfo", "Role", "kubeadm:bootstrap-signer-clusterinfo", user("system:anonymous")),
			rb("team-a", "edit", "ClusterRole", "edit", group("team-a-devs")),
		},
		Services: []corev1.Service{
			service("default", "kubernetes", corev1.ServiceTypeClusterIP, nil),
			service("kubernetes-dashboard", "kubernetes-dashboard", corev1.ServiceTypeClusterIP, map[string]string{"k8s-app": "kubernetes-dashboard"}),
		},
		ServiceAccounts: []corev1.ServiceAccount{
			{ObjectMeta: metav1.ObjectMeta{Name: "kubernetes-dashboard", Namespace: "kubernetes-dashboard"}},
		},
		APIServerPods: []corev1.Pod{apiServerPod("--anonymous-auth=false", "--audit-policy-file=/etc/kubernetes/audit.yaml",
			"--audit-log-path", "/var/log/kubernetes/audit.log")},
		Anonymous: AnonymousProbe{StatusCode: 401, URL: "https://10.0.0.1:6443/api/v1/namespaces"},
		Provider:  ProviderFacts{Host: "https://10.0.0.1:6443", Scheme: "https", Username: "terraform-ci", Groups: []string{"ci-runners", "system:authenticated"}},
	}
}

// keys summarises findings as "ID status severity Kind namespace/name", in order.
func keys(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s %s %s/%s", f.ID, f.Status, f.Severity, f.Kind, f.Namespace, f.Name))
	}
	return out
}

func forbidden(parts ...Part) func(*Snapshot) {
	return func(s *Snapshot) {
		if s.Unknown == nil {
			s.Unknown = map[Part]string{}
		}
		for _, p := range parts {
			s.Unknown[p] = "listing " + string(p) + " is forbidden for User \"reader\""
		}
	}
}

func TestEvaluate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Snapshot)
		opts   Options
		want   []string
	}{
		{name: "clean cluster passes", mutate: func(*Snapshot) {}},

		// Practice 1.
		{name: "end of life", mutate: func(s *Snapshot) { s.ServerVersion = "v1.30.4" },
			want: []string{"HRD-1001 failed critical Cluster /"}},
		{name: "maintenance, latest patch", mutate: func(s *Snapshot) { s.ServerVersion = "v1.35.8" },
			opts: Options{AsOf: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)},
			want: []string{"HRD-1002 failed medium Cluster /"}},
		{name: "maintenance and patches behind", mutate: func(s *Snapshot) { s.ServerVersion = "v1.35.2-eks-1a2b3c" },
			opts: Options{AsOf: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)},
			want: []string{"HRD-1002 failed medium Cluster /", "HRD-1003 failed low Cluster /"}},
		{name: "patches behind", mutate: func(s *Snapshot) { s.ServerVersion = "v1.37.1" },
			want: []string{"HRD-1003 failed low Cluster /"}},
		{name: "newer than the release data", mutate: func(s *Snapshot) { s.ServerVersion = "v1.40.0" }},
		{name: "unparsable version", mutate: func(s *Snapshot) { s.ServerVersion = "banana" },
			want: []string{"HRD-1001 unknown critical Cluster /"}},
		{name: "version not readable", mutate: forbidden(PartServerVersion),
			want: []string{"HRD-1001 unknown critical Cluster /"}},

		// Practice 3.
		{name: "provider skips TLS verification", mutate: func(s *Snapshot) { s.Provider.Insecure = true },
			want: []string{"HRD-3001 failed high Provider /"}},
		{name: "plain http", mutate: func(s *Snapshot) { s.Provider.Scheme = "http" },
			want: []string{"HRD-3002 failed critical Provider /"}},

		// Practice 4.
		{name: "cluster-admin to people, broad groups and service accounts", mutate: func(s *Snapshot) {
			s.ClusterRoleBindings = append(s.ClusterRoleBindings,
				crb("mallory-admin", "cluster-admin", user("mallory")),
				crb("everyone-admin", "cluster-admin", group("system:authenticated")),
				crb("ci-admin", "cluster-admin", sa("ci", "deployer"), group("system:masters")),
				crb("nodes-admin", "cluster-admin", group("system:nodes")),
				crb("mallory-edit", "edit", user("mallory")),
			)
			s.RoleBindings = append(s.RoleBindings, rb("team-a", "ns-admin", "ClusterRole", "cluster-admin", user("alice")))
		}, want: []string{
			"HRD-4001 failed high ClusterRoleBinding /ci-admin",
			"HRD-4001 failed high ClusterRoleBinding /everyone-admin",
			"HRD-4001 failed high ClusterRoleBinding /mallory-admin",
			// system:authenticated includes the provider's identity.
			"HRD-4004 failed high Provider /terraform-ci",
		}},
		{name: "anonymous and unauthenticated bindings", mutate: func(s *Snapshot) {
			s.ClusterRoleBindings = append(s.ClusterRoleBindings, crb("unauth-view", "view", group("system:unauthenticated")))
			s.RoleBindings = append(s.RoleBindings, rb("team-a", "anon", "ClusterRole", "view", user("system:anonymous")))
		}, want: []string{
			"HRD-4002 failed critical ClusterRoleBinding /unauth-view",
			"HRD-4002 failed critical RoleBinding team-a/anon",
		}},
		{name: "the provider in system:masters", mutate: func(s *Snapshot) {
			s.Provider.Groups = []string{"system:masters", "system:authenticated"}
		}, want: []string{"HRD-4004 failed high Provider /terraform-ci"}},
		{name: "the provider's group bound to cluster-admin", mutate: func(s *Snapshot) {
			s.ClusterRoleBindings = append(s.ClusterRoleBindings, crb("runners-admin", "cluster-admin", group("ci-runners")))
		}, want: []string{"HRD-4001 failed high ClusterRoleBinding /runners-admin", "HRD-4004 failed high Provider /terraform-ci"}},
		{name: "identity unknown", mutate: func(s *Snapshot) {
			s.Unknown = map[Part]string{PartIdentity: "SelfSubjectReview not served"}
		}, want: []string{"HRD-4004 unknown high Cluster /"}},
		{name: "cluster-admin to anonymous is both", mutate: func(s *Snapshot) {
			s.ClusterRoleBindings = append(s.ClusterRoleBindings, crb("oops", "cluster-admin", user("system:anonymous")))
		}, want: []string{"HRD-4002 failed critical ClusterRoleBinding /oops", "HRD-4001 failed high ClusterRoleBinding /oops"}},

		// Practice 5.
		{name: "ingress-only default deny", mutate: func(s *Snapshot) {
			s.NetworkPolicies[1] = denyAll("team-a", networkingv1.PolicyTypeIngress)
		}, want: []string{"HRD-5002 failed medium Namespace team-a/team-a"}},
		{name: "no policy types defaults to ingress", mutate: func(s *Snapshot) {
			s.NetworkPolicies[1] = denyAll("team-a")
		}, want: []string{"HRD-5002 failed medium Namespace team-a/team-a"}},
		{name: "separate ingress and egress policies", mutate: func(s *Snapshot) {
			s.NetworkPolicies[1] = denyAll("team-a", networkingv1.PolicyTypeIngress)
			s.NetworkPolicies = append(s.NetworkPolicies, denyAll("team-a", networkingv1.PolicyTypeEgress))
		}},
		{name: "a pod selector is not a default deny", mutate: func(s *Snapshot) {
			s.NetworkPolicies[1].Spec.PodSelector = metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}}
		}, want: []string{"HRD-5001 failed medium Namespace team-a/team-a", "HRD-5002 failed medium Namespace team-a/team-a"}},
		{name: "a tenant policy re-opens the default deny", mutate: func(s *Snapshot) {
			open := denyAll("team-a", networkingv1.PolicyTypeIngress)
			open.Name = "allow-all"
			open.Spec.PodSelector = metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
			open.Spec.Ingress = []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{}}}}}
			s.NetworkPolicies = append(s.NetworkPolicies, open)
		}, want: []string{"HRD-5003 failed high NetworkPolicy team-a/allow-all"}},
		{name: "a narrow tenant allow is not a re-opening", mutate: func(s *Snapshot) {
			narrow := denyAll("team-a", networkingv1.PolicyTypeIngress)
			narrow.Name = "from-edge"
			narrow.Spec.Ingress = []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{
				NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "edge"}}}}}}
			s.NetworkPolicies = append(s.NetworkPolicies, narrow)
		}},
		{name: "admin bound by hand in a hardened namespace", mutate: func(s *Snapshot) {
			labels := maps.Clone(s.Namespaces[1].Labels)
			labels["app.kubernetes.io/managed-by"] = "terraform-provider-hardened"
			s.Namespaces[1].Labels = labels
			s.RoleBindings = append(s.RoleBindings, rb("team-a", "sneaky", "ClusterRole", "admin", user("mallory")))
		}, want: []string{"HRD-4003 failed high RoleBinding team-a/sneaky"}},
		// A label proves nothing: only a binding named as the provider names them, in a namespace
		// its guard protects, is the provider's.
		{name: "admin bound by hand carrying the managed-by label", mutate: func(s *Snapshot) {
			labels := maps.Clone(s.Namespaces[1].Labels)
			labels["app.kubernetes.io/managed-by"] = "terraform-provider-hardened"
			labels["hardened.kubehardening.io/tamper-protection"] = "enabled"
			s.Namespaces[1].Labels = labels
			b := rb("team-a", "sneaky", "ClusterRole", "admin", user("mallory"))
			b.Labels = map[string]string{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}
			s.RoleBindings = append(s.RoleBindings, b)
		}, want: []string{"HRD-4003 failed high RoleBinding team-a/sneaky"}},
		{name: "the provider's admin binding in an unguarded namespace", mutate: func(s *Snapshot) {
			labels := maps.Clone(s.Namespaces[1].Labels)
			labels["app.kubernetes.io/managed-by"] = "terraform-provider-hardened"
			s.Namespaces[1].Labels = labels
			b := rb("team-a", "hardened-access-admin", "ClusterRole", "admin", user("mallory"))
			b.Labels = map[string]string{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}
			s.RoleBindings = append(s.RoleBindings, b)
		}, want: []string{"HRD-4003 failed high RoleBinding team-a/hardened-access-admin"}},
		{name: "the provider's admin binding in a guarded namespace", mutate: func(s *Snapshot) {
			labels := maps.Clone(s.Namespaces[1].Labels)
			labels["app.kubernetes.io/managed-by"] = "terraform-provider-hardened"
			labels["hardened.kubehardening.io/tamper-protection"] = "enabled"
			s.Namespaces[1].Labels = labels
			b := rb("team-a", "hardened-access-admin", "ClusterRole", "admin", user("alice"))
			b.Labels = map[string]string{"app.kubernetes.io/managed-by": "terraform-provider-hardened"}
			s.RoleBindings = append(s.RoleBindings, b)
		}},
		{name: "admin bound in an unmanaged namespace is the team's business", mutate: func(s *Snapshot) {
			s.RoleBindings = append(s.RoleBindings, rb("team-a", "owner", "ClusterRole", "admin", user("alice")))
		}},
		{name: "edit to every authenticated user anywhere", mutate: func(s *Snapshot) {
			s.RoleBindings = append(s.RoleBindings, rb("team-a", "everyone", "ClusterRole", "edit", group("system:authenticated")))
		}, want: []string{"HRD-4003 failed high RoleBinding team-a/everyone"}},
		{name: "rules allow traffic", mutate: func(s *Snapshot) {
			s.NetworkPolicies[1].Spec.Ingress = []networkingv1.NetworkPolicyIngressRule{{}}
		}, want: []string{"HRD-5001 failed medium Namespace team-a/team-a"}},

		// Practice 6.
		{name: "no enforce label", mutate: func(s *Snapshot) {
			s.Namespaces[1].Labels = map[string]string{"pod-security.kubernetes.io/warn": "restricted"}
		}, want: []string{"HRD-6001 failed high Namespace team-a/team-a"}},
		{name: "privileged", mutate: func(s *Snapshot) {
			s.Namespaces[1].Labels = map[string]string{"pod-security.kubernetes.io/enforce": "privileged"}
		}, want: []string{"HRD-6002 failed high Namespace team-a/team-a"}},
		{name: "baseline is enough", mutate: func(s *Snapshot) {
			s.Namespaces[1].Labels = map[string]string{"pod-security.kubernetes.io/enforce": "baseline"}
		}},
		{name: "workloads in default", mutate: func(s *Snapshot) {
			s.Workloads = []Workload{
				{Kind: "Deployment", Name: "web"}, {Kind: "ReplicaSet", Name: "web-5d4f", Controlled: true},
				{Kind: "Pod", Name: "web-5d4f-abcde", Controlled: true}, {Kind: "Pod", Name: "debug"},
				{Kind: "CronJob", Name: "backup"}, {Kind: "Job", Name: "backup-1", Controlled: true},
			}
		}, want: []string{
			"HRD-6003 failed medium CronJob default/backup",
			"HRD-6003 failed medium Pod default/debug",
			"HRD-6003 failed medium Deployment default/web",
		}},

		// Practice 7.
		{name: "no quota, no limit range", mutate: func(s *Snapshot) {
			s.ResourceQuotas, s.LimitRanges = s.ResourceQuotas[:1], s.LimitRanges[:1]
		}, want: []string{"HRD-7001 failed medium Namespace team-a/team-a", "HRD-7002 failed low Namespace team-a/team-a"}},

		// Namespace selection.
		{name: "unprotected namespace", mutate: func(s *Snapshot) { s.Namespaces = append(s.Namespaces, ns("legacy", nil)) },
			want: []string{
				"HRD-6001 failed high Namespace legacy/legacy",
				"HRD-5001 failed medium Namespace legacy/legacy",
				"HRD-5002 failed medium Namespace legacy/legacy",
				"HRD-7001 failed medium Namespace legacy/legacy",
				"HRD-7002 failed low Namespace legacy/legacy",
			}},
		{name: "excluded by pattern", mutate: func(s *Snapshot) { s.Namespaces = append(s.Namespaces, ns("legacy", nil)) },
			opts: Options{Exclude: []string{"leg*"}}},
		{name: "not included", mutate: func(s *Snapshot) { s.Namespaces = append(s.Namespaces, ns("legacy", nil)) },
			opts: Options{Include: []string{"team-*", "default"}}},
		{name: "included, exclude wins", mutate: func(s *Snapshot) { s.Namespaces = append(s.Namespaces, ns("legacy", nil)) },
			opts: Options{Include: []string{"legacy"}, Exclude: []string{"legacy"}}},
		{name: "system namespaces always excluded", mutate: func(*Snapshot) {},
			opts: Options{Include: []string{"kube-system", "kube-*"}}},
		{name: "terminating namespace skipped", mutate: func(s *Snapshot) {
			gone := ns("going", nil)
			gone.DeletionTimestamp = &metav1.Time{Time: asOf}
			gone.Status.Phase = corev1.NamespaceTerminating
			s.Namespaces = append(s.Namespaces, gone)
		}},

		// Practice 8.
		{name: "anonymous authenticated but denied", mutate: func(s *Snapshot) { s.Anonymous.StatusCode = 403 },
			want: []string{"HRD-8001 failed low Cluster /"}},
		{name: "anonymous can list namespaces", mutate: func(s *Snapshot) { s.Anonymous.StatusCode = 200 },
			want: []string{"HRD-8001 failed critical Cluster /"}},
		{name: "anonymous probe inconclusive", mutate: func(s *Snapshot) { s.Anonymous.StatusCode = 502 },
			want: []string{"HRD-8001 unknown critical Cluster /"}},
		{name: "anonymous probe failed", mutate: forbidden(PartAnonymousProbe),
			want: []string{"HRD-8001 unknown critical Cluster /"}},
		{name: "insecure port", mutate: func(s *Snapshot) {
			s.APIServerPods[0].Spec.Containers[0].Command = append(s.APIServerPods[0].Spec.Containers[0].Command, "--insecure-port=8080")
		}, want: []string{"HRD-8002 failed high Pod kube-system/kube-apiserver-cp1"}},
		{name: "insecure port zero, anonymous auth as a separate argument", mutate: func(s *Snapshot) {
			s.APIServerPods[0].Spec.Containers[0].Args = []string{"--insecure-port", "0", "--anonymous-auth", "true"}
		}, want: []string{"HRD-8002 failed high Pod kube-system/kube-apiserver-cp1"}},
		{name: "no audit flags", mutate: func(s *Snapshot) { s.APIServerPods = []corev1.Pod{apiServerPod("--secure-port=6443")} },
			want: []string{"HRD-10001 failed medium Pod kube-system/kube-apiserver-cp1"}},
		{name: "audit webhook instead of a log file", mutate: func(s *Snapshot) {
			s.APIServerPods = []corev1.Pod{apiServerPod("--audit-policy-file=/p.yaml", "--audit-webhook-config-file=/w.yaml")}
		}},
		{name: "control plane not visible", mutate: func(s *Snapshot) { s.APIServerPods = nil },
			want: []string{"HRD-8002 unknown high Cluster /", "HRD-10001 unknown medium Cluster /"}},

		// Practice 9.
		{name: "dashboard exposed", mutate: func(s *Snapshot) {
			s.Services = append(s.Services,
				service("kubernetes-dashboard", "kubernetes-dashboard-kong-proxy", corev1.ServiceTypeNodePort, nil),
				service("monitoring", "dash", corev1.ServiceTypeLoadBalancer, map[string]string{"k8s-app": "kubernetes-dashboard"}),
				service("monitoring", "grafana", corev1.ServiceTypeLoadBalancer, nil),
			)
		}, want: []string{
			"HRD-9001 failed high Service kubernetes-dashboard/kubernetes-dashboard-kong-proxy",
			"HRD-9001 failed high Service monitoring/dash",
		}},
		{name: "dashboard service account bound to cluster-admin", mutate: func(s *Snapshot) {
			s.ClusterRoleBindings = append(s.ClusterRoleBindings,
				crb("kubernetes-dashboard", "cluster-admin", sa("kubernetes-dashboard", "kubernetes-dashboard")))
			s.RoleBindings = append(s.RoleBindings,
				rb("kubernetes-dashboard", "admin", "ClusterRole", "cluster-admin", sa("", "kubernetes-dashboard-web")),
				rb("kubernetes-dashboard", "viewer", "ClusterRole", "view", sa("", "kubernetes-dashboard")))
		}, want: []string{
			"HRD-9002 failed critical ClusterRoleBinding /kubernetes-dashboard",
			"HRD-9002 failed critical RoleBinding kubernetes-dashboard/admin",
		}},

		// Unknown handling.
		{name: "RBAC not readable", mutate: forbidden(PartClusterRoleBindings, PartRoleBindings), want: []string{

			"HRD-4002 unknown critical Cluster /", "HRD-9002 unknown critical Cluster /", "HRD-4001 unknown high Cluster /", "HRD-4003 unknown high Cluster /", "HRD-4004 unknown high Cluster /",
		}},
		{name: "RoleBindings not readable, ClusterRoleBindings still judged", mutate: func(s *Snapshot) {
			forbidden(PartRoleBindings)(s)
			s.ClusterRoleBindings = append(s.ClusterRoleBindings, crb("anon", "view", user("system:anonymous")))
		}, want: []string{

			"HRD-4002 unknown critical Cluster /",
			"HRD-4002 failed critical ClusterRoleBinding /anon",
			"HRD-9002 unknown critical Cluster /", "HRD-4003 unknown high Cluster /",
		}},
		{name: "namespaces not readable", mutate: forbidden(PartNamespaces), want: []string{
			"HRD-4003 unknown high Cluster /", "HRD-5003 unknown high Cluster /",
			"HRD-6001 unknown high Cluster /", "HRD-6002 unknown high Cluster /",
			"HRD-5001 unknown medium Cluster /", "HRD-5002 unknown medium Cluster /",
			"HRD-7001 unknown medium Cluster /", "HRD-7003 unknown medium Cluster /", "HRD-7002 unknown low Cluster /",
		}},
		{name: "network policies not readable, the rest still judged", mutate: func(s *Snapshot) {
			forbidden(PartNetworkPolicies)(s)
			s.Namespaces = append(s.Namespaces, ns("legacy", nil))
		}, want: []string{
			"HRD-5003 unknown high Cluster /",
			"HRD-6001 failed high Namespace legacy/legacy",
			"HRD-5001 unknown medium Cluster /", "HRD-5002 unknown medium Cluster /",
			"HRD-7001 failed medium Namespace legacy/legacy", "HRD-7002 failed low Namespace legacy/legacy",
		}},
		{name: "some workload kinds not readable", mutate: func(s *Snapshot) {
			forbidden(PartCronJobs, PartJobs)(s)
			s.Workloads = []Workload{{Kind: "Pod", Name: "debug"}}
		}, want: []string{"HRD-6003 unknown medium Cluster /", "HRD-6003 failed medium Pod default/debug"}},
		{name: "services not readable", mutate: forbidden(PartServices), want: []string{"HRD-5004 unknown high Cluster /", "HRD-9001 unknown high Cluster /", "HRD-5005 unknown medium Cluster /"}},
		{name: "control plane pods not readable", mutate: forbidden(PartAPIServerPods),
			want: []string{"HRD-8002 unknown high Cluster /", "HRD-10001 unknown medium Cluster /"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := clean()
			tc.mutate(&s)
			opts := tc.opts
			if opts.AsOf.IsZero() {
				opts.AsOf = asOf
			}
			got := Evaluate(s, opts)
			want := tc.want
			if want == nil {
				want = []string{}
			}
			if g := keys(got); !slices.Equal(g, want) {
				t.Fatalf("findings:\n  got  %q\n  want %q", g, want)
			}
			for _, f := range got {
				c, ok := LookupCheck(f.ID)
				if !ok || f.Practice != c.Practice || f.Message == "" || f.Remediation == "" || f.References == nil {
					t.Errorf("incomplete finding %+v", f)
				}
				if f.Status == StatusUnknown && !strings.HasPrefix(f.Message, "Not evaluated: ") {
					t.Errorf("unknown finding without its reason: %q", f.Message)
				}
			}
		})
	}
}

func TestEvaluateMessages(t *testing.T) {
	s := clean()
	s.ServerVersion = "v1.30.4"
	s.ClusterRoleBindings = append(s.ClusterRoleBindings, crb("kubernetes-dashboard", "cluster-admin",
		sa("kubernetes-dashboard", "kubernetes-dashboard"), sa("kubernetes-dashboard", "kubernetes-dashboard-ghost")))
	s.Workloads = []Workload{{Kind: "Pod", Name: "debug"}}
	forbidden(PartRoleBindings)(&s)
	got := map[string]Finding{}
	for _, f := range Evaluate(s, Options{AsOf: asOf}) {
		got[f.ID+" "+string(f.Status)] = f
	}
	for key, want := range map[string]string{
		"HRD-1001 failed":  `Kubernetes 1\.30\.4 reached end of life on 2025-07-15`,
		"HRD-9002 failed":  `ClusterRoleBinding kubernetes-dashboard grants cluster-admin on the whole cluster to ServiceAccount kubernetes-dashboard/kubernetes-dashboard, ServiceAccount kubernetes-dashboard/kubernetes-dashboard-ghost \(it does not exist yet`,
		"HRD-9002 unknown": `^Not evaluated: listing RoleBindings is forbidden for User "reader"\.$`,
		"HRD-6003 failed":  `^Pod debug runs in the default namespace`,
	} {
		f, ok := got[key]
		if !ok {
			t.Errorf("no %s finding", key)
			continue
		}
		if !regexp.MustCompile(want).MatchString(f.Message) {
			t.Errorf("%s message %q does not match %q", key, f.Message, want)
		}
	}
	if r := got["HRD-1001 failed"].Remediation; !strings.Contains(r, "Upgrade path: 1.31 -> 1.32 -> 1.33 -> 1.34 -> 1.35.") {
		t.Errorf("HRD-1001 remediation lacks the upgrade path: %q", r)
	}
}

func TestSortOrder(t *testing.T) {
	s := clean()
	s.ServerVersion = "v1.37.1" // HRD-1003 low
	s.Namespaces = append(s.Namespaces, ns("b-legacy", nil), ns("a-legacy", map[string]string{"pod-security.kubernetes.io/enforce": "privileged"}))
	s.Anonymous.StatusCode = 403                          // HRD-8001 low
	s.APIServerPods = []corev1.Pod{apiServerPod("--x=y")} // HRD-10001 medium
	s.Services = append(s.Services, service("d", "kubernetes-dashboard", corev1.ServiceTypeNodePort, nil))
	s.ClusterRoleBindings = append(s.ClusterRoleBindings, crb("z-admin", "cluster-admin", user("zed")), crb("a-admin", "cluster-admin", user("amy")))
	got := keys(Evaluate(s, Options{AsOf: asOf}))
	want := []string{
		"HRD-4001 failed high ClusterRoleBinding /a-admin",
		"HRD-4001 failed high ClusterRoleBinding /z-admin",
		"HRD-6001 failed high Namespace b-legacy/b-legacy",
		"HRD-6002 failed high Namespace a-legacy/a-legacy",
		"HRD-9001 failed high Service d/kubernetes-dashboard",
		"HRD-5001 failed medium Namespace a-legacy/a-legacy",
		"HRD-5001 failed medium Namespace b-legacy/b-legacy",
		"HRD-5002 failed medium Namespace a-legacy/a-legacy",
		"HRD-5002 failed medium Namespace b-legacy/b-legacy",
		"HRD-7001 failed medium Namespace a-legacy/a-legacy",
		"HRD-7001 failed medium Namespace b-legacy/b-legacy",
		// HRD-10001 sorts after HRD-9xxx and HRD-7xxx: ids compare by practice, not as strings.
		"HRD-10001 failed medium Pod kube-system/kube-apiserver-cp1",
		"HRD-1003 failed low Cluster /",
		"HRD-7002 failed low Namespace a-legacy/a-legacy",
		"HRD-7002 failed low Namespace b-legacy/b-legacy",
		"HRD-8001 failed low Cluster /",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("order:\n  got  %q\n  want %q", got, want)
	}
}

func TestGate(t *testing.T) {
	fs := []Finding{
		{ID: "HRD-9002", Severity: SeverityCritical, Status: StatusFailed},
		{ID: "HRD-4002", Severity: SeverityCritical, Status: StatusUnknown},
		{ID: "HRD-4001", Severity: SeverityHigh, Status: StatusFailed},
		{ID: "HRD-5001", Severity: SeverityMedium, Status: StatusFailed},
		{ID: "HRD-8001", Severity: SeverityLow, Status: StatusFailed},
		{ID: "HRD-10001", Severity: SeverityMedium, Status: StatusUnknown},
	}
	ids := func(fs []Finding) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		threshold Severity
		want      string
	}{
		{SeverityCritical, "HRD-9002"},
		{SeverityHigh, "HRD-9002,HRD-4001"},
		{SeverityMedium, "HRD-9002,HRD-4001,HRD-5001"},
		{SeverityLow, "HRD-9002,HRD-4001,HRD-5001,HRD-8001"},
	} {
		if got := ids(AtOrAbove(fs, tc.threshold)); got != tc.want {
			t.Errorf("AtOrAbove(%s) = %s, want %s", tc.threshold, got, tc.want)
		}
	}
	if got := AtOrAbove(fs[1:2], SeverityLow); len(got) != 0 {
		t.Errorf("an unknown finding tripped the gate: %v", got)
	}
	if got, want := Summarize(fs), (Summary{Critical: 1, High: 1, Medium: 1, Low: 1, Unknown: 2}); got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if Passed(fs) {
		t.Error("Passed with failed findings")
	}
	if !Passed([]Finding{fs[1], fs[5]}) || !Passed(nil) {
		t.Error("unknown findings must not fail")
	}
}

func TestParseSeverity(t *testing.T) {
	for i, s := range []string{"low", "medium", "high", "critical"} {
		sev, err := ParseSeverity(s)
		if err != nil || sev.Rank() != i+1 {
			t.Errorf("ParseSeverity(%q) = %v (rank %d), %v", s, sev, sev.Rank(), err)
		}
	}
	for _, s := range []string{"", "High", "info", "severe"} {
		if _, err := ParseSeverity(s); err == nil {
			t.Errorf("ParseSeverity(%q) accepted", s)
		}
	}
}

func TestValidatePattern(t *testing.T) {
	for _, p := range []string{"team-a", "team-*", "env-?", "[a-c]*"} {
		if err := ValidatePattern(p); err != nil {
			t.Errorf("ValidatePattern(%q): %v", p, err)
		}
	}
	for _, p := range []string{"", " ", "team-[", `bad\`} {
		if err := ValidatePattern(p); err == nil {
			t.Errorf("ValidatePattern(%q) accepted", p)
		}
	}
}

func TestChecksRegistry(t *testing.T) {
	id := regexp.MustCompile(`^HRD-(\d+)(\d{3})$`)
	seen := map[string]bool{}
	for _, c := range Checks() {
		m := id.FindStringSubmatch(c.ID)
		if m == nil || m[1] != strconv.Itoa(c.Practice) {
			t.Errorf("check id %s does not match practice %d", c.ID, c.Practice)
		}
		if seen[c.ID] || c.Severity.Rank() == 0 || c.Title == "" || c.Remediation == "" {
			t.Errorf("bad check %+v", c)
		}
		seen[c.ID] = true
	}
	if len(seen) != 25 {
		t.Errorf("%d checks, want 25", len(seen))
	}
}
