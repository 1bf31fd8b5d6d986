package provider

import (
	"context"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// stampPlanFingerprint records, after an apply, the fingerprint a later no-op plan must match.
// A failed apply records none (its state is not what was planned).
func stampPlanFingerprint(ctx context.Context, version string, config tfsdk.Config, state tfsdk.State, private interface {
	privateState
	privateWriter
}, diags *diag.Diagnostics) {
	if diags.HasError() {
		return
	}
	others, d := private.GetKey(ctx, othersKey)
	diags.Append(d...)
	foreign, d := private.GetKey(ctx, foreignKey)
	diags.Append(d...)
	fp, ok := tfcodec.Fingerprint(version, config.Raw, state.Raw, others, foreign)
	if !ok {
		fp = nil // SetKey with nothing removes an earlier fingerprint
	}
	diags.Append(private.SetKey(ctx, planFingerprintKey, fp)...)
}

// fingerprintVersion is the provider version a fingerprint holds; a development build adds its
// VCS revision, so a rebuilt provider never trusts fingerprints of another build.
func (p *HardenedProvider) fingerprintVersion() string {
	if p.version != "dev" {
		return p.version
	}
	v := p.version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" || s.Key == "vcs.time" {
				v += " " + s.Value
			}
		}
	}
	return v
}
