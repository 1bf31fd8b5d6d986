package hardening

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Hand-written findings. Each test case lists all six findings in order.
var (
	tChecksRBAC      = []string{"CIS 5.1.1", "Kubescape C-0035"}
	tChecksAutomount = []string{"CIS 5.1.5", "CIS 5.1.6", "Kubescape C-0034"}
	tChecksNetwork   = []string{"CIS 5.3.2", "Kubescape C-0260", "Kubescape C-0206", "Kubescape C-0030"}
	tChecksPSARestr  = []string{"CIS 5.2.1", "Kubescape C-0057", "Kubescape C-0013", "Kubescape C-0016"}
	tChecksPSA       = []string{"CIS 5.2.1", "Kubescape C-0057"}
	tChecksQuota     = []string{"Kubescape C-0009", "Kubescape C-0004", "Kubescape C-0050"}
	tChecksImages    = []string{"Kubescape C-0078", "Kubescape C-0075"}

	// No spec below sets image_policy, so practice 2 is always reported unsatisfied first.
	tNoImagePolicy = Finding{Practice: 2, Title: "Only authorized, pinned images are admitted", Satisfied: false,
		Detail: "no image_policy: any registry and tag is admitted", Checks: tChecksImages}
)

const (
	tTitleRBAC      = "RBAC: namespace-scoped permissions only"
	tTitleAutomount = "Default service account does not automount an API token"
	tTitleNetwork   = "Network policies: default deny for ingress and egress"
	tTitlePSA       = "Pod Security Admission profile enforced"
	tTitleQuota     = "Resource quota and container limits"
)

