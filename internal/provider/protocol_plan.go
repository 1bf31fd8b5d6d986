package provider

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A no-op plan of hardened_namespace cost the framework most of a large plan's provider CPU: it
// decodes configuration, proposed and prior state and walks every value of each several times,
// resolving each value's path from the schema root (about 13 ms per namespace). When the
// configuration, the prior state and what the last refresh found are exactly those of the apply
// that wrote the state, ModifyPlan would plan that same state again. The server then answers with
// the prior state itself; any difference, however small, takes the full path.
//
// The apply records the fingerprint (planFingerprintKey in private state); a refresh that finds
// anything changed changes the state or the "others" it keeps, so the fingerprint no longer
// matches. The provider version is part of it: a new release plans every namespace in full until
// its next apply.

// planFingerprintKey is the private state key of the fingerprint an apply records.
const planFingerprintKey = "plan_fingerprint"

// fastPlans counts, per namespace, the plans answered without the framework while
// shadowFramework is set (tests read it).
var fastPlans sync.Map // name -> *atomic.Int64

func (s *protocolServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	fast := s.unchangedPlan(req)
	if fast == nil {
		return s.ProviderServer.PlanResourceChange(ctx, req)
	}
	if shadowFramework.Load() {
		full, err := s.ProviderServer.PlanResourceChange(ctx, req)
		if err != nil {
			return full, err
		}
		if msg := samePlan(fast, full); msg != "" {
			full.Diagnostics = append(full.Diagnostics, &tfprotov6.Diagnostic{
				Severity: tfprotov6.DiagnosticSeverityError,
				Summary:  "Fast plan differs from the full plan",
				Detail:   msg,
			})
			return full, nil
		}
		countFastPlan(req)
	}
	return fast, nil
}

// unchangedPlan is the answer of a plan that changes nothing, or nil when that is not proven.
func (s *protocolServer) unchangedPlan(req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeResponse {
	data := s.provider.resourceData.Load()
	if req.TypeName != namespaceTypeName || data == nil || !s.provider.clusterKnown.Load() ||
		req.Config == nil || req.PriorState == nil || req.ProposedNewState == nil {
		return nil
	}
	private, ok := decodePrivate(req.PriorPrivate)
	if !ok || private.hasFrameworkKeys() {
		return nil
	}
	recorded := private[planFingerprintKey]
	if len(recorded) == 0 {
		return nil
	}
	var values [3]tftypes.Value
	for i, dv := range []*tfprotov6.DynamicValue{req.Config, req.PriorState, req.ProposedNewState} {
		v, err := dv.Unmarshal(namespaceTerraformType)
		if err != nil || v.IsNull() {
			return nil
		}
		values[i] = v
	}
	config, prior, proposed := values[0], values[1], values[2]
	if !proposed.Equal(prior) {
		return nil
	}
	fp, ok := planFingerprint(data.fingerprintVersion, config, prior, private[othersKey], private[foreignKey])
	if !ok || !bytes.Equal(recorded, fp) {
		return nil
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.PriorState, PlannedPrivate: req.PriorPrivate}
}

// samePlan says how the full plan differs from the fast answer, or "" when it does not.
func samePlan(fast, full *tfprotov6.PlanResourceChangeResponse) string {
	if len(full.Diagnostics) > 0 {
		return "the full plan has diagnostics: " + full.Diagnostics[0].Summary + ": " + full.Diagnostics[0].Detail
	}
	if len(full.RequiresReplace) > 0 {
		return "the full plan requires replacement at " + full.RequiresReplace[0].String()
	}
	return valueDifference(fast.PlannedState, full.PlannedState, "planned states")
}

func countFastPlan(req *tfprotov6.PlanResourceChangeRequest) {
	v, err := req.PriorState.Unmarshal(namespaceTerraformType)
	if err != nil {
		return
	}
	var attrs map[string]tftypes.Value
	var name string
	if v.As(&attrs) != nil || attrs["name"].As(&name) != nil {
		return
	}
	n, _ := fastPlans.LoadOrStore(name, new(atomic.Int64))
	if c, ok := n.(*atomic.Int64); ok {
		c.Add(1)
	}
}
