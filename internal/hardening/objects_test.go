package hardening

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// update rewrites the golden files: go test ./internal/hardening -run TestGolden -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// tGoldenSpecs are rendered to testdata/<name>.yaml.
var tGoldenSpecs = []struct {
	name string
	spec NamespaceSpec
}{
	{"prod_default", NamespaceSpec{
		Name: "payments",
		Access: []AccessEntry{{
			Role: "edit", Users: []string{"alice@example.com"}, Groups: []string{"payments-devs"},
			ServiceAccounts: []string{"ci/deployer"},
		}},
	}},
	{"dev_overrides", NamespaceSpec{
		Name: "sandbox", Environment: "dev",
		Labels:        map[string]string{"team": "sandbox"},
		Annotations:   map[string]string{"owner": "platform@example.com"},
		PodSecurity:   PodSecurityInput{Warn: tStrPtr("baseline"), Version: tStrPtr("v1.36")},
		ResourceQuota: map[string]string{"requests.cpu": "3", "count/deployments.apps": "20"},
		LimitRange: LimitRangeInput{
			Default: map[string]string{"cpu": "1", "ephemeral-storage": "1Gi"},
			Max:     map[string]string{"ephemeral-storage": "4Gi"},
			Min:     map[string]string{"memory": "32Mi"},
		},
		Network:                      NetworkInput{AllowSameNamespace: tBoolPtr(false)},
		AutomountServiceAccountToken: tBoolPtr(true),
		Access: []AccessEntry{
			{Role: "system:aggregate-to-edit", Groups: []string{"sandbox-devs"}},
			{Role: "view", Users: []string{"bob"}},
		},
	}},
	{"network_allows", NamespaceSpec{
		Name: "api", Environment: "staging",
		Network: NetworkInput{
			AllowIngressFromNamespaces: []string{"ingress-nginx"},
			AllowIngressPorts:          []string{"8080", "8443/TCP"},
			AllowEgressToNamespaces:    []string{"db", "cache"},
			AllowEgressToCIDRs:         []string{"10.20.0.0/16", "2001:db8::/32"},
			AllowEgressPorts:           []string{"5432", "6379/TCP", "9000/SCTP"},
		},
	}},
	{"deny_none", NamespaceSpec{
		Name: "legacy", Environment: "test",
		Network: NetworkInput{DenyIngress: tBoolPtr(false), DenyEgress: tBoolPtr(false)},
	}},
}

func tRender(t *testing.T, s NamespaceSpec) (string, []Object) {
	t.Helper()
	_, objs, err := Desired(s)
	if err != nil {
		t.Fatalf("Desired: %v", err)
	}
	docs, err := YAML(objs)
	if err != nil {
		t.Fatalf("YAML: %v", err)
	}
	return MultiDocYAML(docs), objs
}

func TestGolden(t *testing.T) {
	for _, g := range tGoldenSpecs {
		t.Run(g.name, func(t *testing.T) {
			got, _ := tRender(t, g.spec)
			path := filepath.Join("testdata", g.name+".yaml")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendered objects (run with -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
			}
			// Rendering is deterministic.
			if again, _ := tRender(t, g.spec); again != got {
				t.Errorf("second rendering differs from the first")
			}
		})
	}
}

// Facts every golden document must hold, checked on the parsed YAML.
func TestGoldenDocumentsAreCleanObjects(t *testing.T) {
	for _, g := range tGoldenSpecs {
		t.Run(g.name, func(t *testing.T) {
			out, objs := tRender(t, g.spec)
			docs := strings.Split(out, "---\n")
			if len(docs) != len(objs) {
				t.Fatalf("%d documents for %d objects", len(docs), len(objs))
			}
			for i, d := range docs {
				var m map[string]any
				if err := yaml.Unmarshal([]byte(d), &m); err != nil {
					t.Fatalf("document %d: %v", i, err)
				}
				if m["kind"] != objs[i].Kind {
					t.Errorf("document %d kind = %v, want %s", i, m["kind"], objs[i].Kind)
				}
				if _, ok := m["status"]; ok {
					t.Errorf("document %d (%s) has a status", i, objs[i].ID())
				}
				meta, _ := m["metadata"].(map[string]any)
				if meta["name"] != objs[i].Name {
					t.Errorf("document %d name = %v, want %s", i, meta["name"], objs[i].Name)
				}
				if _, ok := meta["creationTimestamp"]; ok {
					t.Errorf("document %d (%s) has a creationTimestamp", i, objs[i].ID())
				}
			}
			if strings.Contains(out, "status:") || strings.Contains(out, "creationTimestamp") {
				t.Errorf("rendered YAML has status or creationTimestamp:\n%s", out)
			}
		})
	}
}

