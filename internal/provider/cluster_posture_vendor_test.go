package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// testAccClusterPostureVendors seeds the posture cluster with what EKS and GKE create on every
// cluster (the eks:addon-cluster-admin binding, GKE's gmp-public namespace) and their look-alikes:
// recognised only for their own distribution and under their own names, and every recognition or
// exclusion listed in excluded.
func testAccClusterPostureVendors(t *testing.T, c *testcluster.Cluster, admin kubernetes.Interface) {
	addon := rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "eks:addon-manager"}
	clusterPostureCreateCRB(t, admin, "eks:addon-cluster-admin", "cluster-admin", addon)
	clusterPostureCreateCRB(t, admin, "acc-addon-cluster-admin", "cluster-admin", addon)
	clusterPostureCreateCRB(t, admin, "acc-ci-admin", "cluster-admin", rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "acc-ci-admin"})
	for _, n := range []string{"gmp-public", "acc-gmp-public"} {
		if _, err := admin.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}}, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for _, n := range []string{"eks:addon-cluster-admin", "acc-addon-cluster-admin", "acc-ci-admin"} {
			_ = admin.RbacV1().ClusterRoleBindings().Delete(ctx, n, metav1.DeleteOptions{})
		}
		for _, n := range []string{"gmp-public", "acc-gmp-public"} {
			_ = admin.CoreV1().Namespaces().Delete(ctx, n, metav1.DeleteOptions{})
		}
	})

	config := func(extra string) string {
		return clusterPostureConfig(c.AdminKubeconfig, `  as_of      = "2026-12-01"
  namespaces = { include = ["gmp-public", "acc-gmp-public"] }
`+extra)
	}
	eksBinding := "HRD-4001 failed high ClusterRoleBinding /eks:addon-cluster-admin"
	lookAlike := "HRD-4001 failed high ClusterRoleBinding /acc-addon-cluster-admin"
	ciAdmin := "HRD-4001 failed high ClusterRoleBinding /acc-ci-admin"
	gmpDeny := "HRD-5001 failed medium Namespace gmp-public/gmp-public"
	copyDeny := "HRD-5001 failed medium Namespace acc-gmp-public/acc-gmp-public"

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A bad exclusion is a plan-time error naming the attribute.
				Config:      config(`  exclude_subjects = [{ kind = "ServiceAccount", name = "argocd-application-controller" }]`),
				ExpectError: regexp.MustCompile(`(?s)Invalid subject to exclude.*exclude_subjects.*` + wrapTolerant(`a ServiceAccount needs its namespace`)),
			},
			{
				Config: config(`  distribution     = "eks"
  exclude_subjects = [{ kind = "User", name = "acc-ci-admin" }]`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("distribution"), knownvalue.StringExact("eks")),
					clusterPostureListHas("findings", []string{lookAlike, gmpDeny, copyDeny}, []string{eksBinding, ciAdmin}),
					clusterPostureListHas("excluded", []string{eksBinding + " managed by Amazon EKS (https://docs.aws.amazon.com/eks/latest/userguide/default-roles-users.html)",
						ciAdmin + " exclude_subjects"}, nil),
				},
			},
			{
				Config: config(`  distribution = "gke"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("distribution"), knownvalue.StringExact("gke")),
					clusterPostureListHas("findings", []string{eksBinding, lookAlike, ciAdmin, copyDeny}, []string{gmpDeny}),
					clusterPostureListHas("excluded", []string{gmpDeny + " managed by Google Kubernetes Engine (https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed)"},
						[]string{eksBinding, ciAdmin}),
				},
			},
			{
				// Detected: a loopback API server with a plain version is upstream Kubernetes,
				// where nothing is vendor-managed.
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("distribution"), knownvalue.StringExact("kubernetes")),
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("excluded"), knownvalue.ListSizeExact(0)),
					clusterPostureListHas("findings", []string{eksBinding, lookAlike, ciAdmin, gmpDeny, copyDeny}, nil),
				},
			},
		},
	})
}

// clusterPostureListHas checks that a list of findings (findings or excluded) has every key of
// want and none of absent. Keys are "ID status severity Kind namespace/name", followed by the
// reason for excluded entries.
func clusterPostureListHas(attr string, want, absent []string) statecheck.StateCheck {
	return clusterPostureStateCheck(func(values map[string]any) error {
		raw, _ := values[attr].([]any)
		var got []string
		for _, x := range raw {
			f, _ := x.(map[string]any)
			key := clusterPostureKey(f)
			if r, ok := f["reason"]; ok {
				key += fmt.Sprintf(" %v", r)
			}
			got = append(got, key)
		}
		has := func(k string) bool {
			return slices.ContainsFunc(got, func(g string) bool { return g == k || strings.HasPrefix(g, k+" ") })
		}
		for _, k := range want {
			if !has(k) {
				return fmt.Errorf("%s lacks %q:\n    %s", attr, k, strings.Join(got, "\n    "))
			}
		}
		for _, k := range absent {
			if has(k) {
				return fmt.Errorf("%s must not have %q:\n    %s", attr, k, strings.Join(got, "\n    "))
			}
		}
		return nil
	})
}

type clusterPostureStateCheck func(values map[string]any) error

func (c clusterPostureStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address == clusterPostureAddr {
			resp.Error = c(r.AttributeValues)
			return
		}
	}
	resp.Error = fmt.Errorf("%s not in state", clusterPostureAddr)
}

// testAccClusterPostureServices: Services a tenant could use to reach past its namespace, written
// to the real API server (which admits both by default), are findings; an ordinary one is not.
func testAccClusterPostureServices(t *testing.T, c *testcluster.Cluster, admin kubernetes.Interface) {
	const ns = "acc-posture-services"
	ctx := context.Background()
	if _, err := admin.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	port := []corev1.ServicePort{{Port: 443}}
	for _, svc := range []*corev1.Service{
		{ObjectMeta: metav1.ObjectMeta{Name: "intercept"}, Spec: corev1.ServiceSpec{Ports: port, ExternalIPs: []string{"192.0.2.10"}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "alias"}, Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "api.example.com"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "web"}, Spec: corev1.ServiceSpec{Ports: port, Selector: map[string]string{"app": "web"}}},
	} {
		if _, err := admin.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: clusterPostureConfig(c.AdminKubeconfig, `  as_of      = "2026-12-01"
  namespaces = { include = ["`+ns+`"] }`),
			ConfigStateChecks: []statecheck.StateCheck{clusterPostureListHas("findings",
				[]string{"HRD-5004 failed high Service " + ns + "/intercept", "HRD-5005 failed medium Service " + ns + "/alias"},
				[]string{"HRD-5004 failed high Service " + ns + "/web", "HRD-5005 failed medium Service " + ns + "/web"})},
		}},
	})
}
