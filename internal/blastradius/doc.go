// Package blastradius says what a planned hardened_namespace change would break in a namespace
// that already runs workloads: the pods Pod Security would refuse, the workloads whose images the
// image policy would refuse on their next rollout, quota keys already used beyond the planned hard
// limit, containers the planned LimitRange would default or refuse, Services whose callers from
// outside the namespace the planned NetworkPolicies cut off, and subjects that lose a role.
//
// It is pure: internal/kube reads the live objects and asks the API server for the Pod Security
// verdict (a dry run); this package judges them against the planned objects. Images are judged by
// the image policy's own CEL (hardening.ImageRefusals) and traffic by netpoleval, the evaluator the
// acceptance tests use.
package blastradius
