package bench

import (
	"strings"
	"testing"
)

const metricsText = `# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="namespaces",scope="resource",subresource="",verb="GET",version="v1"} 12
apiserver_request_total{code="201",component="apiserver",dry_run="",group="",resource="namespaces",scope="resource",subresource="",verb="POST",version="v1"} 3.5e+01
apiserver_request_total{code="404",component="",group="",path="/a b}{\"odd\\",verb="GET"} 2 1700000000000
apiserver_request_total 1
apiserver_request_total_extra{code="200"} 1000
apiserver_request_duration_seconds_bucket{le="+Inf",verb="GET"} 500
apiserver_request_duration_seconds_sum{verb="GET"} 3.25
# HELP apiserver_request_total_created unrelated
apiserver_request_total_created{code="200"} 1.7e9
go_goroutines 250
`

func TestSumMetric(t *testing.T) {
	sum, n, err := SumMetric(strings.NewReader(metricsText), "apiserver_request_total")
	if err != nil {
		t.Fatal(err)
	}
	if sum != 50 || n != 4 {
		t.Fatalf("sum %v over %d samples, want 50 over 4", sum, n)
	}
	sum, n, err = SumMetric(strings.NewReader(metricsText), "go_goroutines")
	if err != nil || sum != 250 || n != 1 {
		t.Fatalf("go_goroutines: %v %d %v", sum, n, err)
	}
	sum, n, err = SumMetric(strings.NewReader(metricsText), "absent_metric")
	if err != nil || sum != 0 || n != 0 {
		t.Fatalf("absent metric: %v %d %v", sum, n, err)
	}
}

func TestSumMetricRejectsMalformed(t *testing.T) {
	for _, in := range []string{
		`apiserver_request_total{code="200" 5`,
		`apiserver_request_total{code="200"} five`,
		`apiserver_request_total{code="200"}`,
		`apiserver_request_total`,
	} {
		if _, _, err := SumMetric(strings.NewReader(in), "apiserver_request_total"); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

func TestParseVmRSS(t *testing.T) {
	status := "Name:\tterraform-provi\nVmPeak:\t 1300000 kB\nVmHWM:\t   70000 kB\nVmRSS:\t   65536 kB\nThreads:\t12\n"
	kb, err := parseVmRSS(strings.NewReader(status))
	if err != nil || kb != 65536 {
		t.Fatalf("got %d, %v", kb, err)
	}
	if _, err := parseVmRSS(strings.NewReader("Name:\tzombie\n")); err == nil {
		t.Fatal("no error without a VmRSS line")
	}
}

func TestDriftTargets(t *testing.T) {
	for n, want := range map[int]int{1: 1, 20: 1, 50: 3, 200: 10, 500: 25} {
		got := DriftTargets(Names(Ours, n))
		if len(got) != want {
			t.Errorf("N=%d: %d targets, want %d", n, len(got), want)
		}
		seen := map[string]bool{}
		for _, g := range got {
			if seen[g] {
				t.Errorf("N=%d: %s twice", n, g)
			}
			seen[g] = true
		}
	}
}

func TestMedian(t *testing.T) {
	if m := Median([]float64{3, 1, 2}); m != 2 {
		t.Fatalf("median %v", m)
	}
	if m := Median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Fatalf("median %v", m)
	}
}

func TestConfigs(t *testing.T) {
	a, err := AnchorConfig(2, "3.2.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"pod-security.kubernetes.io/enforce" = "restricted"`,
		`"requests.cpu" = "16"`,
		`default_request = {`,
		`name      = "hardened-default-deny"`,
		`name      = "hardened-access-edit"`,
		`"bench-anchor-0001",`,
	} {
		if !strings.Contains(a.HCL, want) {
			t.Errorf("anchor config lacks %q:\n%s", want, a.HCL)
		}
	}
	if got := strings.Count(a.HCL, "for_each = local.names"); got != 6 {
		t.Errorf("anchor config has %d for_each blocks, want 6", got)
	}
	o := OursConfig(3, "0.1.0")
	if !strings.Contains(o.HCL, `{ role = "edit", groups = ["team-x"] }`) || len(o.Namespaces) != 3 {
		t.Errorf("ours config:\n%s", o.HCL)
	}
	if strings.Contains(a.HCL, `"terraform-provider-hardened"`) || !strings.Contains(a.HCL, `"app.kubernetes.io/managed-by" = "terraform"`) {
		t.Errorf("the anchor's objects must not carry ours' managed-by value:\n%s", a.HCL)
	}
	if f := FloorConfig(4); len(f.Namespaces) != 0 || f.ProviderBinary != "" || !strings.Contains(f.HCL, "terraform_data") {
		t.Errorf("floor config: %+v", f)
	}
}
