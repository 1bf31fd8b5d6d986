package releases

import (
	"fmt"
	"strings"
	"time"
)

// Status values of a Verdict; see the package documentation for when each
// applies.
const (
	StatusSupported     = "supported"
	StatusMaintenance   = "maintenance"
	StatusEndOfLife     = "end_of_life"
	StatusNewerThanData = "newer_than_data"
	StatusUnreleased    = "unreleased"
)

// StaleAfterDays is how old (relative to asOf) the table may get before
// verdicts warn about it: roughly one minor release cycle (~4 months), after
// which at least one release is probably missing.
const StaleAfterDays = 122

// Verdict is the support verdict for one version on one date. It is flat and
// uses strings for dates so it maps directly onto Terraform attributes.
type Verdict struct {
	// Distribution is whose calendar judged the version: DistKubernetes or a vendor.
	Distribution           string
	Version, Minor, Status string
	Supported              bool

	ReleaseDate, MaintenanceDate, EndOfLifeDate string // "YYYY-MM-DD", "" when unknown
	DaysUntilEndOfLife                          *int64 // nil when unknown; negative when past
	// EndOfStandardSupportDate is EndOfLifeDate upstream; vendors with an extended tier end
	// standard support first. EndOfExtendedSupportDate is "" where there is no extended tier.
	EndOfStandardSupportDate, EndOfExtendedSupportDate string

	LatestPatch   string
	PatchesBehind int64
	PatchCurrent  bool

	SupportedMinors []string
	NewestMinor     string
	MinorsBehind    int64
	UpgradePath     []string

	DataAsOf string
	Message  string
	Warnings []string
}

// Verdict evaluates v against the table on asOf's UTC date. warnDays is how
// many days before end of life to start warning; <= 0 disables that warning.
func (t *Table) Verdict(v Version, asOf time.Time, warnDays int) Verdict {
	day := utcDate(asOf)
	vd := Verdict{
		Distribution:    DistKubernetes,
		Version:         v.String(),
		Minor:           v.MinorString(),
		DataAsOf:        formatDate(t.AsOf),
		SupportedMinors: []string{}, // non-nil so callers render [] rather than null
		UpgradePath:     []string{},
		Warnings:        []string{},
	}

	target := t.context(&vd, v, day)
	row := t.find(v.Major, v.Minor)
	var first, last *Minor
	if len(t.Minors) > 0 {
		first, last = &t.Minors[0], &t.Minors[len(t.Minors)-1]
	}
	label := "Kubernetes " + vd.Version
	if v.Prerelease != "" {
		label += " (pre-release)"
	}

	switch {
	case row != nil:
		t.rowVerdict(&vd, v, row, target, day, label, warnDays)
	case last == nil:
		// Only reachable with a hand-built empty Table; parseTable rejects one.
		vd.Status = StatusNewerThanData
		vd.Message = label + " cannot be checked: the release data is empty; treating it as supported."
		vd.Warnings = append(vd.Warnings, "the release data is empty")

	case minorLess(last.Major, last.Number, v.Major, v.Minor):
		if v.Prerelease != "" {
			// Pre-releases come out before the GA release, so a pre-release
			// of a minor the table has never seen is most likely unreleased.
			vd.Status = StatusUnreleased
			vd.Message = fmt.Sprintf("Kubernetes %s is a pre-release of %s, which is not released as of %s according to the release data (newest %s).",
				vd.Version, vd.Minor, formatDate(day), last.Minor)
			vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is not in the release data (newest %s, table as of %s); if it has been released, the release data is out of date",
				vd.Minor, last.Minor, vd.DataAsOf))
		} else {
			vd.Status = StatusNewerThanData
			vd.Message = fmt.Sprintf("%s is newer than the release data (newest %s, as of %s); treating it as supported.",
				label, last.Minor, vd.DataAsOf)
			vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is newer than the release data (newest %s, table as of %s); the release data may be out of date",
				vd.Minor, last.Minor, vd.DataAsOf))
		}

	default: // older than the oldest row: long past end of life, dates unknown
		vd.Status = StatusEndOfLife
		vd.UpgradePath = stepsTo(t.Minors, v, target)
		before := ""
		if first.Number-v.Minor > 1 {
			// Rows below the table are not listed, but still have to be
			// stepped through.
			before = fmt.Sprintf(" up to %d.%d, then", first.Major, first.Number-1)
		}
		vd.Message = fmt.Sprintf("%s is end of life (older than the release data, which starts at %s); %s.",
			label, first.Minor, t.upgradeAdvice(vd.UpgradePath, "upgrade one minor at a time"+before))
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is older than the release data (oldest %s); its release and end of life dates are unknown",
			vd.Minor, first.Minor))
	}

	vd.Supported = vd.Status == StatusSupported || vd.Status == StatusMaintenance || vd.Status == StatusNewerThanData

	if v.Prerelease != "" {
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is a pre-release build; run a GA release of %s", vd.Version, vd.Minor))
	}
	if daysBetween(t.AsOf, day) > StaleAfterDays {
		vd.Warnings = append(vd.Warnings, "release data may be stale: table as of "+vd.DataAsOf)
	}
	return vd
}

