package releases

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Judge is the verdict for v on asOf under a distribution's calendar: the upstream table for
// "kubernetes", the vendor's calendar otherwise. An unknown distribution is an error that lists
// the valid ones.
func Judge(dist string, v Version, asOf time.Time, warnDays int) (Verdict, error) {
	if dist == DistKubernetes {
		return Embedded().Verdict(v, asOf, warnDays), nil
	}
	t := Vendor(dist)
	if t == nil {
		return Verdict{}, fmt.Errorf("unknown distribution %q: expected one of %s", dist, strings.Join(Distributions, ", "))
	}
	return t.Verdict(v, asOf, warnDays), nil
}

// Verdict judges v against the vendor's calendar on asOf's UTC date:
//
//   - unreleased before the vendor makes the minor available (and for a pre-release of a minor
//     newer than the calendar);
//   - supported until end_of_standard_support, with a warning within warnDays of it;
//   - extended_support after that and until end_of_extended_support, where the vendor has
//     one (supported, always with a warning naming the end and what the tier costs);
//   - end_of_life afterwards, and for minors older than the calendar;
//   - newer_than_data for a GA minor newer than the calendar.
//
// EndOfLifeDate is the end of all support the vendor gives (extended included). Vendors patch
// their control planes themselves, so the verdict names no latest patch. UpgradePath steps
// through the vendor's minors to the oldest one in standard support.
func (t *VendorTable) Verdict(v Version, asOf time.Time, warnDays int) Verdict {
	day := utcDate(asOf)
	vd := Verdict{
		Distribution:    t.Distribution,
		Version:         v.String(),
		Minor:           v.MinorString(),
		DataAsOf:        formatDate(t.AsOf),
		SupportedMinors: []string{},
		UpgradePath:     []string{},
		Warnings:        []string{},
	}

	target := t.context(&vd, v, day)

	label := t.Name + " " + vd.Minor
	if v.Prerelease != "" {
		label += " (pre-release " + vd.Version + ")"
	}
	first, last := &t.Minors[0], &t.Minors[len(t.Minors)-1]
	row := t.find(v.Major, v.Minor)

	switch {
	case row != nil:
		t.rowVerdict(&vd, v, row, target, day, label, warnDays)

	case minorLess(last.Major, last.Number, v.Major, v.Minor):
		if v.Prerelease != "" {
			vd.Status = StatusUnreleased
			vd.Message = fmt.Sprintf("%s is not available as of %s according to the %s calendar (newest %s).",
				label, formatDate(day), t.Name, last.Minor)
		} else {
			vd.Status = StatusNewerThanData
			vd.Message = fmt.Sprintf("%s is newer than the %s calendar (newest %s, as of %s); treating it as supported.",
				label, t.Name, last.Minor, vd.DataAsOf)
		}
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is not in the %s calendar (newest %s, as of %s); the "+
			"calendar may be out of date", vd.Minor, t.Name, last.Minor, vd.DataAsOf))

	default:
		vd.Status = StatusEndOfLife
		vd.UpgradePath = stepsTo(t.Minors, v, target)
		vd.Message = fmt.Sprintf("%s is past the end of support (older than the %s calendar, which starts at %s). %s.",
			label, t.Name, first.Minor, t.upgradeAdvice(vd.UpgradePath, "Upgrade"))
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is older than the %s calendar (oldest %s); its dates are unknown",
			vd.Minor, t.Name, first.Minor))
	}

	vd.Supported = slices.Contains([]string{StatusSupported, StatusExtendedSupport, StatusNewerThanData}, vd.Status)
	if v.Prerelease != "" {
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is a pre-release build; run a GA release of %s", vd.Version, vd.Minor))
	}
	if daysBetween(t.AsOf, day) > StaleAfterDays {
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("the %s calendar may be stale: as of %s", t.Name, vd.DataAsOf))
	}
	return vd
}

