package hardening

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func tPort(n int32, proto corev1.Protocol) networkingv1.NetworkPolicyPort {
	p := intstr.FromInt32(n)
	return networkingv1.NetworkPolicyPort{Port: &p, Protocol: &proto}
}

func tNames(names ...string) *metav1.LabelSelector {
	return namespaceSelector(names...)
}

func TestPolicyWidens(t *testing.T) {
	both := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}
	ingress := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	egress := []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	closed := Network{DenyIngress: true, DenyEgress: true, AllowDNS: true, AllowSameNamespace: true,
		AllowIngressFromNamespaces: []string{"edge"}, AllowIngressPorts: []string{"8080"},
		AllowEgressToNamespaces: []string{"db"}, AllowEgressToCIDRs: []string{"10.0.0.0/8"}, AllowEgressPorts: []string{"5432", "443"}}
	tests := []struct {
		name string
		n    Network
		spec networkingv1.NetworkPolicySpec
		want string // "" = not wider; otherwise a fragment of the reason
	}{
		{"allow-all both ways", closed, networkingv1.NetworkPolicySpec{PolicyTypes: both,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{}}, Egress: []networkingv1.NetworkPolicyEgressRule{{}}}, "from anywhere on every port"},
		{"allow-all ingress with a narrow pod selector still opens", closed, networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}}, PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}, "ingress from anywhere"},
		{"same-namespace allow when same namespace is allowed", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}}}}, ""},
		{"same-namespace allow when it is not", Network{DenyIngress: true}, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}}}}, "same namespace"},
		{"allowed namespace on the allowed port", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("edge")}},
				Ports: []networkingv1.NetworkPolicyPort{tPort(8080, corev1.ProtocolTCP)}}}}, ""},
		{"allowed namespace on every port", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("edge")}}}}}, "namespace edge on every port"},
		{"another namespace", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("evil")}},
				Ports: []networkingv1.NetworkPolicyPort{tPort(8080, corev1.ProtocolTCP)}}}}, "namespace evil"},
		{"namespaces by a tenant label", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{
				MatchLabels: map[string]string{"team": "a"}}}}}}}, "selected by labels"},
		{"every namespace", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{}}}}}}, "all namespaces"},
		{"ingress from a CIDR", closed, networkingv1.NetworkPolicySpec{PolicyTypes: ingress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.1.0.0/16"}}}}}}, "ingress from 10.1.0.0/16"},
		{"egress inside the allowed CIDR and port", closed, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.1.0.0/16"}}},
				Ports: []networkingv1.NetworkPolicyPort{tPort(443, corev1.ProtocolTCP)}}}}, ""},
		{"egress to a wider CIDR", closed, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0"}}},
				Ports: []networkingv1.NetworkPolicyPort{tPort(443, corev1.ProtocolTCP)}}}}, "egress to 0.0.0.0/0 on 443/TCP"},
		{"egress to the allowed CIDR on another port", closed, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8"}}},
				Ports: []networkingv1.NetworkPolicyPort{tPort(22, corev1.ProtocolTCP)}}}}, "on 22/TCP"},
		{"DNS to kube-system", closed, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("kube-system")}},
				Ports: []networkingv1.NetworkPolicyPort{tPort(53, corev1.ProtocolUDP)}}}}, ""},
		{"everything to kube-system", closed, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("kube-system")}}}}}, "namespace kube-system"},
		{"egress allow in a namespace whose egress is not denied", Network{DenyIngress: true}, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{}}}, ""},
		{"ingress rules ignored when the policy is egress-only", closed, networkingv1.NetworkPolicySpec{PolicyTypes: egress,
			Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}, ""},
		{"a deny-only tenant policy", closed, networkingv1.NetworkPolicySpec{PolicyTypes: both}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PolicyWidens("team", tt.n, networkingv1.NetworkPolicy{Spec: tt.spec})
			switch {
			case tt.want == "" && got != "":
				t.Errorf("PolicyWidens = %q, want not wider", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("PolicyWidens = %q, want it to mention %q", got, tt.want)
			}
		})
	}
}

