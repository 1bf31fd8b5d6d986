package tfcodec

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ProtocolDiagnostic converts a diagnostic as the framework does; ok is false for a path with
// a step other than attribute names and element keys.
func ProtocolDiagnostic(d diag.Diagnostic) (*tfprotov6.Diagnostic, bool) {
	out := &tfprotov6.Diagnostic{Summary: d.Summary(), Detail: d.Detail(), Severity: tfprotov6.DiagnosticSeverityWarning}
	if d.Severity() == diag.SeverityError {
		out.Severity = tfprotov6.DiagnosticSeverityError
	}
	wp, ok := d.(diag.DiagnosticWithPath)
	if !ok || len(wp.Path().Steps()) == 0 {
		return out, true
	}
	ap := tftypes.NewAttributePath()
	for _, step := range wp.Path().Steps() {
		switch st := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(st))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(st))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(st))
		default:
			return nil, false
		}
	}
	out.Attribute = ap
	return out, true
}

// ValueDifference says where two encoded values of typ differ, or "" when they do not.
func ValueDifference(a, b *tfprotov6.DynamicValue, typ tftypes.Type, what string) string {
	va, errA := a.Unmarshal(typ)
	vb, errB := b.Unmarshal(typ)
	if errA != nil || errB != nil {
		return "cannot decode the " + what
	}
	if va.Equal(vb) {
		return ""
	}
	if diffs, _ := va.Diff(vb); len(diffs) > 0 {
		return "the " + what + " differ at " + diffs[0].Path.String()
	}
	return "the " + what + " differ"
}
