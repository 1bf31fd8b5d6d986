package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// startDedicatedCluster gives a fault test its own control plane, so stopping components does
// not disturb the tests sharing the package cluster.
func startDedicatedCluster(t *testing.T) *testcluster.Cluster {
	t.Helper()
	testAccPreCheck(t)
	c, err := testcluster.Start(context.Background(), testcluster.Options{Version: os.Getenv("HARDENED_TEST_K8S_VERSION"), Log: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

// TestAccNamespace_faultAPIServerStopsMidApply: the API server goes away while an apply of
// several namespaces waits; the apply fails with a clear error, and once the server is back the
// next apply converges with every object in place and nothing orphaned.
func TestAccNamespace_faultAPIServerStopsMidApply(t *testing.T) {
	testAccPreCheck(t)
	c := startDedicatedCluster(t)
	prefix := acctest.RandomWithPrefix("acc-fault")
	names := []string{prefix + "-0", prefix + "-1", prefix + "-2"}
	config := fmt.Sprintf(`
provider "hardened" {
  config_path = %q
}
resource "hardened_namespace" "ns" {
  count    = 3
  name     = format("%s-%%d", count.index)
  timeouts = { create = "90s" }
}
`, c.AdminKubeconfig, prefix)
	cs := clientsetFor(t, c.AdminKubeconfig)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			for _, n := range names {
				if _, err := cs.CoreV1().Namespaces().Get(context.Background(), n, metav1.GetOptions{}); err == nil {
					return fmt.Errorf("namespace %s left behind", n)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// Without the controller manager no default ServiceAccount appears, so the apply
				// waits after creating the namespaces; then the API server stops.
				PreConfig: func() {
					if err := c.StopControllerManager(); err != nil {
						t.Fatal(err)
					}
					go func() {
						for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
							list, err := cs.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/managed-by=terraform-provider-hardened"})
							if err == nil && len(list.Items) == len(names) {
								break
							}
						}
						_ = c.StopAPIServer()
					}()
				},
				Config:      config,
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)cannot reach the Kubernetes API server`)),
			},
			{
				PreConfig: func() {
					if err := c.StartAPIServer(context.Background()); err != nil {
						t.Fatal(err)
					}
					if err := c.StartControllerManager(); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					for _, n := range names {
						nps, err := cs.NetworkingV1().NetworkPolicies(n).List(context.Background(), metav1.ListOptions{})
						if err != nil {
							return err
						}
						if len(nps.Items) != 3 {
							return fmt.Errorf("namespace %s has %d NetworkPolicies after recovery, want 3", n, len(nps.Items))
						}
						sa, err := cs.CoreV1().ServiceAccounts(n).Get(context.Background(), "default", metav1.GetOptions{})
						if err != nil || sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
							return fmt.Errorf("namespace %s default ServiceAccount not hardened after recovery: %v", n, err)
						}
					}
					return nil
				},
			},
		},
	})
}

// faultProxy is a TLS reverse proxy in front of the API server that answers the first `fail`
// requests with status (and Retry-After when retryAfter is set).
func faultProxy(t *testing.T, c *testcluster.Cluster, fail int64, status int, retryAfter bool) (string, *atomic.Int64) {
	t.Helper()
	var seen atomic.Int64
	host := tlsProxy(t, c, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if seen.Add(1) <= fail {
				if retryAfter {
					w.Header().Set("Retry-After", "1")
				}
				writeStatus(w, status)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	return host, &seen
}

// writeStatus answers with a Kubernetes Status error of the given code.
func writeStatus(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected %d","code":%d}`, status, status)
}

// tlsProxy serves wrap(the API server) over TLS on loopback, with a certificate from the
// cluster's CA, and returns its address.
func tlsProxy(t *testing.T, c *testcluster.Cluster, wrap func(next http.Handler) http.Handler) string {
	t.Helper()
	kp, err := c.IssueServingCert("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair(kp.CertPEM, kp.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(c.Host)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(c.CACertPEM))
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: wrap(rp), TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.ServeTLS(ln, "", "") }()
	t.Cleanup(func() { _ = srv.Close() })
	return "https://" + ln.Addr().String()
}

// TestAccNamespace_faultThrottledAndFailingServer: persistent 500s end in an error that says what
// the server answered (and nothing is created); 429 with Retry-After is retried and the apply
// succeeds.
func TestAccNamespace_faultThrottledAndFailingServer(t *testing.T) {
	testAccPreCheck(t)
	throttled, seen := faultProxy(t, testCluster, 4, http.StatusTooManyRequests, true)
	failing, _ := faultProxy(t, testCluster, 1<<30, http.StatusInternalServerError, false)
	cfg := func(host, name string) string {
		return fmt.Sprintf(`
provider "hardened" {
  host                   = %q
  token                  = %q
  cluster_ca_certificate = %q
}
`, host, testCluster.AdminToken, testCluster.CACertPEM) + testAccNamespaceConfig(name, "")
	}
	name := acctest.RandomWithPrefix("acc-429")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config:      cfg(failing, acctest.RandomWithPrefix("acc-500")),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)injected 500`)),
			},
			{
				Config: cfg(throttled, name),
				Check: func(*terraform.State) error {
					if seen.Load() <= 4 {
						return fmt.Errorf("the proxy saw %d requests: the 429s were not retried", seen.Load())
					}
					return testAccCheckPodSecurityEnforced(t, name)(nil)
				},
			},
		},
	})
}

// TestAccNamespace_faultTransientErrorDuringDestroyWait: while destroy waits for the namespace to
// go, the API server answers 503 three times (no Retry-After, so client-go does not retry them
// itself); the wait retries until its timeout instead of failing the destroy on the first one.
func TestAccNamespace_faultTransientErrorDuringDestroyWait(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-503")
	var deleted atomic.Bool
	var injected atomic.Int64
	nsPath := "/api/v1/namespaces/" + name
	host := tlsProxy(t, testCluster, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodDelete && r.URL.Path == nsPath {
				deleted.Store(true)
			} else if deleted.Load() && r.Method == http.MethodGet && r.URL.Path == nsPath && injected.Add(1) <= 3 {
				writeStatus(w, http.StatusServiceUnavailable)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	cfg := fmt.Sprintf(`
provider "hardened" {
  host                   = %q
  token                  = %q
  cluster_ca_certificate = %q
}
`, host, testCluster.AdminToken, testCluster.CACertPEM) + testAccNamespaceConfig(name, "")
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			if injected.Load() < 3 {
				return fmt.Errorf("only %d 503s were injected during the destroy wait: the case under test did not happen", injected.Load())
			}
			return testAccCheckNamespacesGone(t, name)(s)
		},
		Steps: []resource.TestStep{{Config: cfg}},
	})
}
