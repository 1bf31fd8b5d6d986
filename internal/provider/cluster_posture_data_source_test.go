package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// The posture acceptance tests run against a dedicated control plane: cluster-wide seeds (a
// cluster-admin binding, a binding for anonymous requests) must not leak into the shared cluster,
// and the shared cluster's other namespaces must not leak into exact finding lists.

const clusterPostureAddr = "data.hardened_cluster_posture.test"

// What a fresh test control plane reports: anonymous authentication is on (kube-apiserver's
// default) but denied, and the control plane does not run as pods, so its flags are not visible.
var clusterPostureClean = []string{
	"HRD-8002 unknown high Cluster /",
	"HRD-10001 unknown medium Cluster /",
	"HRD-8001 failed low Cluster /",
}

// TestAccClusterPosture_dedicatedCluster runs the posture checks on a control plane of its own,
// whose findings no other test's objects change.
func TestAccClusterPosture_dedicatedCluster(t *testing.T) {
	testAccPreCheck(t)
	ctx := context.Background()
	c, err := testcluster.Start(ctx, testcluster.Options{Version: os.Getenv("HARDENED_TEST_K8S_VERSION"), Log: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping the posture test cluster: %v", err)
		}
	})
	admin := clientsetFor(t, c.AdminKubeconfig)
	// On a control plane other than the newest patch (the oldest-minor run), the version checks
	// report too: the expected lists take them in.
	clusterPostureVersionFindings = versionFindings(t, c.Version, "2026-12-01")
	t.Run("findings", func(t *testing.T) { testAccClusterPostureFindings(t, c, admin) })
	t.Run("hardened_namespace", func(t *testing.T) { testAccClusterPostureHardenedNamespace(t, c, admin) })
	t.Run("unprivileged identity", func(t *testing.T) { testAccClusterPostureUnprivileged(t, c, admin) })
	t.Run("example", func(t *testing.T) { testAccClusterPostureExample(t, c) })
	t.Run("vendor-managed and excluded", func(t *testing.T) { testAccClusterPostureVendors(t, c, admin) })
	t.Run("services reaching out", func(t *testing.T) { testAccClusterPostureServices(t, c, admin) })
}

// testAccClusterPostureExample applies the documentation's example as written.
func testAccClusterPostureExample(t *testing.T, c *testcluster.Cluster) {
	example, err := os.ReadFile("../../examples/data-sources/hardened_cluster_posture/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"hardened\" {\n  config_path = %q\n}\n\n%s", c.AdminKubeconfig, example),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.hardened_cluster_posture.gate", tfjsonpath.New("summary").AtMapKey("critical"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownOutputValue("posture_summary", knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"critical": knownvalue.Int64Exact(0), "low": knownvalue.NotNull(),
				})),
				statecheck.ExpectKnownValue("data.hardened_cluster_posture.cluster", tfjsonpath.New("findings"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("HRD-4004"), "name": knownvalue.StringExact("hardened-admin")}),
					1: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("HRD-6001"), "namespace": knownvalue.StringExact("default")}),
				})),
			},
		}},
	})
}

// clusterPostureAuditor mints an identity that may get and list everything and write nothing.
func clusterPostureAuditor(t *testing.T, c *testcluster.Cluster, admin kubernetes.Interface) string {
	t.Helper()
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "acc-posture-read-all"}, Rules: []rbacv1.PolicyRule{{
		APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"get", "list"}}}}
	if _, err := admin.RbacV1().ClusterRoles().Create(context.Background(), role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	clusterPostureCreateCRB(t, admin, "acc-posture-auditor", role.Name, rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "acc-posture-auditor"})
	kubeconfig, _, err := c.User("acc-posture-auditor")
	if err != nil {
		t.Fatal(err)
	}
	reader := clientsetFor(t, kubeconfig)
	clusterPostureEventually(t, 30*time.Second, "the auditor's binding to take effect", func() error {
		_, err := reader.RbacV1().ClusterRoleBindings().List(context.Background(), metav1.ListOptions{Limit: 1})
		return err
	})
	return kubeconfig
}

