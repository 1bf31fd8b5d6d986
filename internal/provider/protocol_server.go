package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// The provider's protocol server is the framework's, with three calls of hardened_namespace
// answered without the framework's conversions where they cannot change the answer: the state
// upgrade of a current state (here), the read (protocol_read.go) and the plan that changes
// nothing (protocol_plan.go). Together they were about 80% of the provider's CPU in a no-op plan
// of many namespaces: the framework walks every value of a state several times per call,
// resolving each value's path from the schema root.

// namespaceTypeName is hardened_namespace's name in the protocol.
const namespaceTypeName = "hardened_namespace"

// namespaceTerraformType is hardened_namespace's value type, for decoding protocol values.
var namespaceTerraformType = namespaceSchema.Type().TerraformType(context.Background())

// shortcutsFit: hardened_namespace's schema has nothing the shortcuts cannot handle.
// TestNamespaceSchemaFitsTheShortcuts fails when it outgrows them; until that is mended, the
// framework answers every call.
var shortcutsFit = len(tfcodec.Unsupported(namespaceSchema)) == 0

// ServerOption changes how the server of NewProtocol6 answers; the acceptance tests use one.
type ServerOption func(*protocolServer)

// shadowRecord, given to a server with withShadow, makes every answer given without the framework
// also be asked of the framework and compared: a difference is an error diagnostic on that call.
// The acceptance tests give one to every server, so every refresh, upgrade and no-op plan they
// make checks the short path; it counts, per namespace, the plans answered without the framework.
type shadowRecord struct {
	fastPlans sync.Map // name -> *fastPlanCount
}

func withShadow(r *shadowRecord) ServerOption { return func(s *protocolServer) { s.shadow = r } }

// NewProtocol6 serves the provider over protocol 6 (see above).
func NewProtocol6(version string, opts ...ServerOption) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := &HardenedProvider{version: version}
		s := &protocolServer{ProviderServer: providerserver.NewProtocol6(p)(), provider: p}
		for _, o := range opts {
			o(s)
		}
		return s
	}
}

type protocolServer struct {
	tfprotov6.ProviderServer
	provider *HardenedProvider
	shadow   *shadowRecord // nil outside the acceptance tests
}

// UpgradeResourceState of a state written with the current schema version only re-encodes it.
// The framework does that too, after walking every value for collection blocks, which
// hardened_namespace does not have; this skips the walk.
func (s *protocolServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	fast := passthroughUpgrade(req)
	if fast == nil {
		return s.ProviderServer.UpgradeResourceState(ctx, req)
	}
	if s.shadow != nil {
		full, err := s.ProviderServer.UpgradeResourceState(ctx, req)
		if err != nil || len(full.Diagnostics) > 0 || full.UpgradedState == nil {
			return full, err
		}
		if msg := tfcodec.ValueDifference(fast.UpgradedState, full.UpgradedState, namespaceTerraformType, "upgraded states"); msg != "" {
			full.Diagnostics = append(full.Diagnostics, shadowDifference("Fast state upgrade differs from the framework's", msg))
			return full, nil
		}
	}
	return fast, nil
}

func passthroughUpgrade(req *tfprotov6.UpgradeResourceStateRequest) *tfprotov6.UpgradeResourceStateResponse {
	if req.TypeName != namespaceTypeName || req.Version != namespaceSchema.Version || req.RawState == nil ||
		len(req.RawState.JSON) == 0 || !shortcutsFit {
		return nil
	}
	b, err := tfcodec.StateJSONToMsgPack(req.RawState.JSON, namespaceTerraformType)
	if err != nil {
		return nil // the framework reports it
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &tfprotov6.DynamicValue{MsgPack: b}}
}

// shadowDifference is the error a call gets when the shadow check found the short answer differ.
func shadowDifference(summary, detail string) *tfprotov6.Diagnostic {
	return &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: summary, Detail: detail}
}
