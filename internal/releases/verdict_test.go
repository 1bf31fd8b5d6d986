package releases

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func days(n int64) *int64 { return &n }

func verdictFor(t *testing.T, version, asOf string, warnDays int) Verdict {
	t.Helper()
	v, err := ParseVersion(version)
	if err != nil {
		t.Fatalf("ParseVersion(%q): %v", version, err)
	}
	return Embedded().Verdict(v, date(t, asOf), warnDays)
}

// Every expected value below is written out by hand from the release table
// (day counts cross-checked with `date -u`), never computed by the code.
func TestVerdict(t *testing.T) {
	none := []string{}
	tests := []struct {
		name, version, asOf string
		status              string
		supported           bool
		eol                 string
		days                *int64
		latest              string
		behind              int64
		current             bool
		path                []string
	}{
		// The headline cases.
		{"1.34.2 on 2026-11-26", "1.34.2", "2026-11-26", StatusEndOfLife, false, "2026-10-27", days(-30), "1.34.12", 10, false, []string{"1.35"}},
		{"1.35.0 on 2026-11-26", "1.35.0", "2026-11-26", StatusSupported, true, "2027-02-28", days(94), "1.35.8", 8, false, none},
		{"1.37.2 on 2026-11-26", "1.37.2", "2026-11-26", StatusSupported, true, "2027-10-28", days(336), "1.37.2", 0, true, none},
		{"1.34.2 on 2027-01-10", "1.34.2", "2027-01-10", StatusEndOfLife, false, "2026-10-27", days(-75), "1.34.12", 10, false, []string{"1.35", "1.36"}},
		{"1.35.0 on 2027-01-10", "1.35.0", "2027-01-10", StatusMaintenance, true, "2027-02-28", days(49), "1.35.8", 8, false, []string{"1.36"}},
		{"1.37.2 on 2027-01-10", "1.37.2", "2027-01-10", StatusSupported, true, "2027-10-28", days(291), "1.37.2", 0, true, none},

		// Each minor in the table, at its latest patch, on 2026-11-26.
		{"1.25", "1.25.16", "2026-11-26", StatusEndOfLife, false, "2023-10-28", days(-1125), "1.25.16", 0, true,
			[]string{"1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.26", "1.26.15", "2026-11-26", StatusEndOfLife, false, "2024-02-28", days(-1002), "1.26.15", 0, true,
			[]string{"1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.27", "1.27.16", "2026-11-26", StatusEndOfLife, false, "2024-06-28", days(-881), "1.27.16", 0, true,
			[]string{"1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.28", "1.28.15", "2026-11-26", StatusEndOfLife, false, "2024-10-28", days(-759), "1.28.15", 0, true,
			[]string{"1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.29", "1.29.15", "2026-11-26", StatusEndOfLife, false, "2025-02-28", days(-636), "1.29.15", 0, true,
			[]string{"1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.30", "1.30.14", "2026-11-26", StatusEndOfLife, false, "2025-07-15", days(-499), "1.30.14", 0, true,
			[]string{"1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.31", "1.31.14", "2026-11-26", StatusEndOfLife, false, "2025-11-11", days(-380), "1.31.14", 0, true,
			[]string{"1.32", "1.33", "1.34", "1.35"}},
		{"1.32", "1.32.13", "2026-11-26", StatusEndOfLife, false, "2026-02-28", days(-271), "1.32.13", 0, true,
			[]string{"1.33", "1.34", "1.35"}},
		{"1.33", "1.33.13", "2026-11-26", StatusEndOfLife, false, "2026-06-28", days(-151), "1.33.13", 0, true,
			[]string{"1.34", "1.35"}},
		{"1.34", "1.34.12", "2026-11-26", StatusEndOfLife, false, "2026-10-27", days(-30), "1.34.12", 0, true, []string{"1.35"}},
		{"1.35", "1.35.8", "2026-11-26", StatusSupported, true, "2027-02-28", days(94), "1.35.8", 0, true, none},
		{"1.36", "1.36.5", "2026-11-26", StatusSupported, true, "2027-06-28", days(214), "1.36.5", 0, true, none},

		// Status boundaries of 1.36 (released 2026-04-22, maintenance 2027-04-28, EOL 2027-06-28).
		{"day before release", "1.36.0", "2026-04-21", StatusUnreleased, false, "2027-06-28", days(433), "1.36.5", 5, false, none},
		{"release day", "1.36.0", "2026-04-22", StatusSupported, true, "2027-06-28", days(432), "1.36.5", 5, false, none},
		{"day before maintenance", "1.36.5", "2027-04-27", StatusSupported, true, "2027-06-28", days(62), "1.36.5", 0, true, none},
		{"maintenance day", "1.36.5", "2027-04-28", StatusMaintenance, true, "2027-06-28", days(61), "1.36.5", 0, true, []string{"1.37"}},
		{"day before EOL", "1.36.5", "2027-06-27", StatusMaintenance, true, "2027-06-28", days(1), "1.36.5", 0, true, []string{"1.37"}},
		{"EOL day", "1.36.5", "2027-06-28", StatusEndOfLife, false, "2027-06-28", days(0), "1.36.5", 0, true, []string{"1.37"}},

		// Status boundaries of 1.34 (maintenance 2026-08-27, EOL 2026-10-27 - not on the 28th).
		{"1.34 day before maintenance", "1.34.10", "2026-08-26", StatusSupported, true, "2026-10-27", days(62), "1.34.12", 2, false, none},
		{"1.34 maintenance day", "1.34.10", "2026-08-27", StatusMaintenance, true, "2026-10-27", days(61), "1.34.12", 2, false, []string{"1.35"}},
		{"1.34 day before EOL", "1.34.12", "2026-10-26", StatusMaintenance, true, "2026-10-27", days(1), "1.34.12", 0, true, []string{"1.35"}},
		{"1.34 EOL day", "1.34.12", "2026-10-27", StatusEndOfLife, false, "2026-10-27", days(0), "1.34.12", 0, true, []string{"1.35"}},

		// Release boundary of 1.37 (released 2026-08-26).
		{"1.37 day before release", "1.37.0", "2026-08-25", StatusUnreleased, false, "2027-10-28", days(429), "1.37.2", 2, false, none},
		{"1.37 release day", "1.37.0", "2026-08-26", StatusSupported, true, "2027-10-28", days(428), "1.37.2", 2, false, none},
		{"1.37 rc before release", "v1.37.0-rc.1", "2026-08-25", StatusUnreleased, false, "2027-10-28", days(429), "1.37.2", 2, false, none},

		// Distribution suffixes are GA builds, judged like the plain version.
		{"eks", "v1.31.2-eks-7f9249a", "2026-11-26", StatusEndOfLife, false, "2025-11-11", days(-380), "1.31.14", 12, false,
			[]string{"1.32", "1.33", "1.34", "1.35"}},
		{"eks 1.32", "v1.32.3-eks-bc803b4", "2026-11-26", StatusEndOfLife, false, "2026-02-28", days(-271), "1.32.13", 10, false,
			[]string{"1.33", "1.34", "1.35"}},
		{"gke", "v1.30.4-gke.1348000", "2026-11-26", StatusEndOfLife, false, "2025-07-15", days(-499), "1.30.14", 10, false,
			[]string{"1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"k3s", "v1.29.8+k3s1", "2026-11-26", StatusEndOfLife, false, "2025-02-28", days(-636), "1.29.15", 7, false,
			[]string{"1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"rke2", "v1.35.2+rke2r1", "2026-11-26", StatusSupported, true, "2027-02-28", days(94), "1.35.8", 6, false, none},
		{"aks", "v1.28.9-aks-2024.08.1", "2026-11-26", StatusEndOfLife, false, "2024-10-28", days(-759), "1.28.15", 6, false,
			[]string{"1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"spaces", "  v1.36.5 ", "2026-11-26", StatusSupported, true, "2027-06-28", days(214), "1.36.5", 0, true, none},

		// Pre-releases: never patch-current, judged by their minor's dates.
		{"rc of EOL minor", "v1.33.0-rc.1", "2026-11-26", StatusEndOfLife, false, "2026-06-28", days(-151), "1.33.13", 13, false, []string{"1.34", "1.35"}},
		{"rc of released latest patch", "v1.37.2-rc.0", "2026-11-26", StatusSupported, true, "2027-10-28", days(336), "1.37.2", 0, false, none},

		// Versions outside the table.
		{"1.38 newer than data", "1.38.0", "2026-11-26", StatusNewerThanData, true, "", nil, "", 0, false, none},
		{"1.40 newer than data", "v1.40.1", "2027-01-10", StatusNewerThanData, true, "", nil, "", 0, false, none},
		{"1.38 alpha unreleased", "v1.38.0-alpha.1", "2026-11-26", StatusUnreleased, false, "", nil, "", 0, false, none},
		{"1.24 older than data", "1.24", "2026-11-26", StatusEndOfLife, false, "", nil, "", 0, false,
			[]string{"1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		{"1.20 older than data", "v1.20.15", "2027-01-10", StatusEndOfLife, false, "", nil, "", 0, false,
			[]string{"1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36"}},

		// Patch edge cases.
		{"no patch given", "1.36", "2026-11-26", StatusSupported, true, "2027-06-28", days(214), "1.36.5", 0, false, none},
		{"patch newer than data", "1.37.5", "2026-11-26", StatusSupported, true, "2027-10-28", days(336), "1.37.2", 0, true, none},
		{"several patches behind", "1.36.1", "2026-11-26", StatusSupported, true, "2027-06-28", days(214), "1.36.5", 4, false, none},

		// Late dates: everything in the table is past end of life.
		{"1.37 EOL day, nothing newer", "1.37.2", "2027-10-28", StatusEndOfLife, false, "2027-10-28", days(0), "1.37.2", 0, true, none},
		{"1.36 when only 1.37 is in maintenance", "1.36.5", "2027-09-01", StatusEndOfLife, false, "2027-06-28", days(-65), "1.36.5", 0, true, []string{"1.37"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := verdictFor(t, tc.version, tc.asOf, 0)
			if got.Status != tc.status || got.Supported != tc.supported {
				t.Errorf("status = %s supported = %v, want %s %v (%s)", got.Status, got.Supported, tc.status, tc.supported, got.Message)
			}
			if got.EndOfLifeDate != tc.eol {
				t.Errorf("EndOfLifeDate = %q, want %q", got.EndOfLifeDate, tc.eol)
			}
			switch {
			case tc.days == nil && got.DaysUntilEndOfLife != nil:
				t.Errorf("DaysUntilEndOfLife = %d, want nil", *got.DaysUntilEndOfLife)
			case tc.days != nil && got.DaysUntilEndOfLife == nil:
				t.Errorf("DaysUntilEndOfLife = nil, want %d", *tc.days)
			case tc.days != nil && *got.DaysUntilEndOfLife != *tc.days:
				t.Errorf("DaysUntilEndOfLife = %d, want %d", *got.DaysUntilEndOfLife, *tc.days)
			}
			if got.LatestPatch != tc.latest || got.PatchesBehind != tc.behind || got.PatchCurrent != tc.current {
				t.Errorf("patch = %q behind %d current %v, want %q %d %v",
					got.LatestPatch, got.PatchesBehind, got.PatchCurrent, tc.latest, tc.behind, tc.current)
			}
			if got.UpgradePath == nil || !slices.Equal(got.UpgradePath, tc.path) {
				t.Errorf("UpgradePath = %#v, want %#v", got.UpgradePath, tc.path)
			}
			if got.DataAsOf != "2026-11-26" {
				t.Errorf("DataAsOf = %q", got.DataAsOf)
			}
			if got.Message == "" || !strings.HasPrefix(got.Message, "Kubernetes ") {
				t.Errorf("Message = %q", got.Message)
			}
		})
	}
}

func TestVerdictContext(t *testing.T) {
	tests := []struct {
		version, asOf   string
		supportedMinors []string
		newest          string
		minorsBehind    int64
		ver, minor, rel string
		maint           string
	}{
		{"1.34.2", "2026-11-26", []string{"1.35", "1.36", "1.37"}, "1.37", 3, "1.34.2", "1.34", "2025-08-27", "2026-08-27"},
		{"1.35.0", "2027-01-10", []string{"1.35", "1.36", "1.37"}, "1.37", 2, "1.35.0", "1.35", "2025-12-17", "2026-12-28"},
		{"1.37.2", "2026-11-26", []string{"1.35", "1.36", "1.37"}, "1.37", 0, "1.37.2", "1.37", "2026-08-26", "2027-08-28"},
		// The day before 1.37 is released, 1.34 is still in maintenance.
		{"1.36.0", "2026-08-25", []string{"1.34", "1.35", "1.36"}, "1.36", 0, "1.36.0", "1.36", "2026-04-22", "2027-04-28"},
		// On release day four minors are not yet end of life.
		{"1.34.0", "2026-08-26", []string{"1.34", "1.35", "1.36", "1.37"}, "1.37", 3, "1.34.0", "1.34", "2025-08-27", "2026-08-27"},
		{"1.37.0", "2026-08-25", []string{"1.34", "1.35", "1.36"}, "1.36", 0, "1.37.0", "1.37", "2026-08-26", "2027-08-28"},
		{"1.38.0", "2026-11-26", []string{"1.35", "1.36", "1.37"}, "1.37", 0, "1.38.0", "1.38", "", ""},
		{"v1.31.2-eks-7f9249a", "2026-11-26", []string{"1.35", "1.36", "1.37"}, "1.37", 6, "1.31.2", "1.31", "2024-08-13", "2025-08-28"},
		{"1.20.1", "2026-11-26", []string{"1.35", "1.36", "1.37"}, "1.37", 17, "1.20.1", "1.20", "", ""},
		{"1.37.2", "2027-10-28", []string{}, "1.37", 0, "1.37.2", "1.37", "2026-08-26", "2027-08-28"},
		// Before the table's first release nothing is known to be out.
		{"1.25.0", "2022-08-01", []string{}, "", 0, "1.25.0", "1.25", "2022-08-23", "2023-08-28"},
	}
	for _, tc := range tests {
		t.Run(tc.version+"@"+tc.asOf, func(t *testing.T) {
			got := verdictFor(t, tc.version, tc.asOf, 0)
			if got.SupportedMinors == nil || !slices.Equal(got.SupportedMinors, tc.supportedMinors) {
				t.Errorf("SupportedMinors = %#v, want %#v", got.SupportedMinors, tc.supportedMinors)
			}
			if got.NewestMinor != tc.newest || got.MinorsBehind != tc.minorsBehind {
				t.Errorf("NewestMinor = %q MinorsBehind = %d, want %q %d", got.NewestMinor, got.MinorsBehind, tc.newest, tc.minorsBehind)
			}
			if got.Version != tc.ver || got.Minor != tc.minor || got.ReleaseDate != tc.rel || got.MaintenanceDate != tc.maint {
				t.Errorf("Version/Minor/ReleaseDate/MaintenanceDate = %q %q %q %q, want %q %q %q %q",
					got.Version, got.Minor, got.ReleaseDate, got.MaintenanceDate, tc.ver, tc.minor, tc.rel, tc.maint)
			}
		})
	}
}

func TestVerdictMessages(t *testing.T) {
	tests := []struct{ version, asOf, want string }{
		{"1.34.2", "2026-11-26", "Kubernetes 1.34.2 reached end of life on 2026-10-27 (30 days ago); upgrade one minor at a time through 1.35 to 1.35.8 or newer."},
		{"1.34.2", "2027-01-10", "Kubernetes 1.34.2 reached end of life on 2026-10-27 (75 days ago); upgrade one minor at a time through 1.35, 1.36 to 1.36.5 or newer."},
		{"1.37.2", "2026-11-26", "Kubernetes 1.37.2 is supported until 2027-10-28 (projected); latest patch 1.37.2."},
		{"1.35.0", "2026-11-26", "Kubernetes 1.35.0 is supported until 2027-02-28; latest patch 1.35.8 (8 patches behind)."},
		{"1.36.4", "2026-11-26", "Kubernetes 1.36.4 is supported until 2027-06-28; latest patch 1.36.5 (1 patch behind)."},
		{"1.35.0", "2027-01-10", "Kubernetes 1.35.0 is in maintenance mode (critical fixes only) since 2026-12-28 and reaches end of life on 2027-02-28 (in 49 days); latest patch 1.35.8 (8 patches behind); plan an upgrade one minor at a time through 1.36 to 1.36.5 or newer."},
		{"1.36.5", "2027-06-28", "Kubernetes 1.36.5 reached end of life on 2027-06-28 (today); upgrade one minor at a time through 1.37 to 1.37.2 or newer."},
		{"1.37.2", "2027-10-29", "Kubernetes 1.37.2 reached end of life on 2027-10-28 (projected, 1 day ago); the release data has no newer minor to upgrade to and may be out of date."},
		{"1.37.0", "2026-08-25", "Kubernetes 1.37.0 is not released as of 2026-08-25; 1.37 is released on 2026-08-26."},
		{"1.38.0", "2026-11-26", "Kubernetes 1.38.0 is newer than the release data (newest 1.37, as of 2026-11-26); treating it as supported."},
		{"v1.38.0-alpha.1", "2026-11-26", "Kubernetes 1.38.0-alpha.1 is a pre-release of 1.38, which is not released as of 2026-11-26 according to the release data (newest 1.37)."},
		{"v1.37.0-rc.1", "2026-11-26", "Kubernetes 1.37.0-rc.1 (pre-release) is supported until 2027-10-28 (projected); latest patch 1.37.2 (2 patches behind)."},
		{"1.22", "2026-11-26", "Kubernetes 1.22 is end of life (older than the release data, which starts at 1.25); upgrade one minor at a time up to 1.24, then through 1.25, 1.26, 1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35 to 1.35.8 or newer."},
	}
	for _, tc := range tests {
		t.Run(tc.version+"@"+tc.asOf, func(t *testing.T) {
			if got := verdictFor(t, tc.version, tc.asOf, 0).Message; got != tc.want {
				t.Errorf("Message =\n  %q\nwant\n  %q", got, tc.want)
			}
		})
	}
}

func TestVerdictWarnings(t *testing.T) {
	tests := []struct {
		name, version, asOf string
		warnDays            int
		want                []string
	}{
		{"within window", "1.35.0", "2026-11-26", 100, []string{"1.35 reaches end of life on 2027-02-28 (94 days)"}},
		{"window edge", "1.35.0", "2026-11-26", 94, []string{"1.35 reaches end of life on 2027-02-28 (94 days)"}},
		{"outside window", "1.35.0", "2026-11-26", 93, []string{}},
		{"disabled", "1.35.0", "2026-11-26", 0, []string{}},
		{"maintenance", "1.35.0", "2027-01-10", 90, []string{"1.35 reaches end of life on 2027-02-28 (49 days)"}},
		{"one day, and stale", "1.36.5", "2027-06-27", 30, []string{
			"1.36 reaches end of life on 2027-06-28 (1 day)",
			"release data may be stale: table as of 2026-11-26",
		}},
		{"projected", "1.37.2", "2026-11-26", 400, []string{"1.37 reaches end of life on 2027-10-28 (projected, 336 days)"}},
		{"already EOL is not 'reaches'", "1.34.2", "2026-11-26", 400, []string{}},
		{"not stale at 122 days", "1.37.2", "2027-03-28", 0, []string{}},
		{"stale at 123 days", "1.37.2", "2027-03-29", 0, []string{"release data may be stale: table as of 2026-11-26"}},
		{"newer than data", "1.38.0", "2026-11-26", 90, []string{"1.38 is newer than the release data (newest 1.37, table as of 2026-11-26); the release data may be out of date"}},
		{"newer than data and stale", "1.40.0", "2027-06-01", 90, []string{
			"1.40 is newer than the release data (newest 1.37, table as of 2026-11-26); the release data may be out of date",
			"release data may be stale: table as of 2026-11-26",
		}},
		{"pre-release of unknown minor", "v1.38.0-alpha.1", "2026-11-26", 90, []string{
			"1.38 is not in the release data (newest 1.37, table as of 2026-11-26); if it has been released, the release data is out of date",
			"1.38.0-alpha.1 is a pre-release build; run a GA release of 1.38",
		}},
		{"older than data", "1.24.17", "2026-11-26", 90, []string{"1.24 is older than the release data (oldest 1.25); its release and end of life dates are unknown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := verdictFor(t, tc.version, tc.asOf, tc.warnDays).Warnings
			if got == nil || !slices.Equal(got, tc.want) {
				t.Errorf("Warnings = %#v, want %#v", got, tc.want)
			}
		})
	}
}

// The verdict depends on asOf's UTC calendar date, not its time or zone.
func TestVerdictUsesUTCDate(t *testing.T) {
	v, err := ParseVersion("1.34.12")
	if err != nil {
		t.Fatal(err)
	}
	est := time.FixedZone("EST", -5*3600)
	tests := []struct {
		asOf   time.Time
		status string
		days   int64
	}{
		{time.Date(2026, 10, 26, 23, 59, 59, 0, time.UTC), StatusMaintenance, 1},
		{time.Date(2026, 10, 26, 20, 0, 0, 0, est), StatusEndOfLife, 0},  // 2026-10-27T01:00Z
		{time.Date(2026, 10, 27, 23, 0, 0, 0, est), StatusEndOfLife, -1}, // 2026-10-28T04:00Z
	}
	for _, tc := range tests {
		got := Embedded().Verdict(v, tc.asOf, 0)
		if got.Status != tc.status || got.DaysUntilEndOfLife == nil || *got.DaysUntilEndOfLife != tc.days {
			t.Errorf("Verdict at %s = %s/%v, want %s/%d", tc.asOf, got.Status, got.DaysUntilEndOfLife, tc.status, tc.days)
		}
	}
}

func TestVerdictEmptyTable(t *testing.T) {
	v, err := ParseVersion("1.37.2")
	if err != nil {
		t.Fatal(err)
	}
	got := (&Table{}).Verdict(v, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC), 90)
	if got.Status != StatusNewerThanData || !got.Supported || len(got.Warnings) == 0 {
		t.Errorf("empty table verdict = %+v", got)
	}
}
