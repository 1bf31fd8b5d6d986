package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/tfcodec"
)

// complianceValue is the compliance attribute of the findings: the verdict and one line per
// finding not satisfied. Satisfied findings are left out: their details repeat attributes the
// state already holds and their checks are fixed per practice, while every value in a state is
// paid for in every plan (Terraform core copies, encodes and compares each one per instance).
func complianceValue(findings []hardening.Finding) (types.Object, diag.Diagnostics) {
	gaps := hardening.Gaps(findings)
	list, diags := tfcodec.StringList(gaps)
	obj, d := types.ObjectValue(complianceAttrTypes, map[string]attr.Value{
		"satisfied": types.BoolValue(len(gaps) == 0), "gaps": list,
	})
	diags.Append(d...)
	return obj, diags
}