func TestDesiredIDs(t *testing.T) {
	tests := []struct {
		name string
		spec NamespaceSpec
		want []string
	}{
		{"prod default", tGoldenSpecs[0].spec, []string{
			"Namespace/payments", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
			"NetworkPolicy/hardened-default-deny", "NetworkPolicy/hardened-allow-dns", "NetworkPolicy/hardened-allow-same-namespace",
			"RoleBinding/hardened-access-edit",
		}},
		{"dev overrides", tGoldenSpecs[1].spec, []string{
			"Namespace/sandbox", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
			"NetworkPolicy/hardened-default-deny", "NetworkPolicy/hardened-allow-dns",
			"RoleBinding/hardened-access-system-aggregate-to-edit", "RoleBinding/hardened-access-view",
		}},
		{"network allows", tGoldenSpecs[2].spec, []string{
			"Namespace/api", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
			"NetworkPolicy/hardened-default-deny", "NetworkPolicy/hardened-allow-dns", "NetworkPolicy/hardened-allow-same-namespace",
			"NetworkPolicy/hardened-allow-ingress-from-namespaces", "NetworkPolicy/hardened-allow-egress-to-namespaces",
			"NetworkPolicy/hardened-allow-egress-to-cidrs",
		}},
		{"deny none: no NetworkPolicies at all", tGoldenSpecs[3].spec, []string{
			"Namespace/legacy", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
		}},
		{"deny none even with allow_same_namespace true", NamespaceSpec{Name: "x", Network: NetworkInput{
			DenyIngress: tBoolPtr(false), DenyEgress: tBoolPtr(false), AllowSameNamespace: tBoolPtr(true)}}, []string{
			"Namespace/x", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
		}},
		{"ingress only denied: no DNS policy", NamespaceSpec{Name: "x", Network: NetworkInput{DenyEgress: tBoolPtr(false)}}, []string{
			"Namespace/x", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
			"NetworkPolicy/hardened-default-deny", "NetworkPolicy/hardened-allow-same-namespace",
		}},
		{"egress only denied, no dns, no same namespace", NamespaceSpec{Name: "x", Network: NetworkInput{
			DenyIngress: tBoolPtr(false), AllowDNS: tBoolPtr(false), AllowSameNamespace: tBoolPtr(false)}}, []string{
			"Namespace/x", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
			"NetworkPolicy/hardened-default-deny",
		}},
		{"access order kept", NamespaceSpec{Name: "x", Network: NetworkInput{AllowDNS: tBoolPtr(false)}, Access: []AccessEntry{
			{Role: "view", Users: []string{"a"}}, {Role: "admin", Users: []string{"b"}},
			{Role: "cluster-admin", Users: []string{"c"}, AllowClusterAdmin: true}}}, []string{
			"Namespace/x", "ServiceAccount/default", "ResourceQuota/hardened-quota", "LimitRange/hardened-limits",
			"NetworkPolicy/hardened-default-deny", "NetworkPolicy/hardened-allow-same-namespace",
			"RoleBinding/hardened-access-view", "RoleBinding/hardened-access-admin", "RoleBinding/hardened-access-cluster-admin",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, objs, err := Desired(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			// The shared tamper guard and Services policy (on by default) come after the namespace's
			// own objects.
			want := append(slices.Clone(tt.want), "ValidatingAdmissionPolicy/hardened-tamper",
				"ValidatingAdmissionPolicyBinding/hardened-tamper", "ValidatingAdmissionPolicyBinding/hardened-tamper-namespaces")
			if _, ok := PresetMaxPreemptingPriority(tt.spec.Environment); ok { // prod bounds priorities
				want = append(want, "ValidatingAdmissionPolicy/hardened-classes", "ValidatingAdmissionPolicyBinding/hardened-classes")
			}
			want = append(want, "ValidatingAdmissionPolicy/hardened-services", "ValidatingAdmissionPolicyBinding/hardened-services-deny")
			if got := ManagedIDs(objs); !slices.Equal(got, want) {
				t.Errorf("ManagedIDs =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			for _, o := range objs {
				if o.Kind == "NetworkPolicy" && !tSpecDenies(tt.spec) {
					t.Errorf("NetworkPolicy %s rendered although both denies are false", o.Name)
				}
				if got := o.Obj.GetObjectKind().GroupVersionKind().Kind; got != o.Kind {
					t.Errorf("%s: TypeMeta kind %q", o.ID(), got)
				}
			}
		})
	}
}

// tSpecDenies reports whether either direction is denied (the presets deny both).
func tSpecDenies(s NamespaceSpec) bool {
	return s.Network.DenyIngress == nil || *s.Network.DenyIngress || s.Network.DenyEgress == nil || *s.Network.DenyEgress
}

func TestManagedIDsEmpty(t *testing.T) {
	if got := ManagedIDs(nil); got == nil || len(got) != 0 {
		t.Errorf("ManagedIDs(nil) = %#v, want empty non-nil slice", got)
	}
	if got := (Object{Kind: "RoleBinding", Name: "x"}).ID(); got != "RoleBinding/x" {
		t.Errorf("ID() = %q", got)
	}
	if got := MultiDocYAML(nil); got != "" {
		t.Errorf("MultiDocYAML(nil) = %q", got)
	}
	if got := MultiDocYAML([]string{"a: 1\n", "b: 2\n", "c: 3\n"}); got != "a: 1\n---\nb: 2\n---\nc: 3\n" {
		t.Errorf("MultiDocYAML = %q", got)
	}
}

func TestRoleBindingName(t *testing.T) {
	tests := []struct{ role, want string }{
		{"view", "hardened-access-view"},
		{"edit", "hardened-access-edit"},
		{"admin", "hardened-access-admin"},
		{"cluster-admin", "hardened-access-cluster-admin"},
		{"system:aggregate-to-edit", "hardened-access-system-aggregate-to-edit"},
		{"system:controller:job_controller", "hardened-access-system-controller-job-controller"},
		{"Team_Reader", "hardened-access-team-reader"},
		{"monitoring.example.com:reader", "hardened-access-monitoring.example.com-reader"},
	}
	for _, tt := range tests {
		got := RoleBindingName(tt.role)
		if got != tt.want {
			t.Errorf("RoleBindingName(%q) = %q, want %q", tt.role, got, tt.want)
		}
		// These roles all yield names valid as any object name (DNS-1123 subdomain).
		if errs := validation.IsDNS1123Subdomain(got); len(errs) > 0 {
			t.Errorf("RoleBindingName(%q) = %q is not a valid object name: %v", tt.role, got, errs)
		}
	}
}

func TestNamespaceObject(t *testing.T) {
	_, objs, err := Desired(NamespaceSpec{Name: "sandbox", Environment: "dev",
		Labels:      map[string]string{"team": "sandbox"},
		Annotations: map[string]string{"owner": "x"},
		PodSecurity: PodSecurityInput{Version: tStrPtr("v1.36")}})
	if err != nil {
		t.Fatal(err)
	}
	ns, ok := objs[0].Obj.(*corev1.Namespace)
	if !ok {
		t.Fatalf("first object is %T, want *v1.Namespace", objs[0].Obj)
	}
	want := map[string]string{
		"team":                               "sandbox",
		"pod-security.kubernetes.io/enforce": "baseline",
		"pod-security.kubernetes.io/enforce-version":  "v1.36",
		"pod-security.kubernetes.io/audit":            "restricted",
		"pod-security.kubernetes.io/audit-version":    "v1.36",
		"pod-security.kubernetes.io/warn":             "restricted",
		"pod-security.kubernetes.io/warn-version":     "v1.36",
		"app.kubernetes.io/managed-by":                "terraform-provider-hardened",
		"hardened.kubehardening.io/environment":       "dev",
		"hardened.kubehardening.io/tamper-protection": "enabled",
		"hardened.kubehardening.io/service-policy":    "Deny",
	}
	if !tMapsEqual(ns.Labels, want) {
		t.Errorf("namespace labels = %v, want %v", ns.Labels, want)
	}
	if ns.Annotations["owner"] != "x" || ns.Annotations[ServiceRulesAnnotation] != "require-load-balancer-source-ranges" || len(ns.Annotations) != 2 {
		t.Errorf("namespace annotations = %v", ns.Annotations)
	}
	if ns.APIVersion != "v1" || ns.Kind != "Namespace" || ns.Namespace != "" {
		t.Errorf("namespace TypeMeta/namespace = %q %q %q", ns.APIVersion, ns.Kind, ns.Namespace)
	}

	sa := as[*corev1.ServiceAccount](t, objs[1].Obj)
	if sa.Name != "default" || sa.Namespace != "sandbox" || sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Errorf("default ServiceAccount = %+v, want automount false", sa)
	}
	if len(sa.Labels) != 0 {
		t.Errorf("default ServiceAccount has labels %v: it must not be taken over", sa.Labels)
	}
	for _, o := range objs[2:] {
		if o.ClusterScoped() {
			continue
		}
		m, err := Unstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		meta := as[map[string]any](t, m["metadata"])
		labels, _ := meta["labels"].(map[string]any)
		if meta["namespace"] != "sandbox" || labels["app.kubernetes.io/managed-by"] != "terraform-provider-hardened" || len(labels) != 1 {
			t.Errorf("%s metadata = %v", o.ID(), meta)
		}
	}
}

func tMapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func TestNetworkPolicyObjects(t *testing.T) {
	_, objs, err := Desired(tGoldenSpecs[2].spec)
	if err != nil {
		t.Fatal(err)
	}
	pols := map[string]*networkingv1.NetworkPolicy{}
	for _, o := range objs {
		if np, ok := o.Obj.(*networkingv1.NetworkPolicy); ok {
			pols[o.Name] = np
			if np.APIVersion != "networking.k8s.io/v1" || np.Namespace != "api" {
				t.Errorf("%s: apiVersion %q namespace %q", o.Name, np.APIVersion, np.Namespace)
			}
			if len(np.Spec.PodSelector.MatchLabels)+len(np.Spec.PodSelector.MatchExpressions) != 0 {
				t.Errorf("%s: podSelector %v, want empty (all pods)", o.Name, np.Spec.PodSelector)
			}
		}
	}
	types := func(np *networkingv1.NetworkPolicy) string {
		var s []string
		for _, p := range np.Spec.PolicyTypes {
			s = append(s, string(p))
		}
		return strings.Join(s, ",")
	}

	deny := pols["hardened-default-deny"]
	if types(deny) != "Ingress,Egress" || deny.Spec.Ingress != nil || deny.Spec.Egress != nil {
		t.Errorf("default deny = %+v", deny.Spec)
	}

	dns := pols["hardened-allow-dns"]
	if types(dns) != "Egress" || len(dns.Spec.Egress) != 1 || len(dns.Spec.Egress[0].To) != 1 {
		t.Fatalf("allow dns = %+v", dns.Spec)
	}
	peer := dns.Spec.Egress[0].To[0]
	if peer.PodSelector != nil || peer.IPBlock != nil || peer.NamespaceSelector == nil ||
		!tMapsEqual(peer.NamespaceSelector.MatchLabels, map[string]string{"kubernetes.io/metadata.name": "kube-system"}) {
		t.Errorf("allow dns peer = %+v", peer)
	}
	if got := tPortList(dns.Spec.Egress[0].Ports); got != "53/UDP 53/TCP" {
		t.Errorf("allow dns ports = %s, want 53/UDP 53/TCP", got)
	}

	same := pols["hardened-allow-same-namespace"]
	if types(same) != "Ingress,Egress" || len(same.Spec.Ingress) != 1 || len(same.Spec.Egress) != 1 {
		t.Fatalf("allow same = %+v", same.Spec)
	}
	in, out := same.Spec.Ingress[0].From, same.Spec.Egress[0].To
	if len(in) != 1 || len(out) != 1 || in[0].PodSelector == nil || out[0].PodSelector == nil ||
		in[0].NamespaceSelector != nil || out[0].NamespaceSelector != nil ||
		len(in[0].PodSelector.MatchLabels)+len(in[0].PodSelector.MatchExpressions) != 0 {
		t.Errorf("allow same peers = %+v / %+v, want one empty podSelector each", in, out)
	}

	from := pols["hardened-allow-ingress-from-namespaces"]
	if types(from) != "Ingress" || len(from.Spec.Ingress) != 1 ||
		!tMapsEqual(from.Spec.Ingress[0].From[0].NamespaceSelector.MatchLabels, map[string]string{"kubernetes.io/metadata.name": "ingress-nginx"}) {
		t.Errorf("allow ingress from namespaces = %+v", from.Spec)
	} else if got := tPortList(from.Spec.Ingress[0].Ports); got != "8080/TCP 8443/TCP" {
		t.Errorf("ingress ports = %s", got)
	}

	to := pols["hardened-allow-egress-to-namespaces"]
	if types(to) != "Egress" || len(to.Spec.Egress) != 1 {
		t.Fatalf("allow egress to namespaces = %+v", to.Spec)
	}
	sel := to.Spec.Egress[0].To[0].NamespaceSelector
	if sel == nil || len(sel.MatchLabels) != 0 || len(sel.MatchExpressions) != 1 ||
		sel.MatchExpressions[0].Key != "kubernetes.io/metadata.name" || sel.MatchExpressions[0].Operator != "In" ||
		!slices.Equal(sel.MatchExpressions[0].Values, []string{"cache", "db"}) {
		t.Errorf("egress namespace selector = %+v, want kubernetes.io/metadata.name In [cache db]", sel)
	}
	if got := tPortList(to.Spec.Egress[0].Ports); got != "5432/TCP 6379/TCP 9000/SCTP" {
		t.Errorf("egress ports = %s", got)
	}
	// The user's list is not reordered in place.
	if !slices.Equal(tGoldenSpecs[2].spec.Network.AllowEgressToNamespaces, []string{"db", "cache"}) {
		t.Errorf("spec list was reordered: %v", tGoldenSpecs[2].spec.Network.AllowEgressToNamespaces)
	}

	cidrs := pols["hardened-allow-egress-to-cidrs"]
	if types(cidrs) != "Egress" || len(cidrs.Spec.Egress) != 1 || len(cidrs.Spec.Egress[0].To) != 2 {
		t.Fatalf("allow egress to cidrs = %+v", cidrs.Spec)
	}
	for i, want := range []string{"10.20.0.0/16", "2001:db8::/32"} {
		p := cidrs.Spec.Egress[0].To[i]
		if p.IPBlock == nil || p.IPBlock.CIDR != want || len(p.IPBlock.Except) != 0 || p.NamespaceSelector != nil || p.PodSelector != nil {
			t.Errorf("cidr peer %d = %+v, want ipBlock %s", i, p, want)
		}
	}
	if got := tPortList(cidrs.Spec.Egress[0].Ports); got != "5432/TCP 6379/TCP 9000/SCTP" {
		t.Errorf("cidr ports = %s", got)
	}
}

// Only one direction denied: the same-namespace policy covers only that direction.
func TestSameNamespacePolicyFollowsDeniedDirections(t *testing.T) {
	tests := []struct {
		name                    string
		network                 NetworkInput
		wantTypes               []networkingv1.PolicyType
		wantIngress, wantEgress bool
	}{
		{"ingress only", NetworkInput{DenyEgress: tBoolPtr(false)}, []networkingv1.PolicyType{"Ingress"}, true, false},
		{"egress only", NetworkInput{DenyIngress: tBoolPtr(false)}, []networkingv1.PolicyType{"Egress"}, false, true},
		{"both", NetworkInput{}, []networkingv1.PolicyType{"Ingress", "Egress"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, objs, err := Desired(NamespaceSpec{Name: "x", Network: tt.network})
			if err != nil {
				t.Fatal(err)
			}
			var deny, same *networkingv1.NetworkPolicy
			for _, o := range objs {
				switch o.Name {
				case "hardened-default-deny":
					deny = as[*networkingv1.NetworkPolicy](t, o.Obj)
				case "hardened-allow-same-namespace":
					same = as[*networkingv1.NetworkPolicy](t, o.Obj)
				}
			}
			if deny == nil || same == nil {
				t.Fatalf("missing policies in %v", ManagedIDs(objs))
			}
			if !slices.Equal(deny.Spec.PolicyTypes, tt.wantTypes) || !slices.Equal(same.Spec.PolicyTypes, tt.wantTypes) {
				t.Errorf("policyTypes deny %v same %v, want %v", deny.Spec.PolicyTypes, same.Spec.PolicyTypes, tt.wantTypes)
			}
			if (len(same.Spec.Ingress) == 1) != tt.wantIngress || (len(same.Spec.Egress) == 1) != tt.wantEgress {
				t.Errorf("same-namespace rules: ingress %d egress %d", len(same.Spec.Ingress), len(same.Spec.Egress))
			}
		})
	}
}

func tPortList(ps []networkingv1.NetworkPolicyPort) string {
	var s []string
	for _, p := range ps {
		proto := "<nil>"
		if p.Protocol != nil {
			proto = string(*p.Protocol)
		}
		s = append(s, p.Port.String()+"/"+proto)
	}
	return strings.Join(s, " ")
}

func TestRoleBindingObjects(t *testing.T) {
	_, objs, err := Desired(tGoldenSpecs[0].spec)
	if err != nil {
		t.Fatal(err)
	}
	var rb *rbacv1.RoleBinding
	for _, o := range objs {
		if b, ok := o.Obj.(*rbacv1.RoleBinding); ok {
			rb = b
		}
	}
	if rb == nil {
		t.Fatal("no RoleBinding rendered")
	}
	if rb.APIVersion != "rbac.authorization.k8s.io/v1" || rb.Name != "hardened-access-edit" || rb.Namespace != "payments" {
		t.Errorf("RoleBinding meta = %q %q %q", rb.APIVersion, rb.Name, rb.Namespace)
	}
	if rb.RoleRef != (rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "edit"}) {
		t.Errorf("roleRef = %+v", rb.RoleRef)
	}
	want := []rbacv1.Subject{
		{Kind: "User", APIGroup: "rbac.authorization.k8s.io", Name: "alice@example.com"},
		{Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: "payments-devs"},
		{Kind: "ServiceAccount", Namespace: "ci", Name: "deployer"},
	}
	if !slices.Equal(rb.Subjects, want) {
		t.Errorf("subjects = %+v, want %+v", rb.Subjects, want)
	}
}