func clusterPostureConfig(kubeconfig, body string) string {
	return fmt.Sprintf(`
provider "hardened" {
  config_path = %q
}

data "hardened_cluster_posture" "test" {
%s
}
`, kubeconfig, body)
}

func testAccClusterPostureFindings(t *testing.T, c *testcluster.Cluster, admin kubernetes.Interface) {
	const open = "acc-posture-open"
	body := `  as_of      = "2026-12-01"
  namespaces = { include = ["` + open + `"] }`
	// A read-everything identity, not cluster-admin: run as the admin, HRD-4004 (tested below)
	// would report the provider itself in every list.
	auditor := clusterPostureAuditor(t, c, admin)
	cfg := clusterPostureConfig(auditor, body)
	seeded := []string{
		"HRD-4002 failed critical RoleBinding " + open + "/acc-posture-anonymous",
		"HRD-9002 failed critical ClusterRoleBinding /kubernetes-dashboard-admin",
		"HRD-4001 failed high ClusterRoleBinding /acc-posture-mallory",
		"HRD-6001 failed high Namespace " + open + "/" + open,
		"HRD-8002 unknown high Cluster /",
		"HRD-9001 failed high Service kubernetes-dashboard/kubernetes-dashboard",
		"HRD-5001 failed medium Namespace " + open + "/" + open,
		"HRD-5002 failed medium Namespace " + open + "/" + open,
		"HRD-6003 failed medium Pod default/acc-posture-pod",
		"HRD-7001 failed medium Namespace " + open + "/" + open,
		"HRD-10001 unknown medium Cluster /",
		"HRD-7002 failed low Namespace " + open + "/" + open,
		"HRD-8001 failed low Cluster /",
	}
	anonymousCanList := []string{
		"HRD-4002 failed critical ClusterRoleBinding /acc-posture-anonymous-namespaces",
		"HRD-4002 failed critical RoleBinding " + open + "/acc-posture-anonymous",
		"HRD-8001 failed critical Cluster /",
		"HRD-9002 failed critical ClusterRoleBinding /kubernetes-dashboard-admin",
		"HRD-4001 failed high ClusterRoleBinding /acc-posture-mallory",
		"HRD-6001 failed high Namespace " + open + "/" + open,
		"HRD-8002 unknown high Cluster /",
		"HRD-9001 failed high Service kubernetes-dashboard/kubernetes-dashboard",
		"HRD-5001 failed medium Namespace " + open + "/" + open,
		"HRD-5002 failed medium Namespace " + open + "/" + open,
		"HRD-6003 failed medium Pod default/acc-posture-pod",
		"HRD-7001 failed medium Namespace " + open + "/" + open,
		"HRD-10001 unknown medium Cluster /",
		"HRD-7002 failed low Namespace " + open + "/" + open,
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A fresh cluster: nothing but what every kube-apiserver with default flags shows.
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					clusterPostureExpectFindings(clusterPostureClean),
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("server_version"), knownvalue.StringExact(c.Version)),
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("id"), knownvalue.StringExact(c.Host)),
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("as_of"), knownvalue.StringExact("2026-12-01")),
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("passed"), knownvalue.Bool(false)),
					clusterPostureExpectSummary(0, 0, 0, 1, 2),
					statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("findings").AtSliceIndex(2+len(clusterPostureVersionFindings)), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"practice":   knownvalue.Int64Exact(8),
						"message":    knownvalue.StringRegexp(regexp.MustCompile(`authenticated as system:anonymous and denied \(403 Forbidden\)`)),
						"references": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("CIS 1.2.1"), knownvalue.StringExact("Kubescape C-0113"), knownvalue.StringExact("Kubescape C-0262")}),
					})),
				},
			},
			{
				// Every bad state the checklist warns about, seeded by hand.
				PreConfig: func() { clusterPostureSeed(t, admin, open) },
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					clusterPostureExpectFindings(seeded),
					clusterPostureExpectSummary(2, 3, 4, 2, 2),
					clusterPostureExpectMessage("HRD-4001", `ClusterRoleBinding acc-posture-mallory grants cluster-admin on the whole cluster to User "mallory"`),
					clusterPostureExpectMessage("HRD-9001", `of type NodePort: the Dashboard is reachable from outside the cluster \(node ports \d+\)`),
					clusterPostureExpectMessage("HRD-9002", `to ServiceAccount kubernetes-dashboard/kubernetes-dashboard: anyone`),
				},
			},
			{
				// The same findings as a plan-time gate.
				Config: clusterPostureConfig(auditor, body+"\n  fail_on = \"high\""),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)Cluster posture: 2 critical, 3 high finding\(s\) at or above fail_on = "high"` +
					`.*HRD-4002 critical RoleBinding ` + open + `/acc-posture-anonymous` +
					`.*HRD-9002 critical ClusterRoleBinding kubernetes-dashboard-admin` +
					`.*HRD-4001 high ClusterRoleBinding acc-posture-mallory` +
					`.*HRD-6001 high Namespace ` + open +
					`.*HRD-9001 high Service kubernetes-dashboard/kubernetes-dashboard` +
					`.*fail_on = "high" stops the run`)),
			},
			{
				// Anonymous requests that can read: the probe's critical case, on a real API server.
				PreConfig: func() {
					clusterPostureCreateCRB(t, admin, "acc-posture-anonymous-namespaces", "view", rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "system:anonymous"})
					clusterPostureWaitAnonymous(t, c, http.StatusOK)
				},
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					clusterPostureExpectFindings(anonymousCanList),
					clusterPostureExpectMessage("HRD-8001", `Anonymous requests can list namespaces: GET https://127\.0\.0\.1:\d+/api/v1/namespaces without credentials was answered 200`),
				},
			},
			{
				// The seeds are gone: so are their findings. A gate at medium is not tripped by the
				// low finding nor by the unknown ones.
				PreConfig: func() {
					clusterPostureUnseed(t, admin, open)
					clusterPostureWaitAnonymous(t, c, http.StatusForbidden)
				},
				Config: clusterPostureConfig(auditor, body+"\n  fail_on = \"medium\""),
				ConfigStateChecks: []statecheck.StateCheck{
					clusterPostureExpectFindings(clusterPostureClean),
					clusterPostureExpectSummary(0, 0, 0, 1, 2),
				},
			},
			{
				// The version check on a date after the cluster's minor is end of life, through the gate.
				Config: clusterPostureConfig(c.AdminKubeconfig, `  as_of   = "2028-01-01"
  fail_on = "critical"
  namespaces = { include = ["`+open+`"] }`),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)1 critical finding\(s\).*HRD-1001 critical Cluster: Kubernetes ` +
					regexp.QuoteMeta(strings.TrimPrefix(c.Version, "v")) + ` reached end of life`)),
			},
		},
	})
}

// clusterPostureSeed creates every bad state the checks look for.
func clusterPostureSeed(t *testing.T, cs kubernetes.Interface, open string) {
	t.Helper()
	ctx := context.Background()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	meta := func(ns, name string) metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: ns, Name: name} }
	// An unprotected namespace: no labels, no policies, no quota.
	must(cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: meta("", open)}, metav1.CreateOptions{}))
	// A pod in default; no kubelet runs, so it stays Pending.
	must(cs.CoreV1().Pods("default").Create(ctx, &corev1.Pod{ObjectMeta: meta("default", "acc-posture-pod"),
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.k8s.io/pause:3.10"}}}}, metav1.CreateOptions{}))
	clusterPostureCreateCRB(t, cs, "acc-posture-mallory", "cluster-admin", rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "mallory"})
	must(cs.RbacV1().RoleBindings(open).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: meta(open, "acc-posture-anonymous"),
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: "view"},
		Subjects: []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "system:anonymous"}}}, metav1.CreateOptions{}))
	// A fake Kubernetes Dashboard: exposed by a NodePort, its service account cluster-admin.
	const dash = "kubernetes-dashboard"
	must(cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: meta("", dash)}, metav1.CreateOptions{}))
	must(cs.CoreV1().Services(dash).Create(ctx, &corev1.Service{ObjectMeta: meta(dash, dash),
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Selector: map[string]string{"k8s-app": dash},
			Ports: []corev1.ServicePort{{Port: 443}}}}, metav1.CreateOptions{}))
	must(cs.CoreV1().ServiceAccounts(dash).Create(ctx, &corev1.ServiceAccount{ObjectMeta: meta(dash, dash)}, metav1.CreateOptions{}))
	clusterPostureCreateCRB(t, cs, "kubernetes-dashboard-admin", "cluster-admin", rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: dash, Name: dash})
}

// clusterPostureUnseed deletes the seeds and waits until their namespaces are gone.
func clusterPostureUnseed(t *testing.T, cs kubernetes.Interface, open string) {
	t.Helper()
	ctx := context.Background()
	del := func(err error) {
		t.Helper()
		if err != nil && !apierrors.IsNotFound(err) {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"acc-posture-mallory", "kubernetes-dashboard-admin", "acc-posture-anonymous-namespaces"} {
		del(cs.RbacV1().ClusterRoleBindings().Delete(ctx, name, metav1.DeleteOptions{}))
	}
	del(cs.CoreV1().Pods("default").Delete(ctx, "acc-posture-pod", metav1.DeleteOptions{GracePeriodSeconds: new(int64)}))
	for _, ns := range []string{open, "kubernetes-dashboard"} {
		del(cs.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}))
	}
	clusterPostureEventually(t, 2*time.Minute, "the seeds to be deleted", func() error {
		for _, ns := range []string{open, "kubernetes-dashboard"} {
			if _, err := cs.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				return fmt.Errorf("namespace %s still exists (%v)", ns, err)
			}
		}
		if _, err := cs.CoreV1().Pods("default").Get(ctx, "acc-posture-pod", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			return fmt.Errorf("pod default/acc-posture-pod still exists (%v)", err)
		}
		return nil
	})
}

func clusterPostureCreateCRB(t *testing.T, cs kubernetes.Interface, name, role string, subject rbacv1.Subject) {
	t.Helper()
	_, err := cs.RbacV1().ClusterRoleBindings().Create(context.Background(), &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{subject},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

// clusterPostureWaitAnonymous waits until a request without credentials gets this status: RBAC
// changes reach the authorizer through an informer, a moment after they are written.
func clusterPostureWaitAnonymous(t *testing.T, c *testcluster.Cluster, want int) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(c.CACertPEM))
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	clusterPostureEventually(t, 30*time.Second, fmt.Sprintf("anonymous requests to be answered %d", want), func() error {
		resp, err := hc.Get(c.Host + "/api/v1/namespaces?limit=1")
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			return fmt.Errorf("answered %d", resp.StatusCode)
		}
		return nil
	})
}

func clusterPostureEventually(t *testing.T, timeout time.Duration, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s: %v", timeout, what, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func testAccClusterPostureHardenedNamespace(t *testing.T, c *testcluster.Cluster, admin kubernetes.Interface) {
	const hardened, privileged, plain = "acc-posture-hardened", "acc-posture-privileged", "acc-posture-plain"
	if _, err := admin.CoreV1().Namespaces().Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: plain}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.CoreV1().Namespaces().Delete(context.Background(), plain, metav1.DeleteOptions{}) })
	plainFindings := []string{
		// The provider runs as the admin here (it applies namespaces): HRD-4004 reports it.
		"HRD-4004 failed high Provider /hardened-admin",
		"HRD-6001 failed high Namespace " + plain + "/" + plain,
		"HRD-6002 failed high Namespace " + privileged + "/" + privileged,
		"HRD-8002 unknown high Cluster /",
		"HRD-5001 failed medium Namespace " + plain + "/" + plain,
		"HRD-5002 failed medium Namespace " + plain + "/" + plain,
		"HRD-7001 failed medium Namespace " + plain + "/" + plain,
		"HRD-10001 unknown medium Cluster /",
		"HRD-7002 failed low Namespace " + plain + "/" + plain,
		"HRD-8001 failed low Cluster /",
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// depends_on makes Terraform read the data source after the namespace is applied,
			// not at plan time before it exists.
			Config: fmt.Sprintf(`
