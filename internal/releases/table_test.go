package releases

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatalf("bad test date %q: %v", s, err)
	}
	return d
}

func TestEmbedded(t *testing.T) {
	tbl := Embedded()
	if tbl == nil {
		t.Fatal("Embedded() = nil")
	}
	if Embedded() != tbl {
		t.Error("Embedded() should parse once and return the same table")
	}
	if got := tbl.AsOf.Format(dateLayout); got != "2026-11-26" {
		t.Errorf("AsOf = %s, want 2026-11-26", got)
	}
	for _, want := range []string{"https://endoflife.date/kubernetes", "https://endoflife.date/api/kubernetes.json"} {
		if !slices.Contains(tbl.Sources, want) {
			t.Errorf("Sources %v missing %s", tbl.Sources, want)
		}
	}

	var names []string
	for _, m := range tbl.Minors {
		names = append(names, m.Minor)
	}
	want := []string{"1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.37"}
	if !slices.Equal(names, want) {
		t.Fatalf("minors = %v, want %v", names, want)
	}

	for i, m := range tbl.Minors {
		if i > 0 && !minorLess(tbl.Minors[i-1].Major, tbl.Minors[i-1].Number, m.Major, m.Number) {
			t.Errorf("minors not sorted ascending at %s", m.Minor)
		}
		if !m.Released.Before(m.Maintenance) || m.Maintenance.After(m.EndOfLife) {
			t.Errorf("%s: want released < maintenance <= end_of_life, got %s %s %s", m.Minor,
				m.Released.Format(dateLayout), m.Maintenance.Format(dateLayout), m.EndOfLife.Format(dateLayout))
		}
		if m.Released.After(tbl.AsOf) {
			t.Errorf("%s released after the table's as_of", m.Minor)
		}
		if !strings.HasPrefix(m.LatestPatch, m.Minor+".") {
			t.Errorf("%s: latest patch %q is not a patch of it", m.Minor, m.LatestPatch)
		}
		projected := m.Minor == "1.37"
		if m.MaintenanceProjected != projected || m.EndOfLifeProjected != projected {
			t.Errorf("%s: projected = %v/%v, want %v", m.Minor, m.MaintenanceProjected, m.EndOfLifeProjected, projected)
		}
	}

	// One row checked field by field against the published data.
	m34 := tbl.find(1, 34)
	want34 := Minor{
		Minor: "1.34", Major: 1, Number: 34,
		Released: date(t, "2025-08-27"), Maintenance: date(t, "2026-08-27"), EndOfLife: date(t, "2026-10-27"),
		LatestPatch: "1.34.12", LatestPatchDate: date(t, "2026-09-23"),
	}
	if m34 == nil || *m34 != want34 {
		t.Errorf("1.34 row = %+v, want %+v", m34, want34)
	}
	if m25 := tbl.find(1, 25); m25 == nil || !m25.LatestPatchDate.IsZero() || m25.LatestPatch != "1.25.16" {
		t.Errorf("1.25 row = %+v, want latest 1.25.16 without a patch date", m25)
	}
}

func TestParseTableRejects(t *testing.T) {
	const head = `{"as_of":"2026-11-26","sources":["x"],"policy":"p","minors":[`
	row := func(minor, rel, maint, eol, patch string) string {
		return `{"minor":"` + minor + `","released":"` + rel + `","maintenance":"` + maint +
			`","end_of_life":"` + eol + `","latest_patch":"` + patch + `"}`
	}
	ok35 := row("1.35", "2025-12-17", "2026-12-28", "2027-02-28", "1.35.8")
	ok36 := row("1.36", "2026-04-22", "2027-04-28", "2027-06-28", "1.36.5")

	if _, err := parseTable([]byte(head + ok35 + "," + ok36 + "]}")); err != nil {
		t.Fatalf("minimal valid table rejected: %v", err)
	}
	// Rows may be listed in any order; the parser sorts them.
	if tbl, err := parseTable([]byte(head + ok36 + "," + ok35 + "]}")); err != nil || tbl.Minors[0].Minor != "1.35" {
		t.Fatalf("unsorted table: %v", err)
	}

	tests := []struct{ name, json, want string }{
		{"not json", `{`, "decoding"},
		{"trailing data", head + ok35 + "]} {}", "trailing data"},
		{"unknown field", `{"as_of":"2026-11-26","sources":["x"],"policy":"p","minors":[],"extra":1}`, "unknown field"},
		{"missing as_of", `{"sources":["x"],"policy":"p","minors":[` + ok35 + `]}`, "as_of is missing"},
		{"bad as_of", `{"as_of":"26/11/2026","sources":["x"],"policy":"p","minors":[` + ok35 + `]}`, "not a YYYY-MM-DD date"},
		{"no sources", `{"as_of":"2026-11-26","sources":[],"policy":"p","minors":[` + ok35 + `]}`, "no sources"},
		{"no policy", `{"as_of":"2026-11-26","sources":["x"],"policy":" ","minors":[` + ok35 + `]}`, "no policy"},
		{"no minors", head + "]}", "no minors"},
		{"bad minor", head + row("1.35.0", "2025-12-17", "2026-12-28", "2027-02-28", "1.35.8") + "]}", "must look like"},
		{"gap", head + ok35 + "," + row("1.37", "2026-08-26", "2027-08-28", "2027-10-28", "1.37.2") + "]}", "contiguous"},
		{"duplicate", head + ok35 + "," + ok35 + "]}", "contiguous"},
		{"maintenance after eol", head + row("1.35", "2025-12-17", "2027-03-28", "2027-02-28", "1.35.8") + "]}", "released < maintenance <= end_of_life"},
		{"released not before maintenance", head + row("1.35", "2026-12-28", "2026-12-28", "2027-02-28", "1.35.8") + "]}", "released < maintenance"},
		{"released after as_of", head + row("1.38", "2026-12-17", "2027-12-28", "2028-02-28", "1.38.0") + "]}", "after the table's as_of"},
		{"patch of other minor", head + row("1.35", "2025-12-17", "2026-12-28", "2027-02-28", "1.34.8") + "]}", "latest_patch"},
		{"patch without number", head + row("1.35", "2025-12-17", "2026-12-28", "2027-02-28", "1.35") + "]}", "latest_patch"},
		{"patch date after as_of", head + `{"minor":"1.35","released":"2025-12-17","maintenance":"2026-12-28","end_of_life":"2027-02-28","latest_patch":"1.35.8","latest_patch_date":"2026-12-01"}]}`, "latest_patch_date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTable([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseTable error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
