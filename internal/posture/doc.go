// Package posture judges a cluster against the ten practices of the checklist this provider turns
// into code. It is pure: it gets a Snapshot of what was read from the cluster (internal/kube reads
// it) and returns Findings. No Terraform, no network, no clock: the date the version check is
// evaluated on is an Option, so results are reproducible in tests and plans.
//
// Every check has a stable id (HRD-<practice><nnn>, see Checks). A Finding is either "failed"
// (the cluster does not satisfy the check) or "unknown" (the check could not be evaluated, for
// example because listing RoleBindings was forbidden for the provider's identity, or because the
// control plane's static pods are not visible on a managed cluster). A check that passes produces
// no finding.
package posture
