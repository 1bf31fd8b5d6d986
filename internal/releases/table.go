package releases

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The release table is data, not Go literals, so refreshing it is a one-file
// review that states its own as_of date and sources.
//
//go:embed releases.json
var embeddedJSON []byte

// dateLayout is the only date format accepted in the data file and emitted in
// verdicts, so plans never depend on the machine's time zone.
const dateLayout = "2006-01-02"

// Table is the parsed release table. Treat it as read-only: Embedded returns
// a shared instance.
type Table struct {
	AsOf    time.Time // when the table was last checked against its sources
	Sources []string
	Minors  []Minor // sorted ascending, contiguous minor numbers
}

// Minor is one row of the table. Dates are UTC midnights.
type Minor struct {
	Minor                string // "1.37"
	Major, Number        int    // 1, 37
	Released             time.Time
	Maintenance          time.Time // maintenance mode (critical fixes only) starts
	EndOfLife            time.Time
	MaintenanceProjected bool // true when computed from policy, not published
	EndOfLifeProjected   bool
	LatestPatch          string    // "1.37.2"
	LatestPatchDate      time.Time // zero when unknown
}

// rawTable mirrors releases.json; dates stay strings so parse errors can name
// the offending row and field.
type rawTable struct {
	AsOf    string     `json:"as_of"`
	Sources []string   `json:"sources"`
	Policy  string     `json:"policy"`
	Minors  []rawMinor `json:"minors"`
}

type rawMinor struct {
	Minor                string `json:"minor"`
	Released             string `json:"released"`
	Maintenance          string `json:"maintenance"`
	EndOfLife            string `json:"end_of_life"`
	MaintenanceProjected bool   `json:"maintenance_projected"`
	EndOfLifeProjected   bool   `json:"end_of_life_projected"`
	LatestPatch          string `json:"latest_patch"`
	LatestPatchDate      string `json:"latest_patch_date"`
}

var embedded = sync.OnceValue(func() *Table {
	t, err := parseTable(embeddedJSON)
	if err != nil {
		// Only reachable if releases.json is edited badly; TestEmbedded
		// catches that before it can ship.
		panic("releases: embedded releases.json is invalid: " + err.Error())
	}
	return t
})

// Embedded returns the table compiled into the binary, parsed once. It panics
// only if the embedded file is broken, which a unit test rules out.
func Embedded() *Table { return embedded() }

// parseTable decodes and validates a release table. Validation is strict
// because a silently wrong row would produce confidently wrong verdicts.
func parseTable(data []byte) (*Table, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // catch typos such as "end_of_live"
	var raw rawTable
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decoding release table: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decoding release table: trailing data after the top-level object")
	}

	asOf, err := parseDate("as_of", raw.AsOf)
	if err != nil {
		return nil, err
	}
	if len(raw.Sources) == 0 {
		return nil, errors.New("release table has no sources")
	}
	for i, s := range raw.Sources {
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("release table source %d is empty", i)
		}
	}
	if strings.TrimSpace(raw.Policy) == "" {
		return nil, errors.New("release table has no policy")
	}
	if len(raw.Minors) == 0 {
		return nil, errors.New("release table has no minors")
	}

	t := &Table{AsOf: asOf, Sources: append([]string(nil), raw.Sources...)}
	for _, rm := range raw.Minors {
		m, err := parseMinor(rm, asOf)
		if err != nil {
			return nil, err
		}
		t.Minors = append(t.Minors, m)
	}

	if err := sortContiguous(t.Minors, "release table"); err != nil {
		return nil, err
	}
	for i := 1; i < len(t.Minors); i++ {
		prev, cur := t.Minors[i-1], t.Minors[i]
		if !cur.Released.After(prev.Released) {
			return nil, fmt.Errorf("release table minor %s is not released after %s", cur.Minor, prev.Minor)
		}
	}
	return t, nil
}

func parseMinor(rm rawMinor, asOf time.Time) (Minor, error) {
	v, err := ParseVersion(rm.Minor)
	if err != nil || v.HasPatch || v.Prerelease != "" || v.Metadata != "" || v.MinorString() != rm.Minor {
		return Minor{}, fmt.Errorf("release table minor %q must look like \"1.37\"", rm.Minor)
	}
	field := func(name string) string { return rm.Minor + "." + name }

	m := Minor{
		Minor:                rm.Minor,
		Major:                v.Major,
		Number:               v.Minor,
		MaintenanceProjected: rm.MaintenanceProjected,
		EndOfLifeProjected:   rm.EndOfLifeProjected,
		LatestPatch:          rm.LatestPatch,
	}
	if m.Released, err = parseDate(field("released"), rm.Released); err != nil {
		return Minor{}, err
	}
	if m.Maintenance, err = parseDate(field("maintenance"), rm.Maintenance); err != nil {
		return Minor{}, err
	}
	if m.EndOfLife, err = parseDate(field("end_of_life"), rm.EndOfLife); err != nil {
		return Minor{}, err
	}
	if rm.LatestPatchDate != "" {
		if m.LatestPatchDate, err = parseDate(field("latest_patch_date"), rm.LatestPatchDate); err != nil {
			return Minor{}, err
		}
	}

	if !m.Released.Before(m.Maintenance) || m.Maintenance.After(m.EndOfLife) {
		return Minor{}, fmt.Errorf("release table minor %s: need released < maintenance <= end_of_life", rm.Minor)
	}
	// The table only lists minors that were out when it was checked; a
	// future minor would be a guess, which is what newer_than_data is for.
	if m.Released.After(asOf) {
		return Minor{}, fmt.Errorf("release table minor %s is released after the table's as_of date", rm.Minor)
	}

	p, err := ParseVersion(rm.LatestPatch)
	if err != nil || !p.HasPatch || p.Prerelease != "" || p.Metadata != "" ||
		p.Major != m.Major || p.Minor != m.Number || p.String() != rm.LatestPatch {
		return Minor{}, fmt.Errorf("release table minor %s: latest_patch %q must look like \"%s.N\"", rm.Minor, rm.LatestPatch, rm.Minor)
	}
	if !m.LatestPatchDate.IsZero() && (m.LatestPatchDate.Before(m.Released) || m.LatestPatchDate.After(asOf)) {
		return Minor{}, fmt.Errorf("release table minor %s: latest_patch_date must be between released and as_of", rm.Minor)
	}
	return m, nil
}

func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("release table field %s is missing", field)
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("release table field %s: %q is not a YYYY-MM-DD date", field, s)
	}
	return d, nil
}

// minorLess orders (major, minor) pairs.
func minorLess(aMajor, aMinor, bMajor, bMinor int) bool {
	if aMajor != bMajor {
		return aMajor < bMajor
	}
	return aMinor < bMinor
}

// find returns the row for major.minor, or nil when it is not in the table.
func (t *Table) find(major, minor int) *Minor {
	for i := range t.Minors {
		if t.Minors[i].Major == major && t.Minors[i].Number == minor {
			return &t.Minors[i]
		}
	}
	return nil
}
