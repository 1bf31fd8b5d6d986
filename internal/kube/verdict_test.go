package kube

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/blastradius"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

func TestVerdicts(t *testing.T) {
	_, objs, err := hardening.Desired(hardening.NamespaceSpec{Name: "team", Environment: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]*unstructured.Unstructured{}
	for _, o := range objs {
		body, err := hardening.Unstructured(o)
		if err != nil {
			t.Fatal(err)
		}
		live[o.ID()] = &unstructured.Unstructured{Object: body}
	}
	missing, drifted := "LimitRange/"+hardening.LimitRangeName, "ResourceQuota/"+hardening.ResourceQuotaName
	delete(live, missing)
	if err := unstructured.SetNestedField(live[drifted].Object, "999", "spec", "hard", "pods"); err != nil {
		t.Fatal(err)
	}
	verdicts, err := Verdicts(objs, live, []string{"NetworkPolicy/someone-elses-copy"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ObjectVerdict{}
	for _, v := range verdicts {
		got[v.ID] = v
	}
	if len(verdicts) != len(objs)+1 {
		t.Fatalf("%d verdicts for %d objects and one stale", len(verdicts), len(objs))
	}
	if got[missing].State != Missing || got[drifted].State != Drifted || got[drifted].Where == "" ||
		got["NetworkPolicy/someone-elses-copy"].State != Stale || got["Namespace/team"].State != Present {
		t.Fatalf("verdicts: %+v", verdicts)
	}
}

// Every kind the blast radius reads has an API resource.
func TestInventoryResources(t *testing.T) {
	for _, kind := range blastradius.LiveKinds {
		if inventoryResource(kind).Resource == "" {
			t.Errorf("%s has no API resource", kind)
		}
	}
}
