package releases

import (
	"fmt"
	"strings"

	goversion "github.com/hashicorp/go-version"
)

const (
	// maxVersionLen bounds the work done on user input; real versions,
	// distribution suffixes included, are far shorter.
	maxVersionLen = 128
	// maxComponent rejects absurd minor/patch numbers early instead of
	// reporting them as "newer than data".
	maxComponent = 999
)

// Version is a parsed Kubernetes version as reported by a cluster or typed in
// configuration.
type Version struct {
	Original   string // the input, untrimmed
	Major      int    // always 1 for versions from ParseVersion
	Minor      int
	Patch      int    // 0 when HasPatch is false
	HasPatch   bool   // false for "1.36"
	Prerelease string // "rc.1" for v1.33.0-rc.1; only alpha/beta/rc count
	// Metadata is everything after the core version that is not a
	// Kubernetes pre-release, without its leading separator: the
	// distribution suffix ("eks-7f9249a", "gke.1348000") and/or build
	// metadata ("k3s1", "rke2r1"). It does not affect verdicts.
	Metadata string
}

// ParseVersion parses versions as real clusters and configs report them:
// "v1.36.1", "1.36", "v1.31.2-eks-7f9249a", "v1.30.4-gke.1348000",
// "v1.29.8+k3s1", "v1.33.0-rc.1", surrounding spaces ignored.
func ParseVersion(s string) (Version, error) {
	fail := func(reason string) (Version, error) {
		return Version{}, fmt.Errorf("invalid Kubernetes version %s: %s; expected a Kubernetes version such as \"v1.37.2\" or \"1.37\"", quoteInput(s), reason)
	}
	if len(s) > maxVersionLen {
		return fail(fmt.Sprintf("longer than %d characters", maxVersionLen))
	}
	in := strings.TrimSpace(s)
	if in == "" {
		return fail("empty")
	}

	// go-version does the grammar and integer parsing (including overflow);
	// the Kubernetes-specific rules below are what it cannot know.
	gv, err := goversion.NewVersion(in)
	if err != nil {
		if strings.Contains(err.Error(), "error parsing version") {
			return fail("a number is out of range")
		}
		return fail("not a version number")
	}

	// Split "v" + core + rest ourselves: go-version pads segments to three
	// and tolerates a suffix glued to the number ("1.33rc1"), which would
	// hide whether a patch was given.
	core := strings.TrimPrefix(in, "v")
	end := strings.IndexFunc(core, func(r rune) bool { return r != '.' && (r < '0' || r > '9') })
	rest := ""
	if end >= 0 {
		core, rest = core[:end], core[end:]
	}
	parts := strings.Split(core, ".")
	switch {
	case len(parts) < 2:
		return fail("a minor version is required")
	case len(parts) > 3:
		return fail("too many components (want MAJOR.MINOR or MAJOR.MINOR.PATCH)")
	}
	segs := gv.Segments64()
	if segs[0] != 1 {
		return fail(fmt.Sprintf("major version must be 1, got %d", segs[0]))
	}
	for _, n := range segs[1:3] {
		if n < 0 || n > maxComponent {
			return fail(fmt.Sprintf("number %d is out of range", n))
		}
	}

	v := Version{
		Original: s,
		Major:    1,
		Minor:    int(segs[1]),
		Patch:    int(segs[2]),
		HasPatch: len(parts) == 3,
	}

	var pre, meta string
	switch {
	case rest == "":
	case rest[0] == '-':
		pre, meta, _ = strings.Cut(rest[1:], "+")
		if pre == "" {
			return fail("empty suffix after \"-\"")
		}
		if strings.Contains(rest, "+") && meta == "" {
			return fail("empty build metadata after \"+\"")
		}
	case rest[0] == '+':
		meta = rest[1:]
		if meta == "" {
			return fail("empty build metadata after \"+\"")
		}
	default:
		return fail("a suffix must start with \"-\" or \"+\"")
	}

	// Distribution suffixes (eks, gke, aks, k3s, rke2...) mark GA builds; only
	// upstream's alpha/beta/rc tags are pre-releases.
	if isPrerelease(pre) {
		v.Prerelease = pre
		v.Metadata = meta
	} else {
		v.Metadata = pre
		if meta != "" {
			if v.Metadata != "" {
				v.Metadata += "+"
			}
			v.Metadata += meta
		}
	}
	return v, nil
}

// isPrerelease reports whether a "-" suffix is an upstream pre-release tag:
// alpha, beta or rc, followed by nothing, a dot or a digit ("rc.1", "rc1",
// "beta"), so "rke2r1" or "alphafoo" style suffixes are not mistaken for one.
func isPrerelease(pre string) bool {
	lower := strings.ToLower(pre)
	for _, tag := range []string{"alpha", "beta", "rc"} {
		if !strings.HasPrefix(lower, tag) {
			continue
		}
		next := lower[len(tag):]
		if next == "" || next[0] == '.' || (next[0] >= '0' && next[0] <= '9') {
			return true
		}
	}
	return false
}

// quoteInput quotes user input for error messages, shortening very long
// input so one bad attribute cannot flood the diagnostics.
func quoteInput(s string) string {
	const keep = 40
	if len(s) <= maxVersionLen {
		return fmt.Sprintf("%q", s)
	}
	r := []rune(s)
	if len(r) > keep {
		r = r[:keep]
	}
	return fmt.Sprintf("%q...", string(r))
}

// MinorString returns "MAJOR.MINOR", e.g. "1.31".
func (v Version) MinorString() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// String returns the normalised version without "v" or distribution suffix:
// "1.31.2", "1.31" when no patch was given, "1.33.0-rc.1" for pre-releases.
func (v Version) String() string {
	s := v.MinorString()
	if v.HasPatch {
		s += fmt.Sprintf(".%d", v.Patch)
	}
	if v.Prerelease != "" {
		s += "-" + v.Prerelease
	}
	return s
}
