package kube

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/version"
	fakediscovery "k8s.io/client-go/discovery/fake"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/rest"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
)

// TestPostureAnonymousProbe checks that the probe sends no credentials of the provider's, trusts
// the cluster's CA, and reports the status code.
func TestPostureAnonymousProbe(t *testing.T) {
	for _, code := range []int{401, 403, 200} {
		var gotAuth, gotPath string
		var gotCert bool
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			gotAuth, gotPath = r.Header.Get("Authorization"), r.URL.Path+"?"+r.URL.RawQuery
			gotCert = r.TLS != nil && len(r.TLS.PeerCertificates) > 0
			w.WriteHeader(code)
		}))
		srv.StartTLS()
		caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		c, err := newClientFromREST(&rest.Config{Host: srv.URL + "/", BearerToken: "secret-token",
			TLSClientConfig: rest.TLSClientConfig{CAData: caPEM}}, "test")
		if err != nil {
			t.Fatal(err)
		}
		probe, reason := c.probeAnonymous(context.Background())
		srv.Close()
		if reason != "" || probe.StatusCode != code {
			t.Errorf("probe answered %d: got %+v, %q", code, probe, reason)
		}
		if gotAuth != "" || gotCert {
			t.Errorf("the probe sent credentials: Authorization %q, client certificate %t", gotAuth, gotCert)
		}
		if gotPath != "/api/v1/namespaces?limit=1" || probe.URL != srv.URL+"/api/v1/namespaces" {
			t.Errorf("probe path %q, URL %q", gotPath, probe.URL)
		}
	}

	// A server the CA does not vouch for: no answer, and the reason says so.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) }))
	defer srv.Close()
	c, err := newClientFromREST(&rest.Config{Host: srv.URL}, "test")
	if err != nil {
		t.Fatal(err)
	}
	probe, reason := c.probeAnonymous(context.Background())
	if probe.StatusCode != 0 || !strings.Contains(reason, "certificate") {
		t.Errorf("untrusted server: got %+v, %q", probe, reason)
	}
}

func TestPostureProviderFacts(t *testing.T) {
	for _, tc := range []struct {
		cfg      rest.Config
		scheme   string
		insecure bool
	}{
		{rest.Config{Host: "https://k8s.example.com:6443"}, "https", false},
		{rest.Config{Host: "https://k8s.example.com", TLSClientConfig: rest.TLSClientConfig{Insecure: true}}, "https", true},
		{rest.Config{Host: "http://k8s.example.com:8080"}, "http", false},
	} {
		c := &Client{host: tc.cfg.Host, RESTConfig: &tc.cfg}
		f := c.providerFacts()
		if f.Scheme != tc.scheme || f.Insecure != tc.insecure || f.Host != tc.cfg.Host {
			t.Errorf("%s: got %+v", tc.cfg.Host, f)
		}
	}
}

// TestReadPostureForbidden checks that a 403 on a list marks its part unknown instead of failing,
// and that the other parts are still read.
func TestReadPostureForbidden(t *testing.T) {
	cs := fake.NewClientset(
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "team-a"}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "debug", Namespace: "default"}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "default", OwnerReferences: []metav1.OwnerReference{
			{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: "1", Controller: postureTestPtr(true)}}}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "kube-apiserver-cp1", Namespace: "kube-system",
			Labels: map[string]string{"component": "kube-apiserver"}}},
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "coredns-1", Namespace: "kube-system"}},
		&rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "rb", Namespace: "team-a"}},
	)
	fd, ok := cs.Discovery().(*fakediscovery.FakeDiscovery)
	if !ok {
		t.Fatal("fake clientset without fake discovery")
	}
	fd.FakedServerVersion = &version.Info{GitVersion: "v1.37.2"}
	cs.PrependReactor("list", "clusterrolebindings", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "rbac.authorization.k8s.io", Resource: "clusterrolebindings"},
			"", postureTestErr(`User "reader" cannot list resource "clusterrolebindings"`))
	})
	cs.PrependReactor("list", "cronjobs", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewNotFound(schema.GroupResource{Group: "batch", Resource: "cronjobs"}, "")
	})
	c := &Client{Clientset: cs, host: "https://k8s.example.com"}
	s, err := c.ReadPosture(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.ServerVersion != "v1.37.2" || len(s.Namespaces) != 1 || len(s.RoleBindings) != 1 || len(s.APIServerPods) != 1 {
		t.Errorf("parts not read: %+v", s)
	}
	if got := s.Unknown[posture.PartClusterRoleBindings]; !strings.Contains(got, "may not list ClusterRoleBindings (403 Forbidden") ||
		!strings.Contains(got, `User "reader" cannot list`) {
		t.Errorf("ClusterRoleBindings reason %q", got)
	}
	if got := s.Unknown[posture.PartCronJobs]; !strings.Contains(got, "404") {
		t.Errorf("CronJobs reason %q", got)
	}
	want := map[string]bool{"Pod/debug": false, "Pod/web-1": true}
	if len(s.Workloads) != len(want) {
		t.Errorf("workloads %+v", s.Workloads)
	}
	for _, w := range s.Workloads {
		if controlled, ok := want[w.Kind+"/"+w.Name]; !ok || controlled != w.Controlled {
			t.Errorf("workload %+v", w)
		}
	}
	// No REST configuration (a client built by hand): the probe is unknown, not an error.
	if _, ok := s.Unknown[posture.PartAnonymousProbe]; !ok {
		t.Error("anonymous probe without a REST configuration should be unknown")
	}

	// Anything else than 403 and 404 fails the read.
	cs.PrependReactor("list", "services", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewInternalError(postureTestErr("etcd is down"))
	})
	if _, err := c.ReadPosture(context.Background()); err == nil || !strings.Contains(err.Error(), "cannot list Services") {
		t.Errorf("internal error: got %v", err)
	}
}

type postureTestErr string

func (e postureTestErr) Error() string { return string(e) }

func postureTestPtr[T any](v T) *T { return &v }
