package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/blastradius"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

func plannedObjects(t *testing.T, s hardening.NamespaceSpec) []hardening.Object {
	t.Helper()
	_, objs, err := hardening.Desired(s)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// A Service whose pods the default deny cuts off: one warning for the kind, one entry.
func TestPlanBlastRadiusWarnsPerKind(t *testing.T) {
	f := &fakeCluster{inventory: blastradius.Live{Objects: map[string][]map[string]any{
		"Pod": {{"metadata": map[string]any{"name": "web-1", "labels": map[string]any{"app": "web"}},
			"spec": map[string]any{"containers": []any{map[string]any{"name": "app", "image": "registry.example.com/web:1",
				"resources": map[string]any{"requests": map[string]any{"cpu": "100m", "memory": "64Mi"}, "limits": map[string]any{"cpu": "200m", "memory": "128Mi"}}}}}}},
		"Service": {{"metadata": map[string]any{"name": "web"}, "spec": map[string]any{"selector": map[string]any{"app": "web"}, "ports": []any{map[string]any{"port": int64(80)}}}}},
	}}}
	objs := plannedObjects(t, hardening.NamespaceSpec{Name: "team", Environment: "dev"})
	v, diags := planBlastRadius(context.Background(), f, "team", objs)
	if diags.HasError() || v.IsNull() || len(v.Elements()) != 1 {
		t.Fatalf("value %v, diags %v", v, diags)
	}
	warnings := diags.Warnings()
	if len(warnings) != 1 || !strings.Contains(warnings[0].Summary(), "Blast radius (network) in namespace team") ||
		!strings.Contains(warnings[0].Detail(), "Service/web: loses every caller from outside the namespace") {
		t.Fatalf("warnings: %v", warnings)
	}
	if calls := f.called("BlastRadiusInventory"); len(calls) != 1 || !strings.Contains(calls[0], "pod-security.kubernetes.io/enforce:baseline") {
		t.Fatalf("calls: %v (the dry run must carry the planned Pod Security labels)", calls)
	}
}

// A namespace that cannot be read gives a null blast_radius, so a check gating on it fails.
func TestPlanBlastRadiusNullWhenUnread(t *testing.T) {
	f := &fakeCluster{inventoryErr: errors.New("pods is forbidden")}
	v, diags := planBlastRadius(context.Background(), f, "team", plannedObjects(t, hardening.NamespaceSpec{Name: "team"}))
	if !v.IsNull() || len(diags.Warnings()) != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "forbidden") {
		t.Fatalf("value %v, diags %v", v, diags)
	}
}

// A plan that changes nothing reads nothing; a change reads the namespace once; a new namespace
// and an opted-out one read nothing.
func TestSetBlastRadiusReadsOnlyForChanges(t *testing.T) {
	ctx := context.Background()
	objs := plannedObjects(t, hardening.NamespaceSpec{Name: "team"})
	state := namespaceValues(t, map[string]any{"name": types.StringValue("team"), "blast_radius": types.ListValueMust(blastRadiusElemType, nil)})
	var prior namespaceModel
	if d := state.Get(ctx, &prior); d.HasError() {
		t.Fatal(d)
	}
	run := func(f *fakeCluster, prior *namespaceModel, planned namespaceModel) namespaceModel {
		t.Helper()
		r := &NamespaceResource{data: onCluster(f)}
		plan := &tfsdk.Plan{Schema: namespaceSchema, Raw: state.Raw.Copy()}
		var diags diag.Diagnostics
		r.setBlastRadius(ctx, prior, state, &planned, objs, plan, &diags)
		if diags.HasError() {
			t.Fatal(diags)
		}
		return planned
	}
	f := &fakeCluster{}
	if got := run(f, &prior, prior); len(f.called("BlastRadiusInventory")) != 0 || !got.BlastRadius.Equal(prior.BlastRadius) {
		t.Fatalf("no-op plan: calls %v, blast_radius %v", f.calls, got.BlastRadius)
	}
	changed := prior
	changed.Labels = types.MapValueMust(types.StringType, map[string]attr.Value{"team": types.StringValue("a")})
	f = &fakeCluster{}
	if got := run(f, &prior, changed); len(f.called("BlastRadiusInventory")) != 1 || got.BlastRadius.IsNull() {
		t.Fatalf("change: calls %v, blast_radius %v", f.calls, got.BlastRadius)
	}
	f = &fakeCluster{}
	if got := run(f, nil, changed); len(f.calls) != 0 || len(got.BlastRadius.Elements()) != 0 || got.BlastRadius.IsNull() {
		t.Fatalf("create: calls %v, blast_radius %v", f.calls, got.BlastRadius)
	}
	changed.ComputeBlastRadius = types.BoolValue(false)
	f = &fakeCluster{}
	if got := run(f, &prior, changed); len(f.calls) != 0 || !got.BlastRadius.IsNull() {
		t.Fatalf("opted out: calls %v, blast_radius %v", f.calls, got.BlastRadius)
	}
}
