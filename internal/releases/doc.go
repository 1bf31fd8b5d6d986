// Package releases is the pure core of plan-time Kubernetes version-support
// verdicts: an embedded, dated release table (releases.json) and functions
// that turn a version string plus a date into a Verdict.
//
// It deliberately imports nothing from Terraform and does no network or clock
// access: the "today" date is always a parameter, so verdicts are
// reproducible in plans and tests, and the table's own as_of date tells the
// caller how fresh the data is.
//
// # Verdict semantics
//
// Dates are calendar days in UTC; asOf is reduced to its UTC date before any
// comparison, and a boundary day belongs to the later state (on the
// end_of_life date a minor is already end of life).
//
// The version's minor is looked up in the table. Its Status is:
//
//   - StatusUnreleased when asOf is before that minor's release date, or the
//     version is an alpha/beta/rc pre-release of a minor newer than the table
//     (a pre-release of a minor not yet released as of asOf);
//   - StatusEndOfLife when asOf >= end_of_life;
//   - StatusMaintenance when asOf >= maintenance;
//   - StatusSupported otherwise;
//   - StatusNewerThanData for a (non pre-release) minor newer than the newest
//     row, with a warning that the release data may be out of date;
//   - StatusEndOfLife, with unknown dates (empty strings, nil
//     DaysUntilEndOfLife), for a minor older than the oldest row; its upgrade
//     path starts at the oldest row because earlier minors are not in the data.
//
// Supported is true for supported, maintenance and newer_than_data.
//
// SupportedMinors are the minors released on or before asOf and not yet end
// of life on asOf, ascending. NewestMinor is the newest minor released on or
// before asOf, and MinorsBehind is its number minus the version's minor
// (never negative).
//
// LatestPatch is the table's latest patch for the minor. PatchesBehind is
// that patch number minus the version's patch when the version names a patch
// (otherwise 0; never negative). PatchCurrent is PatchesBehind == 0 for a
// version that names a patch, is not a pre-release, and whose minor has a
// known latest patch.
//
// UpgradePath is set for end_of_life and maintenance versions: the minors to
// step through one at a time (control planes upgrade one minor at a time) to
// reach the oldest minor whose status is supported (not maintenance) on asOf;
// if no minor is in that state, the newest released minor is the target. It is
// empty when the version is already supported.
//
// DaysUntilEndOfLife counts whole days from asOf's UTC date to end_of_life,
// negative once it has passed.
//
// Warnings are added when end of life is within warnDays (warnDays <= 0
// disables this), when the table is more than StaleAfterDays older than asOf,
// when the version is newer or older than the data, and for pre-release
// builds. Message is one human-readable line summarising the verdict.
package releases
