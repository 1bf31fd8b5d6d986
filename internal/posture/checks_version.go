package posture

import (
	"fmt"
	"strings"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// Practice 1: version.
func (e *evaluator) version() {
	if e.unknownIf(CheckVersionEndOfLife, PartServerVersion) {
		return
	}
	v, err := releases.ParseVersion(e.s.ServerVersion)
	if err != nil {
		e.unknown(CheckVersionEndOfLife, fmt.Sprintf("Not evaluated: the API server reports version %q, which is not a "+
			"Kubernetes version: %v.", e.s.ServerVersion, err))
		return
	}
	table := e.o.Releases
	if table == nil {
		table = releases.Embedded()
	}
	asOf := e.o.AsOf
	if asOf.IsZero() {
		asOf = table.AsOf
	}
	vd := table.Verdict(v, asOf, 0)
	if vendor := releases.Vendor(e.o.Distribution); vendor != nil {
		// A managed control plane follows its vendor's calendar and patches; no upstream patch check.
		vd = vendor.Verdict(v, asOf, 0)
	}
	upgrade := ""
	if len(vd.UpgradePath) > 0 {
		upgrade = " Upgrade path: " + strings.Join(vd.UpgradePath, " -> ") + "."
	}
	switch vd.Status {
	case releases.StatusEndOfLife:
		e.add(CheckVersionEndOfLife, "", kindCluster, "", "", vd.Message)
		e.last().Remediation += upgrade
	case releases.StatusMaintenance, releases.StatusExtendedSupport:
		e.add(CheckVersionMaintenance, "", kindCluster, "", "", vd.Message)
		e.last().Remediation += upgrade
	}
	if (vd.Status == releases.StatusSupported || vd.Status == releases.StatusMaintenance) && vd.PatchesBehind > 0 {
		e.add(CheckVersionPatches, "", kindCluster, "", "", fmt.Sprintf("Kubernetes %s is %d patch release(s) behind %s, "+
			"the latest patch of %s.", vd.Version, vd.PatchesBehind, vd.LatestPatch, vd.Minor))
		e.last().Remediation = fmt.Sprintf("Upgrade the control plane to %s (and the nodes with it): patch releases carry "+
			"the CVE fixes.", vd.LatestPatch)
	}
}