func TestCompliance(t *testing.T) {
	alice := []string{"alice"}
	quotaOK := Finding{Practice: 7, Title: tTitleQuota, Satisfied: true,
		Detail: "quota bounds cpu and memory: true; containers get default limits: true; services.loadbalancers = 0, services.nodeports = 0",
		Checks: tChecksQuota}
	netOK := Finding{Practice: 5, Title: tTitleNetwork, Satisfied: true, Detail: "deny_ingress = true, deny_egress = true", Checks: tChecksNetwork}
	automountOK := Finding{Practice: 4, Title: tTitleAutomount, Satisfied: true,
		Detail: "default ServiceAccount automountServiceAccountToken = false", Checks: tChecksAutomount}
	psaProd := Finding{Practice: 6, Title: tTitlePSA, Satisfied: true,
		Detail: "environment prod: enforce restricted, audit restricted, warn restricted (version latest)", Checks: tChecksPSARestr}

	tests := []struct {
		name string
		spec NamespaceSpec
		want []Finding
	}{
		{
			name: "prod default with one access entry: all satisfied",
			spec: NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "edit", Users: alice}}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "1 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK, netOK, psaProd, quotaOK,
			},
		},
		{
			name: "prod default without access",
			spec: NamespaceSpec{Name: "a"},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK, netOK, psaProd, quotaOK,
			},
		},
		{
			name: "cluster-admin allowed: practice 4 not satisfied",
			spec: NamespaceSpec{Name: "a", Access: []AccessEntry{
				{Role: "view", Users: alice}, {Role: "cluster-admin", Groups: []string{"ops"}, AllowClusterAdmin: true}}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: false, Detail: "access grants cluster-admin inside the namespace (allowed explicitly)", Checks: tChecksRBAC},
				automountOK, netOK, psaProd, quotaOK,
			},
		},
		{
			name: "deny_egress false: practice 5 not satisfied",
			spec: NamespaceSpec{Name: "a", Network: NetworkInput{DenyEgress: tBoolPtr(false)}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK,
				{Practice: 5, Title: tTitleNetwork, Satisfied: false, Detail: "deny_ingress = true, deny_egress = false", Checks: tChecksNetwork},
				psaProd, quotaOK,
			},
		},
		{
			name: "deny_ingress false: practice 5 not satisfied",
			spec: NamespaceSpec{Name: "a", Network: NetworkInput{DenyIngress: tBoolPtr(false)}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK,
				{Practice: 5, Title: tTitleNetwork, Satisfied: false, Detail: "deny_ingress = false, deny_egress = true", Checks: tChecksNetwork},
				psaProd, quotaOK,
			},
		},
		{
			name: "enforce privileged: practice 6 not satisfied",
			spec: NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Enforce: tStrPtr("privileged")}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK, netOK,
				{Practice: 6, Title: tTitlePSA, Satisfied: false,
					Detail: "environment prod: enforce privileged, audit restricted, warn restricted (version latest)", Checks: tChecksPSA},
				quotaOK,
			},
		},
		{
			name: "dev: enforce baseline is satisfied but without the restricted-only checks",
			spec: NamespaceSpec{Name: "a", Environment: "dev"},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK, netOK,
				{Practice: 6, Title: tTitlePSA, Satisfied: true,
					Detail: "environment dev: enforce baseline, audit restricted, warn restricted (version latest)", Checks: tChecksPSA},
				quotaOK,
			},
		},
		{
			name: "automount true: the service account finding is not satisfied",
			spec: NamespaceSpec{Name: "a", AutomountServiceAccountToken: tBoolPtr(true), PodSecurity: PodSecurityInput{Version: tStrPtr("v1.35")}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				{Practice: 4, Title: tTitleAutomount, Satisfied: false,
					Detail: "default ServiceAccount automountServiceAccountToken = true", Checks: tChecksAutomount},
				netOK,
				{Practice: 6, Title: tTitlePSA, Satisfied: true,
					Detail: "environment prod: enforce restricted, audit restricted, warn restricted (version v1.35)", Checks: tChecksPSARestr},
				quotaOK,
			},
		},
		{
			name: "quota lifting the LoadBalancer ban is reported in the detail",
			spec: NamespaceSpec{Name: "a", Environment: "staging", ResourceQuota: map[string]string{"services.loadbalancers": "2"}},
			want: []Finding{
				tNoImagePolicy,
				{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
				automountOK, netOK,
				{Practice: 6, Title: tTitlePSA, Satisfied: true,
					Detail: "environment staging: enforce restricted, audit restricted, warn restricted (version latest)", Checks: tChecksPSARestr},
				{Practice: 7, Title: tTitleQuota, Satisfied: true,
					Detail: "quota bounds cpu and memory: true; containers get default limits: true; services.loadbalancers = 2, services.nodeports = 0",
					Checks: tChecksQuota},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, err := Desired(tt.spec)
			if err != nil {
				t.Fatalf("Desired: %v", err)
			}
			tCompareFindings(t, Compliance(r, Foreign{}), tt.want)
		})
	}
}

