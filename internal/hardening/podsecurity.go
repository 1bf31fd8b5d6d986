package hardening

import (
	"fmt"
	"regexp"
	"strings"
)

// Pod Security Admission levels, from least to most restrictive.
const (
	LevelPrivileged = "privileged"
	LevelBaseline   = "baseline"
	LevelRestricted = "restricted"
)

// Levels lists the valid Pod Security Admission levels.
var Levels = []string{LevelPrivileged, LevelBaseline, LevelRestricted}

// PodSecurityLabelPrefix is the label namespace Pod Security Admission reads.
const PodSecurityLabelPrefix = "pod-security.kubernetes.io/"

// PodSecurity holds the three admission modes and the policy version they pin.
type PodSecurity struct {
	Enforce, Audit, Warn string
	// Version is "latest" or "v1.NN".
	Version string
}

// DefaultPodSecurity is restricted in every mode: the checklist's answer for tenant workloads.
func DefaultPodSecurity() PodSecurity {
	return PodSecurity{Enforce: LevelRestricted, Audit: LevelRestricted, Warn: LevelRestricted, Version: "latest"}
}

var psaVersion = regexp.MustCompile(`^v1\.(0|[1-9][0-9]{0,2})$`)

// ValidateLevel reports whether level is a Pod Security Admission level.
func ValidateLevel(level string) error {
	for _, l := range Levels {
		if level == l {
			return nil
		}
	}
	return fmt.Errorf("%q is not a Pod Security level: use one of %s", level, strings.Join(Levels, ", "))
}

// ValidatePodSecurityVersion accepts what Pod Security Admission accepts for *-version labels.
func ValidatePodSecurityVersion(v string) error {
	if v == "latest" || psaVersion.MatchString(v) {
		return nil
	}
	return fmt.Errorf("%q is not a Pod Security policy version: use \"latest\" or a Kubernetes minor such as \"v1.37\"", v)
}

// Labels returns the namespace labels Pod Security Admission reads.
func (p PodSecurity) Labels() map[string]string {
	return map[string]string{
		PodSecurityLabelPrefix + "enforce":         p.Enforce,
		PodSecurityLabelPrefix + "enforce-version": p.Version,
		PodSecurityLabelPrefix + "audit":           p.Audit,
		PodSecurityLabelPrefix + "audit-version":   p.Version,
		PodSecurityLabelPrefix + "warn":            p.Warn,
		PodSecurityLabelPrefix + "warn-version":    p.Version,
	}
}

// PodSecurityFromLabels reads the levels back from live namespace labels. Version comes from the
// enforce-version label; the three version labels are always written together.
func PodSecurityFromLabels(labels map[string]string) PodSecurity {
	return PodSecurity{
		Enforce: labels[PodSecurityLabelPrefix+"enforce"],
		Audit:   labels[PodSecurityLabelPrefix+"audit"],
		Warn:    labels[PodSecurityLabelPrefix+"warn"],
		Version: labels[PodSecurityLabelPrefix+"enforce-version"],
	}
}