func TestBindingEscalates(t *testing.T) {
	sub := func(kind, name string) []rbacv1.Subject { return []rbacv1.Subject{{Kind: kind, Name: name}} }
	role := func(name string) rbacv1.RoleRef { return rbacv1.RoleRef{Kind: "ClusterRole", Name: name} }
	for _, tt := range []struct {
		rb   rbacv1.RoleBinding
		want string
	}{
		{rbacv1.RoleBinding{RoleRef: role("cluster-admin"), Subjects: sub("User", "mallory")}, "grants ClusterRole cluster-admin"},
		{rbacv1.RoleBinding{RoleRef: role("admin"), Subjects: sub("User", "mallory")}, "grants ClusterRole admin"},
		{rbacv1.RoleBinding{RoleRef: role("view"), Subjects: sub("Group", "system:authenticated")}, "binds Group system:authenticated"},
		{rbacv1.RoleBinding{RoleRef: role("view"), Subjects: sub("Group", "system:unauthenticated")}, "system:unauthenticated"},
		{rbacv1.RoleBinding{RoleRef: role("edit"), Subjects: sub("Group", "system:serviceaccounts")}, "system:serviceaccounts"},
		{rbacv1.RoleBinding{RoleRef: role("edit"), Subjects: sub("User", "alice")}, ""},
		{rbacv1.RoleBinding{RoleRef: rbacv1.RoleRef{Kind: "Role", Name: "admin"}, Subjects: sub("User", "alice")}, ""},
	} {
		if got := BindingEscalates(tt.rb); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("BindingEscalates(%s -> %v) = %q, want %q", tt.rb.RoleRef.Name, tt.rb.Subjects, got, tt.want)
		}
	}
}

func TestComplianceCountsForeignObjects(t *testing.T) {
	r, err := Resolve(NamespaceSpec{Name: "team"})
	if err != nil {
		t.Fatal(err)
	}
	open := networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "tenant-allow-all"}, Spec: networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}, Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}}
	admin := rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "sneaky"}, RoleRef: rbacv1.RoleRef{Kind: "ClusterRole", Name: "cluster-admin"}}
	before := Compliance(r, Foreign{})
	after := Compliance(r, ForeignFindings(r, []networkingv1.NetworkPolicy{open}, []rbacv1.RoleBinding{admin}))
	for i := range before {
		switch {
		case before[i].Title == after[i].Title && (after[i].Practice == 5 || strings.HasPrefix(after[i].Title, "RBAC")):
			if !before[i].Satisfied || after[i].Satisfied {
				t.Errorf("practice %d %q: satisfied before = %t, after = %t; want true then false", after[i].Practice, after[i].Title, before[i].Satisfied, after[i].Satisfied)
			}
		default:
			if before[i].Satisfied != after[i].Satisfied {
				t.Errorf("practice %d %q changed although nothing foreign concerns it", after[i].Practice, after[i].Title)
			}
		}
	}
	joined := ""
	for _, f := range after {
		joined += f.Detail + "\n"
	}
	for _, want := range []string{"NetworkPolicy/tenant-allow-all", "RoleBinding/sneaky", "cluster-admin"} {
		if !strings.Contains(joined, want) {
			t.Errorf("compliance details do not name %s:\n%s", want, joined)
		}
	}
}

func TestRegistryMustNameAHost(t *testing.T) {
	for _, r := range []string{"harbor", "harbor/team", "myorg", "library"} {
		err := ValidateRegistry(r)
		if err == nil || !strings.Contains(err.Error(), "docker.io/<org>") {
			t.Errorf("ValidateRegistry(%q) = %v, want a refusal that names docker.io/<org>", r, err)
		}
	}
	for _, r := range []string{"registry.example.com", "registry.example.com:5000/team", "localhost:5000", "localhost/team", "docker.io/library", "ghcr.io/acme"} {
		if err := ValidateRegistry(r); err != nil {
			t.Errorf("ValidateRegistry(%q) = %v, want ok", r, err)
		}
	}
}

func TestRegistriesRoundTripThroughTheNamespace(t *testing.T) {
	in := []string{"registry.example.com", "ghcr.io/acme", "localhost:5000"}
	_, objs, err := Desired(NamespaceSpec{Name: "x", ImagePolicy: &ImagePolicyInput{AllowedRegistries: in}})
	if err != nil {
		t.Fatal(err)
	}
	var l Live
	for _, o := range objs {
		switch p := o.Obj.(type) {
		case *corev1.Namespace:
			l.Namespace = p
		case *admissionv1.ValidatingAdmissionPolicy:
			if p.Spec.ParamKind != nil {
				t.Errorf("%s reads parameters from an object tenants could write", o.ID())
			}
			if strings.Contains(fmt.Sprint(p.Spec), "registry.example.com") {
				t.Errorf("%s is shared by every namespace but holds this one's registries", o.ID())
			}
		case *corev1.ConfigMap:
			t.Errorf("image policy still renders a ConfigMap %s that tenants could edit", p.Name)
		}
	}
	if l.Namespace.Annotations[TerraformIdentityAnnotation] != "" {
		t.Errorf("a guard built without an identity exempts %q", l.Namespace.Annotations[TerraformIdentityAnnotation])
	}
	got := Adopt(l).ImagePolicy
	if got == nil || strings.Join(got.AllowedRegistries, ",") != strings.Join(in, ",") || *got.Action != ImageActionDeny {
		t.Errorf("adopted image policy = %+v, want registries %v", got, in)
	}
	if s := celList([]string{`a"b\c`}); strings.Join(parseCELList(s), "") != `a"b\c` {
		t.Errorf("celList/parseCELList lost quoting: %s -> %v", s, parseCELList(s))
	}
}

