package provider

import (
	"bytes"
	"context"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// A no-op plan of hardened_namespace cost the framework most of a large plan's provider CPU: it
// decodes configuration, proposed and prior state and walks every value of each several times,
// resolving each value's path from the schema root (about 13 ms per namespace). When the proposed
// state is the prior state, the framework's steps before ModifyPlan change nothing but defaults
// (protocol_defaults.go), so the plan is the prior state exactly when ModifyPlan keeps it and
// says nothing. The server answers such plans itself:
//   - when the configuration, the prior state and what the refresh found are those the apply that
//     wrote the state recorded (a fingerprint in private state, with the provider build), at once;
//   - otherwise (a new release, others' objects changed since) after calling ModifyPlan directly.
// Anything else, however small, takes the framework's path.

// planFingerprintKey is the private state key of the fingerprint an apply records.
const planFingerprintKey = "plan_fingerprint"

type fastPlanCount struct {
	// fingerprinted plans matched what the last apply recorded; modified ones had ModifyPlan
	// called directly.
	fingerprinted, modified atomic.Int64
}

func (s *protocolServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	fast, fingerprinted := s.unchangedPlan(ctx, req)
	if fast == nil {
		return s.ProviderServer.PlanResourceChange(ctx, req)
	}
	if s.shadow != nil {
		full, err := s.ProviderServer.PlanResourceChange(ctx, req)
		if err != nil {
			return full, err
		}
		if msg := samePlan(fast, full); msg != "" {
			full.Diagnostics = append(full.Diagnostics, shadowDifference("Fast plan differs from the full plan", msg))
			return full, nil
		}
		s.shadow.count(req, fingerprinted)
	}
	return fast, nil
}

// unchangedPlan is the answer of a plan that changes nothing, or nil when that is not proven;
// fingerprinted says it was proven by the fingerprint alone.
func (s *protocolServer) unchangedPlan(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (resp *tfprotov6.PlanResourceChangeResponse, fingerprinted bool) {
	data := s.provider.resourceData.Load()
	if req.TypeName != namespaceTypeName || !data.known() ||
		req.Config == nil || req.PriorState == nil || req.ProposedNewState == nil {
		return nil, false
	}
	private, ok := tfcodec.DecodePrivate(req.PriorPrivate)
	if !ok || private.HasFrameworkKeys() {
		return nil, false
	}
	recorded := private[planFingerprintKey]
	var values [2]tftypes.Value
	for i, dv := range []*tfprotov6.DynamicValue{req.Config, req.PriorState} {
		v, err := dv.Unmarshal(namespaceTerraformType)
		if err != nil || v.IsNull() {
			return nil, false
		}
		values[i] = v
	}
	config, prior := values[0], values[1]
	// Equal bytes are equal values, and Terraform encodes both with one deterministic msgpack
	// encoder, so an unchanged state arrives as equal bytes. Only different bytes need the value
	// comparison, which walks every value by its path from the root (a large share of this
	// function's CPU: docs/benchmarks.md has the profile figures).
	if !bytes.Equal(req.ProposedNewState.MsgPack, req.PriorState.MsgPack) || len(req.PriorState.MsgPack) == 0 {
		proposed, err := req.ProposedNewState.Unmarshal(namespaceTerraformType)
		if err != nil || !proposed.Equal(prior) {
			return nil, false
		}
	}
	unchanged := &tfprotov6.PlanResourceChangeResponse{PlannedState: req.PriorState, PlannedPrivate: req.PriorPrivate}
	if len(recorded) > 0 {
		if fp, ok := tfcodec.Fingerprint(data.fingerprintVersion, config, prior, private[othersKey], private[foreignKey]); ok && bytes.Equal(recorded, fp) {
			return unchanged, true
		}
	}
	// No apply of this build recorded these inputs (a new release, or the refresh found others'
	// objects changed): ModifyPlan decides, on the values the framework would hand it.
	if !shortcutsFit || !config.IsFullyKnown() || !tfcodec.DefaultsHold(ctx, namespaceSchema.Attributes, config, prior) {
		return nil, false
	}
	plan := tfsdk.Plan{Schema: namespaceSchema, Raw: prior.Copy()}
	var diags diag.Diagnostics
	r := &NamespaceResource{data: data}
	r.modifyPlan(ctx, tfsdk.Config{Schema: namespaceSchema, Raw: config}, tfsdk.State{Schema: namespaceSchema, Raw: prior}, private, &plan, &diags)
	if len(diags) > 0 || !plan.Raw.Equal(prior) {
		return nil, false // a change, or something to say: the framework plans it
	}
	return unchanged, false
}

// samePlan says how the full plan differs from the fast answer, or "" when it does not.
func samePlan(fast, full *tfprotov6.PlanResourceChangeResponse) string {
	if len(full.Diagnostics) > 0 {
		return "the full plan has diagnostics: " + full.Diagnostics[0].Summary + ": " + full.Diagnostics[0].Detail
	}
	if len(full.RequiresReplace) > 0 {
		return "the full plan requires replacement at " + full.RequiresReplace[0].String()
	}
	return tfcodec.ValueDifference(fast.PlannedState, full.PlannedState, namespaceTerraformType, "planned states")
}

// count records a plan answered without the framework.
func (r *shadowRecord) count(req *tfprotov6.PlanResourceChangeRequest, fingerprinted bool) {
	v, err := req.PriorState.Unmarshal(namespaceTerraformType)
	if err != nil {
		return
	}
	var attrs map[string]tftypes.Value
	var name string
	if v.As(&attrs) != nil || attrs["name"].As(&name) != nil {
		return
	}
	n, _ := r.fastPlans.LoadOrStore(name, &fastPlanCount{})
	if c, ok := n.(*fastPlanCount); ok && fingerprinted {
		c.fingerprinted.Add(1)
	} else if ok {
		c.modified.Add(1)
	}
}
