package releases

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseVersionValid(t *testing.T) {
	tests := []struct {
		in               string
		minor, patch     int
		hasPatch         bool
		pre, meta        string
		str, minorString string
	}{
		{"v1.36.1", 36, 1, true, "", "", "1.36.1", "1.36"},
		{"1.36", 36, 0, false, "", "", "1.36", "1.36"},
		{"v1.36", 36, 0, false, "", "", "1.36", "1.36"},
		{"1.37.2", 37, 2, true, "", "", "1.37.2", "1.37"},
		{"v1.31.2-eks-7f9249a", 31, 2, true, "", "eks-7f9249a", "1.31.2", "1.31"},
		{"v1.32.3-eks-bc803b4", 32, 3, true, "", "eks-bc803b4", "1.32.3", "1.32"},
		{"v1.30.4-gke.1348000", 30, 4, true, "", "gke.1348000", "1.30.4", "1.30"},
		{"v1.29.8+k3s1", 29, 8, true, "", "k3s1", "1.29.8", "1.29"},
		{"v1.35.2+rke2r1", 35, 2, true, "", "rke2r1", "1.35.2", "1.35"},
		{"v1.28.9-aks-2024.08.1", 28, 9, true, "", "aks-2024.08.1", "1.28.9", "1.28"},
		{"v1.30.4-gke.1348000+build.7", 30, 4, true, "", "gke.1348000+build.7", "1.30.4", "1.30"},
		{"v1.30.4-123abc", 30, 4, true, "", "123abc", "1.30.4", "1.30"},
		{"v1.33.0-rc.1", 33, 0, true, "rc.1", "", "1.33.0-rc.1", "1.33"},
		{"v1.33.0-rc1", 33, 0, true, "rc1", "", "1.33.0-rc1", "1.33"},
		{"v1.33.0-RC.1", 33, 0, true, "RC.1", "", "1.33.0-RC.1", "1.33"},
		{"v1.34.0-alpha.3", 34, 0, true, "alpha.3", "", "1.34.0-alpha.3", "1.34"},
		{"1.34.0-beta.0", 34, 0, true, "beta.0", "", "1.34.0-beta.0", "1.34"},
		{"v1.33.0-rc.1.12+4f2a1b9", 33, 0, true, "rc.1.12", "4f2a1b9", "1.33.0-rc.1.12", "1.33"},
		{"v1.34.0-alphafoo", 34, 0, true, "", "alphafoo", "1.34.0", "1.34"},
		{"  v1.37.2  ", 37, 2, true, "", "", "1.37.2", "1.37"},
		{"\tv1.36.1\n", 36, 1, true, "", "", "1.36.1", "1.36"},
		{"1.0", 0, 0, false, "", "", "1.0", "1.0"},
		{"1.999.999", 999, 999, true, "", "", "1.999.999", "1.999"},
		{"1.037.02", 37, 2, true, "", "", "1.37.2", "1.37"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v, err := ParseVersion(tc.in)
			if err != nil {
				t.Fatalf("ParseVersion(%q) error: %v", tc.in, err)
			}
			if v.Original != tc.in || v.Major != 1 || v.Minor != tc.minor || v.Patch != tc.patch || v.HasPatch != tc.hasPatch ||
				v.Prerelease != tc.pre || v.Metadata != tc.meta {
				t.Errorf("ParseVersion(%q) = %+v, want minor=%d patch=%d hasPatch=%v pre=%q meta=%q",
					tc.in, v, tc.minor, tc.patch, tc.hasPatch, tc.pre, tc.meta)
			}
			if got := v.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if got := v.MinorString(); got != tc.minorString {
				t.Errorf("MinorString() = %q, want %q", got, tc.minorString)
			}
		})
	}
}

func TestParseVersionInvalid(t *testing.T) {
	long := "v1.37.2-" + strings.Repeat("a", 130)
	tests := []struct {
		in, reason string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"latest", "not a version number"},
		{"stable", "not a version number"},
		{"1", "a minor version is required"},
		{"v1", "a minor version is required"},
		{"v2.0.0", "major version must be 1"},
		{"0.37.2", "major version must be 1"},
		{"1.x", "not a version number"},
		{"1.37.x", "not a version number"},
		{"1.37.2.4", "too many components"},
		{"-1.37", "not a version number"},
		{"1.-37", "not a version number"},
		{"1.1000", "out of range"},
		{"1.37.1000", "out of range"},
		{"1.99999999999999999999999", "out of range"},
		{"v1.37.2-", "empty suffix"},
		{"v1.37.2+", "not a version number"},
		{"1.37rc1", "must start with"},
		{"1.37.2rc1", "must start with"},
		{"１.３７", "not a version number"},
		{"1.37.2💥", "not a version number"},
		{"v1.37.2 extra", "not a version number"},
		{"vv1.37", "not a version number"},
		{"V1.37", "not a version number"},
		{"1.37.", "not a version number"},
		{".1.37", "not a version number"},
		{"1..37", "not a version number"},
		{"\x00\xff", "not a version number"},
		{long, "longer than 128 characters"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q", tc.in), func(t *testing.T) {
			v, err := ParseVersion(tc.in)
			if err == nil {
				t.Fatalf("ParseVersion(%q) = %+v, want error", tc.in, v)
			}
			msg := err.Error()
			quoted := fmt.Sprintf("%q", tc.in)
			if tc.in == long {
				quoted = `"v1.37.2-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"...`
			}
			for _, want := range []string{quoted, tc.reason, `expected a Kubernetes version such as "v1.37.2" or "1.37"`} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

// FuzzParseVersion checks that parsing never panics and that every accepted
// version survives a String() round trip unchanged.
func FuzzParseVersion(f *testing.F) {
	for _, seed := range []string{
		"v1.36.1", "1.36", "v1.31.2-eks-7f9249a", "v1.30.4-gke.1348000", "v1.29.8+k3s1",
		"v1.33.0-rc.1", "v1.35.2+rke2r1", "v1.33.0-rc.1.12+4f2a1b9", " 1.37.2 ", "latest",
		"1.37.2.4", "v2.0.0", "1.99999999999999999999999", "1.36-", "1.36--x", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		v, err := ParseVersion(in)
		if err != nil {
			return
		}
		again, err := ParseVersion(v.String())
		if err != nil {
			t.Fatalf("ParseVersion(%q) = %q, which does not re-parse: %v", in, v.String(), err)
		}
		if again.String() != v.String() || again.Major != v.Major || again.Minor != v.Minor ||
			again.Patch != v.Patch || again.HasPatch != v.HasPatch || again.Prerelease != v.Prerelease ||
			again.Metadata != "" {
			t.Fatalf("round trip of %q changed it: %+v -> %+v", in, v, again)
		}
	})
}