func TestTamperGuardExemptsTheIdentity(t *testing.T) {
	_, objs, err := Desired(NamespaceSpec{Name: "x", Runner: RunnerIdentity{Users: []string{"system:serviceaccount:ci:terraform"}, Groups: []string{"terraform-ci"}},
		BreakGlassGroups: []string{"platform-admins"}})
	if err != nil {
		t.Fatal(err)
	}
	guard, ns, _, _ := ApplyOrder(objs)
	if ns.Kind != "Namespace" || len(guard) != 3 {
		t.Fatalf("ApplyOrder: guard %v, namespace %v", ManagedIDs(guard), ns.ID())
	}
	for _, o := range guard {
		if !IsShared(o.ID()) || !NeverPruned(o.ID()) {
			t.Errorf("%s is not a shared object", o.ID())
		}
	}
	if got := ns.Annotation(TerraformIdentityAnnotation); got != "system:serviceaccount:ci:terraform" {
		t.Errorf("identity annotation = %q", got)
	}
	if got := ns.Annotation(TerraformGroupsAnnotation); got != "terraform-ci" {
		t.Errorf("groups annotation = %q", got)
	}
	if got := ns.Annotation(BreakGlassGroupsAnnotation); got != "platform-admins" {
		t.Errorf("break-glass annotation = %q", got)
	}
	if n, ok := ns.Obj.(*corev1.Namespace); !ok {
		t.Errorf("namespace object is %T", ns.Obj)
	} else if got := TamperIdentity(n.Annotations); !got.Matches("someone", []string{"terraform-ci"}) || got.Matches("someone", []string{"tenants"}) {
		t.Errorf("TamperIdentity = %+v", got)
	}
	if n, ok := ns.Obj.(*corev1.Namespace); !ok || n.Labels[TamperProtectionLabel] != "enabled" {
		t.Errorf("namespace %v does not carry the tamper label", ns.Obj)
	}
	off := false
	_, objs, _ = Desired(NamespaceSpec{Name: "x", TamperProtection: &off})
	for _, o := range objs {
		if strings.HasPrefix(o.Name, TamperPolicyName) {
			t.Errorf("tamper_protection = false still renders %s", o.ID())
		}
		if n, ok := o.Obj.(*corev1.Namespace); ok && (n.Labels[TamperProtectionLabel] != "" || n.Annotations[TerraformIdentityAnnotation] != "") {
			t.Errorf("tamper_protection = false still labels the namespace: %v %v", n.Labels, n.Annotations)
		}
	}
	if got := PruneOrder([]string{"ValidatingAdmissionPolicy/a", "NetworkPolicy/b", "ValidatingAdmissionPolicyBinding/a"}); got[0] != "ValidatingAdmissionPolicyBinding/a" || got[1] != "ValidatingAdmissionPolicy/a" {
		t.Errorf("PruneOrder = %v: bindings must go before their policies", got)
	}
	// RBAC can name every object the provider may change: none is per namespace.
	policies, bindings := SharedPolicyNames()
	for _, o := range append(tamperObjects(), append(imagePolicyObjects(ImageActionWarn), imagePolicyObjects(ImageActionAudit)...)...) {
		if !slices.Contains(policies, o.Name) && !slices.Contains(bindings, o.Name) {
			t.Errorf("%s is not in SharedPolicyNames", o.ID())
		}
	}
}

