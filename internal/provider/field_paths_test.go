package provider

import (
	"context"
	"testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// TestFieldErrorPathsExistInTheSchema: every path the pure core reports a hardened_namespace
// error at (hardening.Validate spells them as strings) is an attribute of the resource's schema,
// so an error never lands on a path Terraform cannot show. The specs below break every rule
// Validate has, several at once.
func TestFieldErrorPathsExistInTheSchema(t *testing.T) {
	s := func(v string) *string { return &v }
	big := int64(2_000_000_000)
	specs := []hardening.NamespaceSpec{
		{
			Name: "Bad_Name", Labels: map[string]string{"bad key!": "v"}, Annotations: map[string]string{"hardened.kubehardening.io/x": "v"},
			Environment:   "dev",
			PodSecurity:   hardening.PodSecurityInput{Enforce: s("strict"), Audit: s("x"), Warn: s("y"), Version: s("1.x")},
			ResourceQuota: map[string]string{"bad key!": "1", "pods": "1.5"},
			LimitRange:    hardening.LimitRangeInput{Default: map[string]string{"gpu": "1"}, Max: map[string]string{"cpu": "-1"}, Min: map[string]string{"memory": "x"}, DefaultRequest: map[string]string{"cpu": "y"}},
			Network: hardening.NetworkInput{AllowIngressFromNamespaces: []string{"Bad_NS"}, AllowEgressToNamespaces: []string{"Bad"},
				AllowEgressToCIDRs: []string{"999.0.0.0/8"}, AllowIngressFromCIDRs: []string{"x"}, AllowIngressPorts: []string{"99999"}, AllowEgressPorts: []string{"abc"}},
			Access:                 []hardening.AccessEntry{{Role: "", Users: []string{""}, Groups: []string{"system:masters"}, ServiceAccounts: []string{"noslash"}}, {Role: "cluster-admin", Users: []string{"a"}}},
			ImagePolicy:            &hardening.ImagePolicyInput{AllowedRegistries: []string{"https://x", "harbor"}, Action: s("Block")},
			ServicePolicy:          &hardening.ServicePolicyInput{AllowedExternalIPCIDRs: []string{"bad", "bad"}, Action: s("nope")},
			AllowedStorageClasses:  []string{"Bad Class"},
			AllowedPriorityClasses: []string{"Bad"},
			MaxPreemptingPriority:  &big,
			AllowedHostnames:       []string{"*.x.com", "single", "a.example.com", "a.example.com"},
			BreakGlassGroups:       []string{"", "system:authenticated"},
		},
		{Name: "ok", Environment: "nowhere"},
		// Past the per-attribute checks: contradictions between values.
		{Name: "ok", Environment: "dev", LimitRange: hardening.LimitRangeInput{
			Min: map[string]string{"cpu": "4"}, Max: map[string]string{"cpu": "1", "memory": "64Mi"}, Default: map[string]string{"memory": "1Gi"},
			DefaultRequest: map[string]string{"memory": "2Gi"}}},
	}
	ctx := context.Background()
	seen := map[string]bool{}
	for i, spec := range specs {
		errs := hardening.Validate(spec)
		if len(errs) == 0 {
			t.Fatalf("spec %d: no errors", i)
		}
		for _, e := range errs {
			p := fieldErrorPath(e.Path)
			seen[p.String()] = true
			if _, d := namespaceSchema.TypeAtPath(ctx, p); d.HasError() {
				t.Errorf("spec %d: %s is not an attribute of hardened_namespace: %v", i, fielderr.Error{Path: e.Path, Msg: e.Msg}, d)
			}
		}
	}
	if len(seen) < 25 {
		t.Fatalf("only %d distinct paths were reported; the specs no longer break what they should: %v", len(seen), seen)
	}
}