// context fills what the calendar says on day whatever the version: the supported minors, the
// newest and how far behind v is. It returns the minor to upgrade to: the oldest in standard support.
func (t *VendorTable) context(vd *Verdict, v Version, day time.Time) *VendorMinor {
	var newest, target *VendorMinor
	for i := range t.Minors {
		m := &t.Minors[i]
		if m.Released.After(day) {
			continue
		}
		newest = m
		if day.Before(m.end()) {
			vd.SupportedMinors = append(vd.SupportedMinors, m.Minor)
		}
		if target == nil && day.Before(m.EndOfStandard) {
			target = m
		}
	}
	if newest != nil {
		vd.NewestMinor = newest.Minor
		if newest.Major == v.Major && newest.Number > v.Minor {
			vd.MinorsBehind = int64(newest.Number - v.Minor)
		}
	}
	if target == nil {
		target = newest
	}
	return target
}

// rowVerdict is the verdict on a version whose minor the calendar lists.
func (t *VendorTable) rowVerdict(vd *Verdict, v Version, row, target *VendorMinor, day time.Time, label string, warnDays int) {
	vd.ReleaseDate = formatDate(row.Released)
	vd.EndOfStandardSupportDate = formatDate(row.EndOfStandard)
	vd.EndOfExtendedSupportDate = formatDate(row.EndOfExtended)
	vd.EndOfLifeDate = formatDate(row.end())
	days := daysBetween(day, row.end())
	vd.DaysUntilEndOfLife = &days
	standardDays := daysBetween(day, row.EndOfStandard)
	projected := ""
	if row.EndOfExtendedProjected {
		projected = "projected, "
	}
	extended, extendedNote := "", ""
	if !row.EndOfExtended.IsZero() {
		until := vd.EndOfExtendedSupportDate
		if row.EndOfExtendedProjected {
			until += " (projected)"
		}
		extended = "; extended support follows until " + until
		extendedNote = extended + ". " + t.ExtendedNote
	}

	switch {
	case day.Before(row.Released):
		vd.Status = StatusUnreleased
		vd.Message = fmt.Sprintf("%s is not available as of %s; %s makes it available on %s.",
			label, formatDate(day), t.Name, vd.ReleaseDate)
	case day.Before(row.EndOfStandard):
		vd.Status = StatusSupported
		vd.Message = fmt.Sprintf("%s is in standard support until %s%s.", label, vd.EndOfStandardSupportDate, extended)
		if warnDays > 0 && standardDays <= int64(warnDays) {
			vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s leaves standard support on %s (in %s)%s",
				label, vd.EndOfStandardSupportDate, plural(standardDays, "day"), extendedNote))
		}
	case !row.EndOfExtended.IsZero() && day.Before(row.EndOfExtended):
		vd.Status = StatusExtendedSupport
		vd.UpgradePath = stepsTo(t.Minors, v, target)
		vd.Message = fmt.Sprintf("%s is in extended support until %s (%sin %s); standard support ended on %s. %s. %s.",
			label, vd.EndOfExtendedSupportDate, projected, plural(days, "day"), vd.EndOfStandardSupportDate,
			t.ExtendedNote, t.upgradeAdvice(vd.UpgradePath, "Upgrade"))
		vd.Warnings = append(vd.Warnings, fmt.Sprintf("%s is in extended support, which ends on %s (%sin %s): %s",
			label, vd.EndOfExtendedSupportDate, projected, plural(days, "day"), t.ExtendedNote))
	default:
		vd.Status = StatusEndOfLife
		vd.UpgradePath = stepsTo(t.Minors, v, target)
		what := "standard support"
		if !row.EndOfExtended.IsZero() {
			what = "extended support"
		}
		vd.Message = fmt.Sprintf("%s reached the end of %s on %s (%s); %s will upgrade the control plane "+
			"itself. %s.", label, what, vd.EndOfLifeDate, ago(-days), t.Name, t.upgradeAdvice(vd.UpgradePath, "Upgrade"))
	}
}

func (t *VendorTable) upgradeAdvice(path []string, verb string) string {
	if len(path) == 0 {
		return "The " + t.Name + " calendar has no newer minor in standard support and may be out of date"
	}
	return fmt.Sprintf("%s one minor at a time through %s", verb, strings.Join(path, ", "))
}
