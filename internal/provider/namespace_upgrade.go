package provider

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

var _ resource.ResourceWithUpgradeState = &NamespaceResource{}

// UpgradeState: version 0 (0.1.0 and earlier) kept a compliance entry for every practice; version 1
// keeps the verdict and a line for each gap.
func (r *NamespaceResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: upgradeNamespaceStateV0}}
}

// complianceV0 is one entry of version 0's compliance list.
type complianceV0 struct {
	Practice  int      `json:"practice"`
	Title     string   `json:"title"`
	Satisfied bool     `json:"satisfied"`
	Detail    string   `json:"detail"`
	Checks    []string `json:"checks"`
}

func upgradeNamespaceStateV0(_ context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	fail := func(err error) {
		resp.Diagnostics.AddError("Cannot upgrade hardened_namespace state from schema version 0",
			"The stored state is not a hardened_namespace state of release 0.1.0 or earlier: "+err.Error()+
				". Remove it from the state (terraform state rm) and import the namespace again.")
	}
	if req.RawState == nil || len(req.RawState.JSON) == 0 {
		fail(errors.New("it holds no JSON"))
		return
	}
	upgraded, err := upgradeNamespaceJSONV0(req.RawState.JSON)
	if err != nil {
		fail(err)
		return
	}
	// Re-encoded as the current version's state is (passthroughUpgrade).
	b, err := tfcodec.StateJSONToMsgPack(upgraded, namespaceTerraformType)
	if err != nil {
		fail(err)
		return
	}
	resp.DynamicValue = &tfprotov6.DynamicValue{MsgPack: b}
}

// upgradeNamespaceJSONV0 rewrites version 0's compliance list as version 1's object; every other
// attribute is unchanged. compliance is computed, so one that is not a list of entries becomes null
// and the next read fills it in.
func upgradeNamespaceJSONV0(raw []byte) ([]byte, error) {
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &attrs); err != nil {
		return nil, err
	}
	old, ok := attrs["compliance"]
	if !ok || string(old) == "null" {
		return raw, nil
	}
	var entries []complianceV0
	if err := json.Unmarshal(old, &entries); err != nil {
		attrs["compliance"] = json.RawMessage("null")
		return json.Marshal(attrs)
	}
	findings := make([]hardening.Finding, len(entries))
	for i, e := range entries {
		findings[i] = hardening.Finding{Practice: e.Practice, Title: e.Title, Satisfied: e.Satisfied, Detail: e.Detail, Checks: e.Checks}
	}
	gaps := hardening.Gaps(findings)
	b, err := json.Marshal(map[string]any{"satisfied": len(gaps) == 0, "gaps": gaps})
	if err != nil {
		return nil, err
	}
	attrs["compliance"] = b
	return json.Marshal(attrs)
}