// TestFromStateDoesNotRevalidate: state written under older, looser rules (a registry without a
// host, a quantity no longer accepted) still rebuilds, so refresh and destroy keep working.
func TestFromStateDoesNotRevalidate(t *testing.T) {
	s := NamespaceSpec{Name: "legacy", Environment: "qa-old",
		ResourceQuota: map[string]string{"pods": "lots"},
		ImagePolicy:   &ImagePolicyInput{AllowedRegistries: []string{"harbor"}}}
	if _, _, err := Desired(s); err == nil {
		t.Fatal("Desired accepted the spec: the case under test needs one today's rules refuse")
	}
	_, objs, err := FromState(s)
	if err != nil {
		t.Fatalf("FromState: %v", err)
	}
	ids := strings.Join(ManagedIDs(objs), " ")
	for _, want := range []string{"Namespace/legacy", "ResourceQuota/hardened-quota", "ValidatingAdmissionPolicy/hardened-images"} {
		if !strings.Contains(ids, want) {
			t.Errorf("FromState objects %s lack %s", ids, want)
		}
	}
}

func TestPolicyOpensToEveryone(t *testing.T) {
	ingress := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	egress := []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	for _, tt := range []struct {
		name string
		spec networkingv1.NetworkPolicySpec
		want string
	}{
		{"no peers", networkingv1.NetworkPolicySpec{PolicyTypes: ingress, Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}, "ingress from anywhere"},
		{"every namespace", networkingv1.NetworkPolicySpec{PolicyTypes: ingress, Ingress: []networkingv1.NetworkPolicyIngressRule{{
			From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{}}}}}}, "all namespaces"},
		{"0.0.0.0/0 out", networkingv1.NetworkPolicySpec{PolicyTypes: egress, Egress: []networkingv1.NetworkPolicyEgressRule{{
			To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "0.0.0.0/0"}}}}}}, "egress to 0.0.0.0/0"},
		{"a named namespace", networkingv1.NetworkPolicySpec{PolicyTypes: ingress, Ingress: []networkingv1.NetworkPolicyIngressRule{{
			From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("edge")}}}}}, ""},
		{"a /8", networkingv1.NetworkPolicySpec{PolicyTypes: egress, Egress: []networkingv1.NetworkPolicyEgressRule{{
			To: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8"}}}}}}, ""},
	} {
		got := PolicyOpensToEveryone(networkingv1.NetworkPolicy{Spec: tt.spec}, true, true)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: PolicyOpensToEveryone = %q, want %q", tt.name, got, tt.want)
		}
		if got := PolicyOpensToEveryone(networkingv1.NetworkPolicy{Spec: tt.spec}, false, false); got != "" {
			t.Errorf("%s: reported %q where nothing is denied by default", tt.name, got)
		}
	}
}

// TestOthersJudgedAgainstThePlannedConfiguration: a tenant's policy that the configuration allows
// becomes a finding when the plan narrows the configuration, and an object the plan itself wants
// is not judged.
func TestOthersJudgedAgainstThePlannedConfiguration(t *testing.T) {
	ingress := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	edge := networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "team-from-edge", Namespace: "x",
		Labels: map[string]string{"team": "a"}, Annotations: map[string]string{"note": "dropped"}},
		Spec: networkingv1.NetworkPolicySpec{PolicyTypes: ingress, Ingress: []networkingv1.NetworkPolicyIngressRule{{
			From: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: tNames("edge")}}}}}}
	admin := rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "team-admin"},
		RoleRef: rbacv1.RoleRef{Kind: "ClusterRole", Name: "admin"}, Subjects: []rbacv1.Subject{{Kind: "User", Name: "bob"}}}
	others := NewOthers([]networkingv1.NetworkPolicy{edge}, []rbacv1.RoleBinding{admin})
	if p := others.Policies[0]; p.Annotations != nil || p.Labels != nil || p.Namespace != "" {
		t.Errorf("NewOthers keeps metadata judging does not read: %+v", p.ObjectMeta)
	}
	resolve := func(from ...string) Resolved {
		r, _, err := Desired(NamespaceSpec{Name: "x", Network: NetworkInput{AllowIngressFromNamespaces: from}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if f := others.Judge(resolve("edge"), nil); len(f.OpenPolicies) != 0 || len(f.EscalatingBindings) != 1 {
		t.Errorf("allowed by the configuration: %+v", f)
	}
	if f := others.Judge(resolve(), nil); len(f.OpenPolicies) != 1 || !strings.Contains(f.OpenPolicies[0], "team-from-edge") {
		t.Errorf("the planned configuration no longer allows edge, yet: %+v", f)
	}
	if f := others.Judge(resolve(), []string{"NetworkPolicy/team-from-edge", "RoleBinding/team-admin"}); !f.Empty() {
		t.Errorf("objects the configuration wants were judged: %+v", f)
	}
}