// context fills what the table says on day whatever the version: the supported minors, the newest
// and how far behind v is. It returns the minor to upgrade to: the oldest in full support.
func (t *Table) context(vd *Verdict, v Version, day time.Time) *Minor {
	// Table-wide context: what is out and not yet end of life on this day.
	var newest, target *Minor
	for i := range t.Minors {
		m := &t.Minors[i]
		if m.Released.After(day) {
			continue
		}
		newest = m
		if day.Before(m.EndOfLife) {
			vd.SupportedMinors = append(vd.SupportedMinors, m.Minor)
		}
		if target == nil && day.Before(m.Maintenance) {
			target = m // oldest minor still in full support
		}
	}
	if newest != nil {
		vd.NewestMinor = newest.Minor
		if newest.Major == v.Major && newest.Number > v.Minor {
			vd.MinorsBehind = int64(newest.Number - v.Minor)
		}
	}
	if target == nil {
		// Everything released is in maintenance or past end of life (the
		// table is very stale); the newest release is still the best advice.
		target = newest
	}
	return target
}

// rowVerdict is the verdict on a version whose minor the table lists.
func (t *Table) rowVerdict(vd *Verdict, v Version, row, target *Minor, day time.Time, label string, warnDays int) {
	vd.ReleaseDate = formatDate(row.Released)
	vd.MaintenanceDate = formatDate(row.Maintenance)
	vd.EndOfLifeDate = formatDate(row.EndOfLife)
	vd.EndOfStandardSupportDate = vd.EndOfLifeDate
	days := daysBetween(day, row.EndOfLife)
	vd.DaysUntilEndOfLife = &days
	vd.LatestPatch = row.LatestPatch
	if latest, err := ParseVersion(row.LatestPatch); err == nil && v.HasPatch && latest.Patch > v.Patch {
		vd.PatchesBehind = int64(latest.Patch - v.Patch)
	}
	// A pre-release precedes its GA patch, so it is never "current".
	vd.PatchCurrent = v.HasPatch && v.Prerelease == "" && vd.PatchesBehind == 0

	switch {
	case day.Before(row.Released):
		vd.Status = StatusUnreleased
	case !day.Before(row.EndOfLife):
		vd.Status = StatusEndOfLife
	case !day.Before(row.Maintenance):
		vd.Status = StatusMaintenance
	default:
		vd.Status = StatusSupported
	}
	if vd.Status == StatusEndOfLife || vd.Status == StatusMaintenance {
		vd.UpgradePath = stepsTo(t.Minors, v, target)
	}

	eol := formatDate(row.EndOfLife)
	eolNote := ""
	if row.EndOfLifeProjected {
		eolNote = "projected, "
	}
	switch vd.Status {
	case StatusUnreleased:
		vd.Message = fmt.Sprintf("%s is not released as of %s; %s is released on %s.",
			label, formatDate(day), row.Minor, formatDate(row.Released))
	case StatusEndOfLife:
		vd.Message = fmt.Sprintf("%s reached end of life on %s (%s%s); %s.",
			label, eol, eolNote, ago(-days), t.upgradeAdvice(vd.UpgradePath, "upgrade"))
	case StatusMaintenance:
		vd.Message = fmt.Sprintf("%s is in maintenance mode (critical fixes only) since %s and reaches end of life on %s (%sin %s); %s; %s.",
			label, formatDate(row.Maintenance), eol, eolNote, plural(days, "day"),
			patchClause(*vd), t.upgradeAdvice(vd.UpgradePath, "plan an upgrade"))
	default:
		until := eol
		if row.EndOfLifeProjected {
			until += " (projected)"
		}
		vd.Message = fmt.Sprintf("%s is supported until %s; %s.", label, until, patchClause(*vd))
	}
	if (vd.Status == StatusSupported || vd.Status == StatusMaintenance) && warnDays > 0 && days <= int64(warnDays) {
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s reaches end of life on %s (%s%s)", row.Minor, eol, eolNote, plural(days, "day")))
	}
}

// upgradeAdvice phrases an upgrade path: "upgrade one minor at a time
// through 1.33, 1.34, 1.35 to 1.35.8 or newer".
func (t *Table) upgradeAdvice(path []string, verb string) string {
	if len(path) == 0 {
		return "the release data has no newer minor to upgrade to and may be out of date"
	}
	if !strings.Contains(verb, "one minor at a time") {
		verb += " one minor at a time"
	}
	dest := path[len(path)-1]
	for _, m := range t.Minors {
		if m.Minor == dest {
			dest = m.LatestPatch
		}
	}
	return fmt.Sprintf("%s through %s to %s or newer", verb, strings.Join(path, ", "), dest)
}

// patchClause describes the latest patch, and how far behind v is.
func patchClause(vd Verdict) string {
	switch {
	case vd.LatestPatch == "":
		return "latest patch unknown"
	case vd.PatchesBehind > 0:
		return fmt.Sprintf("latest patch %s (%s behind)", vd.LatestPatch, plural(vd.PatchesBehind, "patch"))
	default:
		return "latest patch " + vd.LatestPatch
	}
}

func ago(days int64) string {
	if days == 0 {
		return "today"
	}
	return plural(days, "day") + " ago"
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	if strings.HasSuffix(unit, "ch") {
		return fmt.Sprintf("%d %ses", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// utcDate drops the time of day so verdicts depend on the calendar date only.
func utcDate(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween counts whole days from a to b (both UTC midnights). It uses Unix
// seconds rather than time.Duration, which saturates after ~292 years.
func daysBetween(a, b time.Time) int64 {
	return (b.Unix() - a.Unix()) / 86400
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}
