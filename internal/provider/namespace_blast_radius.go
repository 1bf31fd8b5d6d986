package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/blastradius"
	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// blastRadiusTitles name the kinds of impact in warnings.
var blastRadiusTitles = map[string]string{
	blastradius.PodSecurity: "Pod Security would refuse existing pods",
	blastradius.ImagePolicy: "the image policy would refuse the next pods of existing workloads",
	blastradius.Quota:       "quota already used beyond the planned limit",
	blastradius.LimitRange:  "the LimitRange would change or refuse existing containers",
	blastradius.Network:     "Services would lose their callers",
	blastradius.Access:      "subjects would lose a role",
}

// computesBlastRadius: compute_blast_radius is on unless set false.
func (m namespaceModel) computesBlastRadius() bool {
	return m.ComputeBlastRadius.IsNull() || m.ComputeBlastRadius.IsUnknown() || m.ComputeBlastRadius.ValueBool()
}

// settledBlastRadius is blast_radius when no change is pending: empty, or null when opted out.
func (m namespaceModel) settledBlastRadius() types.List {
	if !m.computesBlastRadius() {
		return types.ListNull(blastRadiusElemType)
	}
	return types.ListValueMust(blastRadiusElemType, nil)
}

func blastRadiusValue(impacts []blastradius.Impact) (types.List, diag.Diagnostics) {
	elems := make([]attr.Value, len(impacts))
	for i, im := range impacts {
		v, d := types.ObjectValue(blastRadiusElemType.AttrTypes, map[string]attr.Value{
			"impact": types.StringValue(im.Kind), "object": types.StringValue(im.Object), "reason": types.StringValue(im.Reason)})
		if d.HasError() {
			return types.ListNull(blastRadiusElemType), d
		}
		elems[i] = v
	}
	return types.ListValue(blastRadiusElemType, elems)
}

// planBlastRadius reads the namespace as it runs and judges the planned objects against it: one
// warning per kind of impact, and the value of blast_radius. When the namespace cannot be read the
// plan says so and blast_radius is null, so a check that gates on it does not pass by accident.
func planBlastRadius(ctx context.Context, client cluster, name string, objs []hardening.Object) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	unknown := types.ListNull(blastRadiusElemType)
	psa := map[string]string{}
	for _, o := range objs {
		if o.Kind == "Namespace" {
			for k, v := range o.Labels() {
				if strings.HasPrefix(k, hardening.PodSecurityLabelPrefix) {
					psa[k] = v
				}
			}
		}
	}
	live, notes, err := client.BlastRadiusInventory(ctx, name, psa)
	if err != nil {
		diags.AddWarning("Blast radius of namespace "+name+" not computed",
			"The namespace's objects could not be read, so blast_radius is null and the plan cannot say what the change breaks: "+err.Error())
		return unknown, diags
	}
	res, err := blastradius.Judge(live, objs)
	if err != nil {
		diags.AddWarning("Blast radius of namespace "+name+" not computed", err.Error())
		return unknown, diags
	}
	notes = append(notes, res.Notes...)
	tflog.Debug(ctx, "blast radius", map[string]any{"namespace": name, "impacts": len(res.Impacts), "notes": notes})
	byKind := map[string][]blastradius.Impact{}
	for _, im := range res.Impacts {
		byKind[im.Kind] = append(byKind[im.Kind], im)
	}
	for _, kind := range blastradius.Kinds {
		if ims := byKind[kind]; len(ims) > 0 {
			diags.AddWarning(fmt.Sprintf("Blast radius (%s) in namespace %s: %s", kind, name, blastRadiusTitles[kind]),
				fmt.Sprintf("Applying this change affects %d object(s) that run in the namespace today:%s\n\n"+
					"They are listed in blast_radius. To roll out in steps, see \"Hardening namespaces that already run workloads\" in the provider's guides.",
					len(ims), blastradius.Summary(ims)))
		}
	}
	if len(notes) > 0 {
		diags.AddWarning("Blast radius of namespace "+name+" is incomplete", strings.Join(notes, "\n"))
	}
	v, d := blastRadiusValue(res.Impacts)
	diags.Append(d...)
	return v, diags
}

// settledState is the state as the next refresh leaves it: the fingerprint of a no-op plan must
// match that, not the blast radius the apply carried over from its plan.
func settledState(ctx context.Context, state tfsdk.State, m namespaceModel) tfsdk.State {
	settled := m.settledBlastRadius()
	if m.BlastRadius.Equal(settled) {
		return state
	}
	m.BlastRadius = settled
	out := tfsdk.State{Schema: state.Schema, Raw: state.Raw.Copy()}
	if d := setNamespace(ctx, &out.Raw, &m); d.HasError() {
		return state
	}
	return out
}