provider "hardened" {
  config_path = %q
}

resource "hardened_namespace" "test" {
  name = %q
}

# Created in the same apply: its finding proves the data source read the namespaces after
# they were applied.
resource "hardened_namespace" "privileged" {
  name         = %q
  pod_security = { enforce = "privileged" }
}

data "hardened_cluster_posture" "test" {
  as_of      = "2026-12-01"
  namespaces = { include = ["acc-posture-*"] }
  depends_on = [hardened_namespace.test, hardened_namespace.privileged]
}
`, c.AdminKubeconfig, hardened, privileged),
			ConfigStateChecks: []statecheck.StateCheck{
				// The plain namespace has every namespace finding but HRD-6002, the privileged
				// one only HRD-6002, the hardened one none.
				clusterPostureExpectFindings(plainFindings),
				clusterPostureExpectNone(hardened),
			},
		}},
	})
}

func testAccClusterPostureUnprivileged(t *testing.T, c *testcluster.Cluster, admin kubernetes.Interface) {
	kubeconfig, _, err := c.User("acc-posture-reader")
	if err != nil {
		t.Fatal(err)
	}
	clusterPostureCreateCRB(t, admin, "acc-posture-reader-view", "view", rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: "acc-posture-reader"})
	reader := clientsetFor(t, kubeconfig)
	clusterPostureEventually(t, 30*time.Second, "the reader's view binding to take effect", func() error {
		_, err := reader.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{Limit: 1})
		return err
	})
	if _, err := reader.RbacV1().ClusterRoleBindings().List(context.Background(), metav1.ListOptions{}); !apierrors.IsForbidden(err) {
		t.Fatalf("the view role should not list ClusterRoleBindings, got %v", err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: clusterPostureConfig(kubeconfig, `  as_of      = "2026-12-01"
  namespaces = { include = ["default"] }`),
			ConfigStateChecks: []statecheck.StateCheck{
				clusterPostureExpectFindings([]string{
					"HRD-4002 unknown critical Cluster /",
					"HRD-9002 unknown critical Cluster /",
					"HRD-4001 unknown high Cluster /",
					"HRD-4003 unknown high Cluster /",
					"HRD-4004 unknown high Cluster /",
					"HRD-6001 failed high Namespace default/default",
					"HRD-8002 unknown high Cluster /",
					"HRD-5001 failed medium Namespace default/default",
					"HRD-5002 failed medium Namespace default/default",
					"HRD-7001 failed medium Namespace default/default",
					"HRD-10001 unknown medium Cluster /",
					"HRD-7002 failed low Namespace default/default",
					"HRD-8001 failed low Cluster /",
				}),
				clusterPostureExpectSummary(0, 1, 3, 2, 7),
				clusterPostureExpectMessage("HRD-4001", `^Not evaluated: the provider's identity may not list ClusterRoleBindings \(403 Forbidden: .*User "acc-posture-reader" cannot list resource "clusterrolebindings"`),
				statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("server_version"), knownvalue.StringExact(c.Version)),
			},
		}},
	})
}

