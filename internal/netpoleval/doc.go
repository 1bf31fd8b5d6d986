// Package netpoleval answers "is this traffic allowed?"
// questions about Kubernetes NetworkPolicies. It wraps the matcher package of
// github.com/mattfenwick/cyclonus (an independent NetworkPolicy engine) so that
// tests check NetworkPolicy semantics independently of the provider's own code:
// nothing here reuses the provider's policy-building or policy-reading logic. The
// blast radius (internal/blastradius) uses it too, so a plan judges traffic the way
// the tests do.
package netpoleval