// A hand-built Resolved with almost nothing set: only the two practice 4 findings hold.
func TestComplianceEmptyResolved(t *testing.T) {
	r := Resolved{Name: "bare", Environment: "prod", PodSecurity: PodSecurity{Enforce: "privileged"},
		ResourceQuota: map[string]string{"cpu": "1"}, LimitRange: LimitRange{Default: map[string]string{"cpu": "1"}}}
	want := []Finding{
		tNoImagePolicy,
		{Practice: 4, Title: tTitleRBAC, Satisfied: true, Detail: "0 RoleBinding(s) to namespace-scoped roles; no cluster-admin", Checks: tChecksRBAC},
		{Practice: 4, Title: tTitleAutomount, Satisfied: true, Detail: "default ServiceAccount automountServiceAccountToken = false", Checks: tChecksAutomount},
		{Practice: 5, Title: tTitleNetwork, Satisfied: false, Detail: "deny_ingress = false, deny_egress = false; service_policy is off: " +
			"Services may claim externalIPs or alias any host (ExternalName)", Checks: tChecksNetwork},
		{Practice: 6, Title: tTitlePSA, Satisfied: false, Detail: "environment prod: enforce privileged, audit , warn  (version )", Checks: tChecksPSA},
		{Practice: 7, Title: tTitleQuota, Satisfied: false,
			Detail: "quota bounds cpu and memory: false; containers get default limits: false; services.loadbalancers = unset, services.nodeports = unset; " +
				"the quota leaves unbounded: requests.memory, limits.cpu, limits.memory, requests.ephemeral-storage, limits.ephemeral-storage, pods, " +
				"services, secrets, configmaps, persistentvolumeclaims, replicationcontrollers, resourcequotas, services.loadbalancers, services.nodeports",
			Checks: tChecksQuota},
	}
	tCompareFindings(t, Compliance(r, Foreign{}), want)

	// Plain cpu / memory quota keys also bound cpu and memory; every other kind a tenant can create
	// must be bounded too.
	r.ResourceQuota = map[string]string{"cpu": "1", "memory": "1Gi"}
	r.LimitRange.Default = map[string]string{"cpu": "1", "memory": "1Gi"}
	got := Compliance(r, Foreign{})[5]
	if got.Satisfied || !strings.HasPrefix(got.Detail, "quota bounds cpu and memory: true; containers get default limits: true;") ||
		!strings.Contains(got.Detail, "the quota leaves unbounded: limits.cpu, limits.memory, requests.ephemeral-storage") {
		t.Errorf("practice 7 with cpu/memory keys only = %+v", got)
	}
	// A complete quota satisfies it; dropping one kind is a gap naming it.
	full, _ := PresetFor(EnvProd)
	r.ResourceQuota = full.ResourceQuota
	if got := Compliance(r, Foreign{})[5]; !got.Satisfied {
		t.Errorf("practice 7 with the prod quota = %+v", got)
	}
	delete(r.ResourceQuota, "replicationcontrollers")
	if got := Compliance(r, Foreign{})[5]; got.Satisfied || !strings.HasSuffix(got.Detail, "the quota leaves unbounded: replicationcontrollers") {
		t.Errorf("practice 7 without a replicationcontrollers bound = %+v", got)
	}
}

func tCompareFindings(t *testing.T, got, want []Finding) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), tFmtFindings(got))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("finding %d =\n  %+v\nwant\n  %+v", i, got[i], want[i])
		}
	}
}

func tFmtFindings(fs []Finding) string {
	s := ""
	for _, f := range fs {
		s += fmt.Sprintf("  %+v\n", f)
	}
	return s
}

// TestGaps: one line per unsatisfied finding, in order, starting with the practice; none is an
// empty list (a known empty value in the state), not nil.
func TestGaps(t *testing.T) {
	if g := Gaps(nil); g == nil || len(g) != 0 {
		t.Fatalf("Gaps(nil) = %#v, want an empty list", g)
	}
	got := Gaps([]Finding{
		{Practice: 2, Title: "Images", Detail: "none", Checks: []string{"Kubescape C-0078", "Kubescape C-0075"}},
		{Practice: 4, Title: "RBAC", Satisfied: true, Detail: "ok"},
		{Practice: 5, Title: "Network", Detail: "open"},
	})
	want := []string{"practice 2 (Images): none [Kubescape C-0078, Kubescape C-0075]", "practice 5 (Network): open"}
	if !slices.Equal(got, want) {
		t.Fatalf("Gaps = %q, want %q", got, want)
	}
}

