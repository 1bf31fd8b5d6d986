package releases

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestVendorTablesEmbedded(t *testing.T) {
	for _, d := range Distributions[1:] {
		vt := Vendor(d)
		if vt == nil {
			t.Fatalf("no calendar for %s", d)
		}
		if vt.Distribution != d || vt.Name == "" || vt.ExtendedNote == "" || len(vt.Sources) == 0 {
			t.Errorf("%s: incomplete calendar header: %+v", d, vt)
		}
		for _, m := range vt.Minors {
			if m.Source == "" || m.Checked.IsZero() {
				t.Errorf("%s %s: every row needs its source and the date it was checked", d, m.Minor)
			}
		}
	}
	if Vendor(DistKubernetes) != nil || Vendor("openshift") != nil {
		t.Error("only managed distributions have vendor calendars")
	}
}

func TestParseVendorTableRejects(t *testing.T) {
	base := `{"distribution":"eks","name":"Amazon EKS","as_of":"2026-08-21","sources":["s"],"policy":"p","extended_support":"x","minors":[%s]}`
	row := func(extra string) string {
		return strings.Replace(base, "%s", `{"minor":"1.31","released":"2024-09-26","end_of_standard_support":"2025-11-26",`+
			`"source":"s","checked":"2026-12-07"`+extra+`}`, 1)
	}
	for name, doc := range map[string]string{
		"extended before standard": row(`,"end_of_extended_support":"2025-01-01"`),
		"projected without date":   row(`,"end_of_extended_support_projected":true`),
		"unknown field":            row(`,"end_of_live":"2026-01-01"`),
		"no source":                strings.Replace(row(""), `"source":"s",`, "", 1),
		"no checked date":          strings.Replace(row(""), `,"checked":"2026-12-07"`, "", 1),
		"released after as_of":     strings.Replace(row(""), "2024-09-26", "2026-09-01", 1),
	} {
		if _, err := parseVendorTable([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := parseVendorTable([]byte(row(`,"end_of_extended_support":"2026-11-26"`))); err != nil {
		t.Errorf("a valid row is refused: %v", err)
	}
}

func day(s string) time.Time {
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

// The vendors' published dates (endoflife.date snapshot of 2026-08-21 of the pages in each
// calendar's sources), boundaries included: on the end date the next state already applies.
func TestVendorVerdicts(t *testing.T) {
	cases := []struct {
		dist, version, on string
		status            string
		supported         bool
		standard, extend  string
		path              []string
	}{
		// EKS 1.31: standard support until 2025-11-26, extended until 2026-11-26.
		{DistEKS, "v1.31.2-eks-7f9249a", "2025-11-25", StatusSupported, true, "2025-11-26", "2026-11-26", nil},
		{DistEKS, "v1.31.2-eks-7f9249a", "2025-11-26", StatusExtendedSupport, true, "2025-11-26", "2026-11-26", []string{"1.32"}},
		{DistEKS, "1.31", "2026-06-01", StatusExtendedSupport, true, "2025-11-26", "2026-11-26", []string{"1.32", "1.33"}},
		{DistEKS, "1.31", "2026-11-25", StatusExtendedSupport, true, "2025-11-26", "2026-11-26", []string{"1.32", "1.33", "1.34"}},
		{DistEKS, "1.31", "2026-11-26", StatusEndOfLife, false, "2025-11-26", "2026-11-26", []string{"1.32", "1.33", "1.34"}},
		{DistEKS, "1.36", "2026-06-01", StatusUnreleased, false, "2027-08-02", "2028-08-02", nil},
		{DistEKS, "1.36", "2026-06-02", StatusSupported, true, "2027-08-02", "2028-08-02", nil},
		{DistEKS, "1.37.1-eks-1a2b3c4", "2026-12-07", StatusNewerThanData, true, "", "", nil},
		{DistEKS, "1.37.0-rc.1", "2026-12-07", StatusUnreleased, false, "", "", nil},
		{DistEKS, "1.24", "2026-12-07", StatusEndOfLife, false, "", "", []string{"1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"}},
		// GKE 1.33: standard support until 2026-08-03, extended (projected: 24 months after
		// Regular availability on 2025-06-03) until 2027-06-03.
		{DistGKE, "v1.33.5-gke.1308000", "2026-08-02", StatusSupported, true, "2026-08-03", "2027-06-03", nil},
		{DistGKE, "v1.33.5-gke.1308000", "2026-08-03", StatusExtendedSupport, true, "2026-08-03", "2027-06-03", []string{"1.34"}},
		{DistGKE, "1.33", "2027-06-03", StatusEndOfLife, false, "2026-08-03", "2027-06-03", []string{"1.34", "1.35", "1.36"}},
		// GKE 1.26 had no extended support.
		{DistGKE, "1.26", "2024-06-29", StatusSupported, true, "2024-06-30", "", nil},
		{DistGKE, "1.26", "2024-06-30", StatusEndOfLife, false, "2024-06-30", "", []string{"1.27"}},
		// AKS 1.31: standard support until 2025-11-01, long-term support until 2026-11-30.
		{DistAKS, "1.31.4", "2025-10-31", StatusSupported, true, "2025-11-01", "2026-11-30", nil},
		{DistAKS, "1.31.4", "2025-11-01", StatusExtendedSupport, true, "2025-11-01", "2026-11-30", []string{"1.32"}},
		{DistAKS, "1.31.4", "2026-11-30", StatusEndOfLife, false, "2025-11-01", "2026-11-30", []string{"1.32", "1.33", "1.34", "1.35"}},
		{DistAKS, "1.26", "2024-04-11", StatusEndOfLife, false, "2024-04-11", "", []string{"1.27"}},
	}
	for _, c := range cases {
		v, err := ParseVersion(c.version)
		if err != nil {
			t.Fatal(err)
		}
		vd, err := Judge(c.dist, v, day(c.on), 60)
		if err != nil {
			t.Fatal(err)
		}
		name := c.dist + " " + c.version + " on " + c.on
		if vd.Distribution != c.dist || vd.Status != c.status || vd.Supported != c.supported {
			t.Errorf("%s: got %s/%s supported=%v, want %s supported=%v (%s)", name, vd.Distribution, vd.Status, vd.Supported, c.status, c.supported, vd.Message)
		}
		if vd.EndOfStandardSupportDate != c.standard || vd.EndOfExtendedSupportDate != c.extend {
			t.Errorf("%s: standard %q extended %q, want %q %q", name, vd.EndOfStandardSupportDate, vd.EndOfExtendedSupportDate, c.standard, c.extend)
		}
		wantEnd := c.extend
		if wantEnd == "" {
			wantEnd = c.standard
		}
		if vd.EndOfLifeDate != wantEnd {
			t.Errorf("%s: end_of_life_date %q, want the end of all support %q", name, vd.EndOfLifeDate, wantEnd)
		}
		if c.path == nil {
			c.path = []string{}
		}
		if !slices.Equal(vd.UpgradePath, c.path) {
			t.Errorf("%s: upgrade path %v, want %v", name, vd.UpgradePath, c.path)
		}
		if vd.LatestPatch != "" || vd.MaintenanceDate != "" {
			t.Errorf("%s: vendors patch their own control planes; no latest patch or maintenance date expected", name)
		}
		if c.status == StatusExtendedSupport {
			w := strings.Join(vd.Warnings, "\n")
			if !strings.Contains(w, "extended support, which ends on "+c.extend) || !strings.Contains(w, Vendor(c.dist).ExtendedNote) {
				t.Errorf("%s: the extended-support warning must name its end and what the tier costs: %q", name, w)
			}
		}
	}
}

func TestVendorWarnsBeforeStandardSupportEnds(t *testing.T) {
	v, _ := ParseVersion("1.34")
	vd := Vendor(DistEKS).Verdict(v, day("2026-11-01"), 60)
	if vd.Status != StatusSupported || len(vd.Warnings) != 1 || !strings.Contains(vd.Warnings[0], "leaves standard support on 2026-12-02 (in 31 days)") {
		t.Fatalf("want one warning 31 days before the end of standard support, got %s %q", vd.Status, vd.Warnings)
	}
	if vd := Vendor(DistEKS).Verdict(v, day("2026-11-01"), 0); len(vd.Warnings) != 0 {
		t.Fatalf("warnDays 0 disables the warning: %q", vd.Warnings)
	}
	// Supported minors on a day run from the oldest still in any support to the newest released.
	if want := []string{"1.31", "1.32", "1.33", "1.34", "1.35", "1.36"}; !slices.Equal(vd.SupportedMinors, want) || vd.NewestMinor != "1.36" || vd.MinorsBehind != 2 {
		t.Fatalf("supported %v newest %s behind %d", vd.SupportedMinors, vd.NewestMinor, vd.MinorsBehind)
	}
}

func TestJudgeUpstreamAndUnknown(t *testing.T) {
	v, _ := ParseVersion("1.31.2-eks-7f9249a")
	up, err := Judge(DistKubernetes, v, day("2026-06-01"), 60)
	if err != nil || up.Distribution != DistKubernetes || up.Status != StatusEndOfLife || up.EndOfStandardSupportDate != up.EndOfLifeDate || up.EndOfExtendedSupportDate != "" {
		t.Fatalf("upstream verdict: %+v %v", up, err)
	}
	if _, err := Judge("openshift", v, day("2026-06-01"), 60); err == nil || !strings.Contains(err.Error(), "kubernetes, eks, gke, aks") {
		t.Fatalf("an unknown distribution must list the valid ones: %v", err)
	}
}

func TestDetectDistribution(t *testing.T) {
	for _, c := range []struct{ version, host, want string }{
		{"v1.31.2-eks-7f9249a", "", DistEKS},
		{"v1.30.4-gke.1348000", "https://34.1.2.3", DistGKE},
		{"v1.30.4", "https://ABCDEF0123.gr7.us-west-2.eks.amazonaws.com", DistEKS},
		{"v1.30.4", "https://myaks-dns-12345678.hcp.westeurope.azmk8s.io:443", DistAKS},
		{"v1.30.4", "https://gke-0123abcd-europe-west1.gke.goog", DistGKE},
		{"v1.30.4", "https://127.0.0.1:6443", DistKubernetes},
		{"v1.29.8+k3s1", "https://10.0.0.1", DistKubernetes},
		// A host that only contains a vendor domain is not the vendor's.
		{"v1.30.4", "https://eks.amazonaws.com.attacker.example", DistKubernetes},
	} {
		v, err := ParseVersion(c.version)
		if err != nil {
			t.Fatal(err)
		}
		if got, how := DetectDistribution(v, c.host); got != c.want || how == "" {
			t.Errorf("DetectDistribution(%q, %q) = %q (%s), want %q", c.version, c.host, got, how, c.want)
		}
	}
}
