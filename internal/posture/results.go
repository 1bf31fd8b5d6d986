package posture

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Sort orders findings by severity (highest first), then check (by practice and number), then
// namespace, name and message.
func Sort(fs []Finding) { slices.SortStableFunc(fs, compareFindings) }

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
		cmp.Compare(checksByID[a.ID].order, checksByID[b.ID].order),
		strings.Compare(a.ID, b.ID),
		strings.Compare(a.Namespace, b.Namespace),
		strings.Compare(a.Name, b.Name),
		strings.Compare(a.Kind, b.Kind),
		strings.Compare(a.Message, b.Message),
	)
}

// Summary counts failed findings per severity, and unknown findings.
type Summary struct {
	Critical, High, Medium, Low, Unknown int
}

// Summarize counts findings.
func Summarize(fs []Finding) Summary {
	var s Summary
	for _, f := range fs {
		if f.Status == StatusUnknown {
			s.Unknown++
			continue
		}
		switch f.Severity {
		case SeverityCritical:
			s.Critical++
		case SeverityHigh:
			s.High++
		case SeverityMedium:
			s.Medium++
		case SeverityLow:
			s.Low++
		}
	}
	return s
}

// Passed is true when no finding failed; unknown findings do not fail.
func Passed(fs []Finding) bool {
	return !slices.ContainsFunc(fs, func(f Finding) bool { return f.Status == StatusFailed })
}

// AtOrAbove returns the failed findings whose severity is at least threshold, in order: the ones a
// fail_on gate stops on. Unknown findings never trip it.
func AtOrAbove(fs []Finding, threshold Severity) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Status == StatusFailed && f.Severity.Rank() >= threshold.Rank() {
			out = append(out, f)
		}
	}
	return out
}

// Describe is one line naming a finding, for diagnostics: "HRD-4001 high ClusterRoleBinding
// mallory-admin: ...".
func (f Finding) Describe() string {
	obj := f.Kind
	switch {
	case f.Kind == "Namespace":
		obj += " " + f.Name
	case f.Namespace != "":
		obj += " " + f.Namespace + "/" + f.Name
	case f.Name != "":
		obj += " " + f.Name
	}
	return fmt.Sprintf("%s %s %s: %s", f.ID, f.Severity, obj, f.Message)
}