// clusterPostureFindings reads the findings of the data source from the state.
func clusterPostureFindings(req statecheck.CheckStateRequest) ([]map[string]any, error) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		return nil, fmt.Errorf("no state")
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != clusterPostureAddr {
			continue
		}
		raw, _ := r.AttributeValues["findings"].([]any)
		out := make([]map[string]any, 0, len(raw))
		for _, f := range raw {
			m, ok := f.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("finding %v is not an object", f)
			}
			out = append(out, m)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s not in state", clusterPostureAddr)
}

func clusterPostureKey(f map[string]any) string {
	return fmt.Sprintf("%v %v %v %v %v/%v", f["id"], f["status"], f["severity"], f["kind"], f["namespace"], f["name"])
}

type clusterPostureCheck func(findings []map[string]any) error

func (c clusterPostureCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	findings, err := clusterPostureFindings(req)
	if err == nil {
		err = c(findings)
	}
	resp.Error = err
}

// clusterPostureExpectFindings checks the exact findings, in order, as "ID status severity Kind
// namespace/name".
func clusterPostureExpectFindings(want []string) statecheck.StateCheck {
	want = withVersionFindings(want)
	return clusterPostureCheck(func(findings []map[string]any) error {
		got := make([]string, 0, len(findings))
		for _, f := range findings {
			got = append(got, clusterPostureKey(f))
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("findings:\n  got:\n    %s\n  want:\n    %s", strings.Join(got, "\n    "), strings.Join(want, "\n    "))
		}
		return nil
	})
}