// TestComplianceJudgesOwnAllows: the configuration's own allows and access are judged as a
// tenant's objects would be: egress open to every address, roles for every identity.
func TestComplianceJudgesOwnAllows(t *testing.T) {
	gap := func(s NamespaceSpec, practice int) string {
		t.Helper()
		r, err := Resolve(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range Compliance(r, Foreign{}) {
			if f.Practice == practice && !f.Satisfied {
				return f.Detail
			}
		}
		return ""
	}
	for cidrs, want := range map[string]string{
		"0.0.0.0/0":                 "reaches every address (0.0.0.0/0)",
		"0.0.0.0/1,128.0.0.0/1":     "reaches every address (0.0.0.0/0)",
		"::/0":                      "reaches every address (::/0)",
		"10.0.0.0/8":                "",
		"0.0.0.0/1":                 "",
		"0.0.0.0/1,128.0.0.0/2":     "",
		"10.20.0.0/16,192.0.2.0/24": "",
	} {
		got := gap(NamespaceSpec{Name: "x", Network: NetworkInput{AllowEgressToCIDRs: strings.Split(cidrs, ",")}}, 5)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("allow_egress_to_cidrs %s: practice 5 gap %q, want %q", cidrs, got, want)
		}
	}
	if got := gap(NamespaceSpec{Name: "x", Access: []AccessEntry{{Role: "admin", Groups: []string{"system:authenticated"}}}}, 4); !strings.Contains(got, "admin to Group system:authenticated") {
		t.Errorf("access to system:authenticated: practice 4 gap %q", got)
	}
	if got := gap(NamespaceSpec{Name: "x", Access: []AccessEntry{{Role: "view", Groups: []string{"auditors"}}}}, 4); got != "" {
		t.Errorf("access to a named group: practice 4 gap %q", got)
	}
	r, _ := Resolve(NamespaceSpec{Name: "x", ImagePolicy: &ImagePolicyInput{AllowedRegistries: []string{"registry.example.com"}}})
	for _, f := range Compliance(r, Foreign{ImagePolicyNotLive: "binding hardened-images-deny is missing"}) {
		if f.Practice == 2 && (f.Satisfied || !strings.Contains(f.Detail, "not in force: binding")) {
			t.Errorf("practice 2 with the image policy not live: %+v", f)
		}
	}
	// The Services policy: the same namespace with its keys as written satisfies practice 5's
	// Services part; with its label removed (by someone the guard does not stop) it does not.
	r, objs, err := Desired(NamespaceSpec{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	ns, ok := objs[0].Obj.(*corev1.Namespace)
	if !ok {
		t.Fatalf("the first object is %T", objs[0].Obj)
	}
	if d := ServicePolicyKeysDiffer(*r.ServicePolicy, ns.Labels, ns.Annotations); d != "" {
		t.Errorf("the keys as written differ: %s", d)
	}
	delete(ns.Labels, ServicePolicyLabel)
	d := ServicePolicyKeysDiffer(*r.ServicePolicy, ns.Labels, ns.Annotations)
	if !strings.Contains(d, ServicePolicyLabel) {
		t.Errorf("a removed Services label is not seen: %q", d)
	}
	for _, f := range Compliance(r, Foreign{ServicePolicyNotLive: "namespace " + d}) {
		if f.Practice == 5 && (f.Satisfied || !strings.Contains(f.Detail, "service_policy not in force: namespace label")) {
			t.Errorf("practice 5 with the Services policy not live: %+v", f)
		}
	}
}

// TestIngressFromCIDRs: the allow is one policy of address blocks on the ingress ports; a /16
// health-check range is no gap, blocks covering every address are; a tenant's policy inside the
// configured blocks and ports does not re-open the namespace, one outside does.
func TestIngressFromCIDRs(t *testing.T) {
	spec := func(cidrs ...string) NamespaceSpec {
		return NamespaceSpec{Name: "web", Network: NetworkInput{AllowIngressFromCIDRs: cidrs, AllowIngressPorts: []string{"8080"}}}
	}
	_, objs, err := Desired(spec("130.211.0.0/22", "35.191.0.0/16"))
	if err != nil {
		t.Fatal(err)
	}
	var found *networkingv1.NetworkPolicy
	for _, o := range objs {
		if np, ok := o.Obj.(*networkingv1.NetworkPolicy); ok && o.Name == PolicyAllowFromCIDRs {
			found = np
		}
	}
	if found == nil || len(found.Spec.Ingress) != 1 || len(found.Spec.Ingress[0].From) != 2 || found.Spec.Ingress[0].From[1].IPBlock.CIDR != "35.191.0.0/16" ||
		len(found.Spec.Ingress[0].Ports) != 1 || found.Spec.Ingress[0].Ports[0].Port.IntValue() != 8080 {
		t.Fatalf("policy %s = %+v", PolicyAllowFromCIDRs, found)
	}
	r, _ := Resolve(spec("35.191.0.0/16"))
	for _, f := range Compliance(r, Foreign{}) {
		if f.Practice == 5 && !f.Satisfied {
			t.Errorf("a /16 health-check range is a gap: %s", f.Detail)
		}
	}
	r, _ = Resolve(spec("0.0.0.0/0"))
	gap := ""
	for _, f := range Compliance(r, Foreign{}) {
		if f.Practice == 5 && !f.Satisfied {
			gap = f.Detail
		}
	}
	if !strings.Contains(gap, "allow_ingress_from_cidrs 0.0.0.0/0 admits every address (0.0.0.0/0) on ports 8080") {
		t.Errorf("ingress from every address: gap %q", gap)
	}
	r, _ = Resolve(spec("35.191.0.0/16"))
	tenant := func(cidr, port string) networkingv1.NetworkPolicy {
		p := intstr.FromString(port)
		return networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "lb"}, Spec: networkingv1.NetworkPolicySpec{
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: cidr}}},
				Ports: []networkingv1.NetworkPolicyPort{{Port: &p}}}}}}
	}
	if why := PolicyWidens("web", r.Network, tenant("35.191.4.0/24", "8080")); why != "" {
		t.Errorf("a tenant's policy inside the configured range widens: %s", why)
	}
	if why := PolicyWidens("web", r.Network, tenant("10.0.0.0/8", "8080")); !strings.Contains(why, "allows ingress from 10.0.0.0/8") {
		t.Errorf("a tenant's policy outside the configured range: %q", why)
	}
	if why := PolicyWidens("web", r.Network, tenant("35.191.4.0/24", "22")); why == "" {
		t.Error("a tenant's policy inside the range on another port does not widen")
	}
	adopted := adoptNetwork(map[string]*networkingv1.NetworkPolicy{PolicyDefaultDeny: {Spec: networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}}}, PolicyAllowFromCIDRs: found})
	if strings.Join(adopted.AllowIngressFromCIDRs, ",") != "130.211.0.0/22,35.191.0.0/16" || strings.Join(adopted.AllowIngressPorts, ",") != "8080" {
		t.Errorf("import reads back %v on %v", adopted.AllowIngressFromCIDRs, adopted.AllowIngressPorts)
	}
}