func TestLimitRangeAndQuotaObjects(t *testing.T) {
	_, objs, err := Desired(tGoldenSpecs[1].spec)
	if err != nil {
		t.Fatal(err)
	}
	q := as[*corev1.ResourceQuota](t, objs[2].Obj)
	wantQuota := map[string]string{
		"requests.cpu": "3", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi",
		"pods": "20", "persistentvolumeclaims": "5", "services.loadbalancers": "0", "services.nodeports": "0",
		"count/deployments.apps": "20", "requests.ephemeral-storage": "10Gi", "limits.ephemeral-storage": "20Gi",
		"services": "10", "secrets": "50", "configmaps": "50", "replicationcontrollers": "10", "resourcequotas": "1",
	}
	if len(q.Spec.Hard) != len(wantQuota) {
		t.Errorf("quota hard has %d entries, want %d: %v", len(q.Spec.Hard), len(wantQuota), q.Spec.Hard)
	}
	for k, v := range wantQuota {
		got := q.Spec.Hard[corev1.ResourceName(k)]
		if got.String() != v {
			t.Errorf("quota %s = %s, want %s", k, got.String(), v)
		}
	}
	lr := as[*corev1.LimitRange](t, objs[3].Obj)
	if len(lr.Spec.Limits) != 1 || lr.Spec.Limits[0].Type != corev1.LimitTypeContainer {
		t.Fatalf("limit range = %+v", lr.Spec)
	}
	item := lr.Spec.Limits[0]
	check := func(field string, got corev1.ResourceList, want map[string]string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s = %v, want %v", field, got, want)
		}
		for k, v := range want {
			q := got[corev1.ResourceName(k)]
			if q.String() != v {
				t.Errorf("%s[%s] = %s, want %s", field, k, q.String(), v)
			}
		}
	}
	// Written defaulted as the API server would store it: requests default to the limit.
	check("defaultRequest", item.DefaultRequest, map[string]string{"cpu": "50m", "memory": "64Mi", "ephemeral-storage": "100Mi"})
	check("default", item.Default, map[string]string{"cpu": "1", "memory": "512Mi", "ephemeral-storage": "1Gi"})
	check("max", item.Max, map[string]string{"cpu": "2", "memory": "2Gi", "ephemeral-storage": "4Gi"})
	check("min", item.Min, map[string]string{"memory": "32Mi"})
	if sa := as[*corev1.ServiceAccount](t, objs[1].Obj); sa.AutomountServiceAccountToken == nil || !*sa.AutomountServiceAccountToken {
		t.Errorf("automount = %v, want true", sa.AutomountServiceAccountToken)
	}
}

func TestUnstructuredDropsStatusAndCreationTimestamp(t *testing.T) {
	_, objs, err := Desired(NamespaceSpec{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		m, err := Unstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := m["status"]; ok {
			t.Errorf("%s has status", o.ID())
		}
		if _, ok := m["metadata"].(map[string]any)["creationTimestamp"]; ok {
			t.Errorf("%s has creationTimestamp", o.ID())
		}
		if m["kind"] != o.Kind || m["apiVersion"] == "" {
			t.Errorf("%s: kind %v apiVersion %v", o.ID(), m["kind"], m["apiVersion"])
		}
	}
}

// as returns v as a T, failing the test when it is something else.
func as[T any](t *testing.T, v any) T {
	t.Helper()
	got, ok := v.(T)
	if !ok {
		t.Fatalf("got %T, want %T", v, *new(T))
	}
	return got
}