// clusterPostureExpectNone checks that no finding is about the namespace.
func clusterPostureExpectNone(namespace string) statecheck.StateCheck {
	return clusterPostureCheck(func(findings []map[string]any) error {
		for _, f := range findings {
			if f["namespace"] == namespace {
				return fmt.Errorf("unexpected finding for namespace %s: %s: %v", namespace, clusterPostureKey(f), f["message"])
			}
		}
		return nil
	})
}

// clusterPostureExpectMessage checks the message of the first finding with this id.
func clusterPostureExpectMessage(id, pattern string) statecheck.StateCheck {
	re := regexp.MustCompile(pattern)
	return clusterPostureCheck(func(findings []map[string]any) error {
		for _, f := range findings {
			if f["id"] == id {
				if msg, _ := f["message"].(string); !re.MatchString(msg) {
					return fmt.Errorf("%s message %q does not match %q", id, msg, pattern)
				}
				return nil
			}
		}
		return fmt.Errorf("no %s finding", id)
	})
}

func clusterPostureExpectSummary(critical, high, medium, low, unknown int64) statecheck.StateCheck {
	for _, f := range clusterPostureVersionFindings {
		switch strings.Fields(f)[2] {
		case "critical":
			critical++
		case "high":
			high++
		case "medium":
			medium++
		case "low":
			low++
		}
	}
	return statecheck.ExpectKnownValue(clusterPostureAddr, tfjsonpath.New("summary"), knownvalue.ObjectExact(map[string]knownvalue.Check{
		"critical": knownvalue.Int64Exact(critical), "high": knownvalue.Int64Exact(high), "medium": knownvalue.Int64Exact(medium),
		"low": knownvalue.Int64Exact(low), "unknown": knownvalue.Int64Exact(unknown),
	}))
}

