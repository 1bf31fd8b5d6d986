package kube

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	fakediscovery "k8s.io/client-go/discovery/fake"
	"k8s.io/client-go/kubernetes/fake"
)

// What the cluster serves is asked once per group version (refresh asks for every namespace), and
// a group served in several versions counts the resources of each.
func TestServedResourcesCached(t *testing.T) {
	cs := fake.NewClientset()
	disc, ok := cs.Discovery().(*fakediscovery.FakeDiscovery)
	if !ok {
		t.Fatalf("discovery is %T", cs.Discovery())
	}
	disc.Resources = []*metav1.APIResourceList{
		{GroupVersion: "gateway.networking.k8s.io/v1", APIResources: []metav1.APIResource{{Name: "httproutes"}}},
		{GroupVersion: "gateway.networking.k8s.io/v1alpha2", APIResources: []metav1.APIResource{{Name: "tlsroutes"}}},
		{GroupVersion: "admissionregistration.k8s.io/v1", APIResources: []metav1.APIResource{{Name: "validatingadmissionpolicies"}}},
	}
	c := &Client{Clientset: cs}
	ctx := context.Background()
	for range 3 {
		got, err := c.ServedResources(ctx, "gateway.networking.k8s.io")
		if err != nil || !got["httproutes"] || !got["tlsroutes"] || got["grpcroutes"] {
			t.Fatalf("ServedResources = %v, %v", got, err)
		}
		if ok, err := c.ServesResource(ctx, "admissionregistration.k8s.io/v1", "mutatingadmissionpolicies"); ok || err != nil {
			t.Fatalf("mutatingadmissionpolicies served: %t, %v", ok, err)
		}
	}
	if n := len(disc.Actions()); n == 0 || n > 4 {
		t.Errorf("%d discovery requests for three rounds of questions, want one per group version and one group list: %v", n, disc.Actions())
	}
}
