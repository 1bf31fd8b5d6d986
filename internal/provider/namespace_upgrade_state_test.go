package provider

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// upgradeV0 asks the provider server, as Terraform does, to upgrade a version 0 state.
func upgradeV0(t *testing.T, raw []byte) *tfprotov6.UpgradeResourceStateResponse {
	t.Helper()
	srv := NewProtocol6("test")()
	resp, err := srv.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: namespaceTypeName, Version: 0, RawState: &tfprotov6.RawState{JSON: raw}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestUpgradeState_v0Compliance: a version 0 state (compliance as one entry per practice, as 0.1.0
// wrote it) becomes the current state: the verdict, a gap line for each unsatisfied entry, every
// other attribute as it was (testdata/namespace_state_v1.json is the v0 file rewritten by hand).
func TestUpgradeState_v0Compliance(t *testing.T) {
	v0, err := os.ReadFile("testdata/namespace_state_v0.json")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := os.ReadFile("testdata/namespace_state_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	resp := upgradeV0(t, v0)
	if len(resp.Diagnostics) > 0 || resp.UpgradedState == nil {
		t.Fatalf("upgrade failed: %v", resp.Diagnostics)
	}
	got, err := resp.UpgradedState.Unmarshal(namespaceTerraformType)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tftypes.ValueFromJSONWithOpts(v1, namespaceTerraformType, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) {
		diffs, _ := got.Diff(want)
		t.Fatalf("upgraded state differs from testdata/namespace_state_v1.json: %v", diffs)
	}
}

func TestUpgradeState_v0ComplianceCases(t *testing.T) {
	entry := func(practice int, satisfied bool, title, detail string) string {
		s := `{"practice":` + strconv.Itoa(practice) + `,"title":"` + title + `","detail":"` + detail + `","checks":["CIS 5.3.2"],"satisfied":`
		if satisfied {
			return s + `true}`
		}
		return s + `false}`
	}
	for name, tc := range map[string]struct {
		compliance string
		want       string // compliance as the upgraded state's JSON, or "error: ..."
	}{
		"all satisfied": {`[` + entry(5, true, "Network", "deny") + `]`, `{"gaps":[],"satisfied":true}`},
		"gaps in order": {`[` + entry(2, false, "Images", "none") + `,` + entry(4, true, "RBAC", "ok") + `,` + entry(5, false, "Network", "open") + `]`,
			`{"gaps":["practice 2 (Images): none [CIS 5.3.2]","practice 5 (Network): open [CIS 5.3.2]"],"satisfied":false}`},
		"null":   {`null`, `null`},
		"absent": {``, `null`},
		// compliance is computed: one the upgrade cannot read is left for the next read to fill.
		"an object":        {`{"satisfied":true}`, `null`},
		"a string":         {`"x"`, `null`},
		"not a state":      {`-`, `error: Cannot upgrade hardened_namespace state from schema version 0`},
		"state not object": {`!`, `error: Cannot upgrade hardened_namespace state from schema version 0`},
	} {
		t.Run(name, func(t *testing.T) {
			raw := `{"id":"a","name":"a"}`
			switch tc.compliance {
			case "":
			case "-":
				raw = `{"id":"a",` // not JSON
			case "!":
				raw = `["id","a"]` // JSON, not an object
			default:
				raw = `{"id":"a","name":"a","compliance":` + tc.compliance + `}`
			}
			resp := upgradeV0(t, []byte(raw))
			if want, isErr := strings.CutPrefix(tc.want, "error: "); isErr {
				if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != want || !strings.Contains(resp.Diagnostics[0].Detail, "terraform state rm") {
					t.Fatalf("want one error %q saying what to do, got %v", want, resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) > 0 {
				t.Fatalf("upgrade failed: %v", resp.Diagnostics[0])
			}
			v, err := resp.UpgradedState.Unmarshal(namespaceTerraformType)
			if err != nil {
				t.Fatal(err)
			}
			attrs := map[string]tftypes.Value{}
			if err := v.As(&attrs); err != nil {
				t.Fatal(err)
			}
			obj, ok := namespaceTerraformType.(tftypes.Object)
			if !ok {
				t.Fatal("hardened_namespace is not an object type")
			}
			want, err := tftypes.ValueFromJSONWithOpts([]byte(tc.want), obj.AttributeTypes["compliance"], tftypes.ValueFromJSONOpts{})
			if err != nil {
				t.Fatal(err)
			}
			if !attrs["compliance"].Equal(want) {
				t.Fatalf("compliance = %v, want %v", attrs["compliance"], want)
			}
			if !attrs["name"].Equal(tftypes.NewValue(tftypes.String, "a")) {
				t.Fatalf("name = %v, want it kept", attrs["name"])
			}
		})
	}
}

// TestUpgradeState_v1From02: a state release 0.2 wrote (schema version 1, before
// break_glass_groups) upgrades as it is, the new attribute null.
func TestUpgradeState_v1From02(t *testing.T) {
	v1, err := os.ReadFile("testdata/namespace_state_v1.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(v1), "break_glass_groups") {
		t.Fatal("testdata/namespace_state_v1.json should be what 0.2 wrote, without break_glass_groups")
	}
	srv := NewProtocol6("test")()
	resp, err := srv.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: namespaceTypeName, Version: 1, RawState: &tfprotov6.RawState{JSON: v1}})
	if err != nil || len(resp.Diagnostics) > 0 || resp.UpgradedState == nil {
		t.Fatalf("upgrade failed: %v %v", err, resp.Diagnostics)
	}
	got, err := resp.UpgradedState.Unmarshal(namespaceTerraformType)
	if err != nil {
		t.Fatal(err)
	}
	attrs := map[string]tftypes.Value{}
	if err := got.As(&attrs); err != nil {
		t.Fatal(err)
	}
	if bg, ok := attrs["break_glass_groups"]; !ok || !bg.IsNull() {
		t.Fatalf("break_glass_groups = %v, want null", bg)
	}
	want, err := tftypes.ValueFromJSONWithOpts(v1, namespaceTerraformType, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) {
		diffs, _ := got.Diff(want)
		t.Fatalf("upgraded state differs from what 0.2 wrote: %v", diffs)
	}
}