// clusterPostureVersionFindings are the version findings (HRD-1001..1003) of the posture test
// cluster on the tests' as_of date; none for the newest patch.
var clusterPostureVersionFindings []string

// versionFindings evaluates only the version checks for a server version on a date.
func versionFindings(t *testing.T, version, asOf string) []string {
	t.Helper()
	day, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range posture.Evaluate(posture.Snapshot{ServerVersion: version}, posture.Options{AsOf: day}) {
		if f.ID == posture.CheckVersionEndOfLife || f.ID == posture.CheckVersionMaintenance || f.ID == posture.CheckVersionPatches {
			out = append(out, fmt.Sprintf("%s %s %s %s %s/%s", f.ID, f.Status, f.Severity, f.Kind, f.Namespace, f.Name))
		}
	}
	return out
}

// withVersionFindings merges the version findings into an expected list in the data source's
// order: severity (highest first), then practice (version checks are practice 1, first).
func withVersionFindings(want []string) []string {
	rank := map[string]int{"critical": 4, "high": 3, "medium": 2, "low": 1}
	out := slices.Clone(want)
	for _, v := range clusterPostureVersionFindings {
		sev := rank[strings.Fields(v)[2]]
		i := slices.IndexFunc(out, func(w string) bool { return rank[strings.Fields(w)[2]] <= sev })
		if i < 0 {
			i = len(out)
		}
		out = slices.Insert(out, i, v)
	}
	return out
}