// Practice 5 also needs the Services policy in force: off, only reporting, or admitting every
// address as externalIPs, it is a gap; listed ranges and allowed ExternalNames are not.
func TestComplianceServicePolicy(t *testing.T) {
	r, err := Resolve(NamespaceSpec{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	net := func() Finding { return Compliance(r, Foreign{})[3] }
	if f := net(); !f.Satisfied || f.Practice != 5 {
		t.Fatalf("the default namespace: %+v", f)
	}
	r.ServicePolicy.AllowedExternalIPCIDRs, r.ServicePolicy.AllowExternalName = []string{"192.0.2.0/28"}, true
	if f := net(); !f.Satisfied {
		t.Errorf("a listed range and allowed ExternalNames are configured exceptions: %+v", f)
	}
	for _, c := range []struct {
		edit func()
		want string
	}{
		{func() { r.ServicePolicy.AllowedExternalIPCIDRs = []string{"0.0.0.0/1", "128.0.0.0/1"} }, "admits every address (0.0.0.0/0) as a Service's externalIPs"},
		{func() { r.ServicePolicy.Action = ImageActionWarn }, "service_policy action Warn only reports"},
		{func() { r.ServicePolicy = nil }, "service_policy is off"},
	} {
		c.edit()
		if f := net(); f.Satisfied || !strings.Contains(f.Detail, c.want) {
			t.Errorf("want a gap naming %q: %+v", c.want, f)
		}
	}
}
