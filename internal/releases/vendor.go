package releases

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Distributions whose support calendars the provider carries. Kubernetes is the upstream
// calendar (releases.json); the others are managed services that patch the control plane
// themselves and support minors on their own dates, some with a paid or limited extended tier.
const (
	DistKubernetes = "kubernetes"
	DistEKS        = "eks"
	DistGKE        = "gke"
	DistAKS        = "aks"
)

// Distributions lists the accepted distribution names, upstream first.
var Distributions = []string{DistKubernetes, DistEKS, DistGKE, DistAKS}

// StatusExtendedSupport is a vendor minor past its standard support and inside the vendor's
// extended (or long-term) support, which is paid or limited: supported, with a warning.
const StatusExtendedSupport = "extended_support"

// One file per vendor, so each calendar is reviewed on its own with its sources.
//
//go:embed vendors/*.json
var vendorFiles embed.FS

// VendorTable is one managed distribution's support calendar. Treat it as read-only.
type VendorTable struct {
	Distribution string // "eks"
	Name         string // "Amazon EKS"
	AsOf         time.Time
	Sources      []string
	// ExtendedNote says what the extended tier costs or requires, for warnings.
	ExtendedNote string
	Minors       []VendorMinor // ascending, contiguous
}

// VendorMinor is one row: when the vendor made the minor available and when its standard and
// extended support end. EndOfExtended is zero when the vendor offers no extended support for it.
type VendorMinor struct {
	Minor                  string
	Major, Number          int
	Released               time.Time
	EndOfStandard          time.Time
	EndOfExtended          time.Time
	EndOfExtendedProjected bool
	Source                 string
	Checked                time.Time
}

// end is the last day of any support the vendor gives the minor.
func (m VendorMinor) end() time.Time {
	if m.EndOfExtended.IsZero() {
		return m.EndOfStandard
	}
	return m.EndOfExtended
}

type rawVendorTable struct {
	Distribution    string           `json:"distribution"`
	Name            string           `json:"name"`
	AsOf            string           `json:"as_of"`
	Sources         []string         `json:"sources"`
	Policy          string           `json:"policy"`
	ExtendedSupport string           `json:"extended_support"`
	Minors          []rawVendorMinor `json:"minors"`
}

type rawVendorMinor struct {
	Minor                  string `json:"minor"`
	Released               string `json:"released"`
	EndOfStandardSupport   string `json:"end_of_standard_support"`
	EndOfExtendedSupport   string `json:"end_of_extended_support"`
	EndOfExtendedProjected bool   `json:"end_of_extended_support_projected"`
	Source                 string `json:"source"`
	Checked                string `json:"checked"`
}

var vendorTables = sync.OnceValue(func() map[string]*VendorTable {
	out := map[string]*VendorTable{}
	for _, d := range Distributions[1:] {
		data, err := vendorFiles.ReadFile("vendors/" + d + ".json")
		if err != nil {
			panic("releases: no embedded calendar for " + d)
		}
		t, err := parseVendorTable(data)
		if err != nil || t.Distribution != d {
			// Only reachable if a vendors/*.json file is edited badly; TestVendorTablesEmbedded
			// catches that before it can ship.
			panic(fmt.Sprintf("releases: embedded vendors/%s.json is invalid: %v", d, err))
		}
		out[d] = t
	}
	return out
})

// Vendor returns the embedded calendar of a managed distribution, or nil for "kubernetes" and
// unknown names.
func Vendor(dist string) *VendorTable { return vendorTables()[dist] }

func parseVendorTable(data []byte) (*VendorTable, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var raw rawVendorTable
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decoding vendor calendar: %w", err)
	}
	if dec.More() {
		return nil, errors.New("decoding vendor calendar: trailing data")
	}
	if raw.Distribution == "" || raw.Name == "" || strings.TrimSpace(raw.Policy) == "" ||
		strings.TrimSpace(raw.ExtendedSupport) == "" || len(raw.Sources) == 0 || len(raw.Minors) == 0 {
		return nil, errors.New("vendor calendar needs distribution, name, policy, extended_support, sources and minors")
	}
	asOf, err := parseDate(raw.Distribution+".as_of", raw.AsOf)
	if err != nil {
		return nil, err
	}
	t := &VendorTable{Distribution: raw.Distribution, Name: raw.Name, AsOf: asOf,
		Sources: append([]string(nil), raw.Sources...), ExtendedNote: raw.ExtendedSupport}
	for _, rm := range raw.Minors {
		v, err := ParseVersion(rm.Minor)
		if err != nil || v.HasPatch || v.Prerelease != "" || v.Metadata != "" || v.MinorString() != rm.Minor {
			return nil, fmt.Errorf("%s calendar minor %q must look like \"1.37\"", raw.Distribution, rm.Minor)
		}
		field := func(name string) string { return raw.Distribution + " " + rm.Minor + "." + name }
		m := VendorMinor{Minor: rm.Minor, Major: v.Major, Number: v.Minor, Source: rm.Source,
			EndOfExtendedProjected: rm.EndOfExtendedProjected}
		if strings.TrimSpace(rm.Source) == "" {
			return nil, fmt.Errorf("%s calendar minor %s has no source", raw.Distribution, rm.Minor)
		}
		if m.Released, err = parseDate(field("released"), rm.Released); err != nil {
			return nil, err
		}
		if m.EndOfStandard, err = parseDate(field("end_of_standard_support"), rm.EndOfStandardSupport); err != nil {
			return nil, err
		}
		if m.Checked, err = parseDate(field("checked"), rm.Checked); err != nil {
			return nil, err
		}
		if rm.EndOfExtendedSupport != "" {
			if m.EndOfExtended, err = parseDate(field("end_of_extended_support"), rm.EndOfExtendedSupport); err != nil {
				return nil, err
			}
			if !m.EndOfStandard.Before(m.EndOfExtended) {
				return nil, fmt.Errorf("%s calendar minor %s: extended support must end after standard support", raw.Distribution, rm.Minor)
			}
		} else if rm.EndOfExtendedProjected {
			return nil, fmt.Errorf("%s calendar minor %s: a projected end of extended support needs the date", raw.Distribution, rm.Minor)
		}
		if !m.Released.Before(m.EndOfStandard) {
			return nil, fmt.Errorf("%s calendar minor %s: need released < end_of_standard_support", raw.Distribution, rm.Minor)
		}
		if m.Released.After(asOf) {
			return nil, fmt.Errorf("%s calendar minor %s is released after the calendar's as_of date", raw.Distribution, rm.Minor)
		}
		t.Minors = append(t.Minors, m)
	}
	if err := sortContiguous(t.Minors, raw.Distribution+" calendar"); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *VendorTable) find(major, minor int) *VendorMinor {
	for i := range t.Minors {
		if t.Minors[i].Major == major && t.Minors[i].Number == minor {
			return &t.Minors[i]
		}
	}
	return nil
}
