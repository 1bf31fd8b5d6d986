package hardening

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
)

// FuzzValidateCIDRAndPort checks that ValidateCIDR and ValidatePort never panic, and that what
// they accept is what the object builder can use: a masked prefix, a port number in range.
func FuzzValidateCIDRAndPort(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/8", "10.0.0.1/8", "192.168.1.1/16", "0.0.0.0/0", "255.255.255.255/32", "10.0.0.0/33",
		"2001:db8::/32", "2001:db8::1/32", "::/0", "::ffff:10.0.0.0/104", "fe80::%eth0/64", "2001:DB8::/32",
		"010.0.0.0/8", "10.0.0.0/08", "10.0.0.0", "garbage", "", "/", "1.2.3.4/-1",
		"443", "8443/TCP", "53/UDP", "9000/SCTP", "0", "65535", "65536", "70000", "99999", "100000", "http",
		"53/ICMP", "443/tcp", "-1", "+1", "00443", "443/", "/TCP", "١٢٣", "443\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := ValidateCIDR(s); err == nil {
			p, perr := netip.ParsePrefix(s)
			if perr != nil {
				t.Fatalf("ValidateCIDR(%q) accepted, but netip.ParsePrefix fails: %v", s, perr)
			}
			if p.Masked() != p {
				t.Fatalf("ValidateCIDR(%q) accepted a prefix with host bits set", s)
			}
			if !p.IsValid() || p.Bits() < 0 || p.Bits() > p.Addr().BitLen() {
				t.Fatalf("ValidateCIDR(%q) accepted an invalid prefix %v", s, p)
			}
		} else if !strings.Contains(err.Error(), strconv.Quote(s)) {
			t.Fatalf("ValidateCIDR(%q) error %q does not quote the input", s, err)
		}

		if err := ValidatePort(s); err == nil {
			num, proto, hasProto := strings.Cut(s, "/")
			n, aerr := strconv.Atoi(num)
			if aerr != nil || n < 1 || n > 65535 {
				t.Fatalf("ValidatePort(%q) accepted an out-of-range or non-numeric port", s)
			}
			if hasProto && proto != "TCP" && proto != "UDP" && proto != "SCTP" {
				t.Fatalf("ValidatePort(%q) accepted protocol %q", s, proto)
			}
			// What the builder makes of it.
			ps := ports([]string{s})
			if len(ps) != 1 || ps[0].Port == nil || ps[0].Protocol == nil || ps[0].Port.IntValue() != n {
				t.Fatalf("ports(%q) = %+v", s, ps)
			}
			if want := map[bool]string{true: proto, false: "TCP"}[hasProto]; string(*ps[0].Protocol) != want {
				t.Fatalf("ports(%q) protocol = %s, want %s", s, *ps[0].Protocol, want)
			}
		}
	})
}

// FuzzValidateQuotaEntry checks that ValidateQuotaEntry and ValidateLimitEntry never panic, and
// that an accepted value is a non-negative quantity the object builder can parse (it uses
// resource.MustParse, which panics on anything else).
func FuzzValidateQuotaEntry(f *testing.F) {
	for _, kv := range [][2]string{
		{"requests.cpu", "3"}, {"requests.cpu", "-1"}, {"pods", "lots"}, {"limits.memory", "1e99999999999999999999"},
		{"requests.memory", "8GB"}, {"count/deployments.apps", "10"}, {"bad key", "1"}, {"", ""}, {"cpu", "500m"},
		{"memory", "1.5Gi"}, {"ephemeral-storage", "1e3"}, {"gpu", "1"}, {"pods", "+1"}, {"pods", "-0"},
		{"pods", "0.0001"}, {"cpu", "1e-30"}, {"a/b/c", "1"}, {"requests.nvidia.com/gpu", "1Ki"}, {"cpu", " 1"},
		{"cpu", "1E"}, {"cpu", "1Ei"}, {"cpu", "9223372036854775807"}, {"cpu", "-9223372036854775808"},
	} {
		f.Add(kv[0], kv[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		errQ := ValidateQuotaEntry(key, value)
		errL := ValidateLimitEntry(key, value)
		for _, err := range []error{errQ, errL} {
			if err != nil {
				continue
			}
			q, perr := resource.ParseQuantity(value)
			if perr != nil {
				t.Fatalf("accepted %q = %q, but resource.ParseQuantity fails: %v", key, value, perr)
			}
			if q.Sign() < 0 {
				t.Fatalf("accepted negative %q = %q", key, value)
			}
			if l := resourceList(map[string]string{key: value}); len(l) != 1 {
				t.Fatalf("resourceList(%q: %q) = %v", key, value, l)
			}
		}
		if errL == nil && key != "cpu" && key != "memory" && key != "ephemeral-storage" {
			t.Fatalf("ValidateLimitEntry accepted key %q", key)
		}
		// Comparing accepted values never panics and is antisymmetric.
		if errQ == nil {
			if a, b := quantityCmp(value, "1"), quantityCmp("1", value); a != -b {
				t.Fatalf("quantityCmp(%q, 1) = %d, quantityCmp(1, %q) = %d", value, a, value, b)
			}
		}
	})
}
