package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/provider"
)

func TestEcho(t *testing.T) {
	ctx := context.Background()
	e, err := newEcho()
	if err != nil {
		t.Fatal(err)
	}
	full, err := provider.NewProtocol6("test")().GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := e.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if len(got.ResourceSchemas) != 1 || !reflect.DeepEqual(got.ResourceSchemas[typeName], full.ResourceSchemas[ours]) {
		t.Fatalf("echo_namespace's schema is not hardened_namespace's")
	}

	// A current state, upgraded: msgpack of the same value, not the JSON handed back.
	var attrs map[string]any
	b, err := os.ReadFile("../../../provider/testdata/namespace_state_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &attrs); err != nil {
		t.Fatal(err)
	}
	delete(attrs, "legacy_attribute") // removed by a later read, not by the upgrade
	raw, _ := json.Marshal(attrs)
	up, err := e.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: typeName,
		Version: full.ResourceSchemas[ours].Version, RawState: &tfprotov6.RawState{JSON: raw}})
	if err != nil || len(up.Diagnostics) > 0 || up.UpgradedState == nil || len(up.UpgradedState.MsgPack) == 0 {
		t.Fatalf("upgrade: %+v, %v", up, err)
	}
	ty := full.ResourceSchemas[ours].ValueType()
	v, err := up.UpgradedState.Unmarshal(ty)
	if err != nil {
		t.Fatal(err)
	}
	var vals map[string]tftypes.Value
	if err := v.As(&vals); err != nil {
		t.Fatal(err)
	}
	var name string
	if err := vals["name"].As(&name); err != nil || name != attrs["name"] {
		t.Errorf("upgraded name %q, want %v", name, attrs["name"])
	}

	// Read and plan hand the state back unchanged.
	state := up.UpgradedState
	read, _ := e.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: state, Private: []byte("p")})
	if read.NewState != state || string(read.Private) != "p" {
		t.Errorf("read changed the state")
	}
	plan, _ := e.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, PriorState: state, ProposedNewState: state, PriorPrivate: []byte("p")})
	if plan.PlannedState != state || string(plan.PlannedPrivate) != "p" || len(plan.Diagnostics) > 0 {
		t.Errorf("plan: %+v", plan)
	}

	// Creating and destroying are refused, not planned.
	null, err := tfprotov6.NewDynamicValue(ty, tftypes.NewValue(ty, nil))
	if err != nil || !bytes.Equal(null.MsgPack, []byte{0xc0}) {
		t.Fatalf("null %v, %v", null.MsgPack, err)
	}
	for what, req := range map[string]*tfprotov6.PlanResourceChangeRequest{
		"create":  {TypeName: typeName, PriorState: &null, ProposedNewState: state},
		"destroy": {TypeName: typeName, PriorState: state, ProposedNewState: &null},
	} {
		if resp, _ := e.PlanResourceChange(ctx, req); len(resp.Diagnostics) != 1 || resp.PlannedState != nil {
			t.Errorf("%s: %+v", what, resp)
		}
	}
}
