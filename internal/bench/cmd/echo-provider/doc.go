// Command echo-provider is the benchmark's schema floor: a provider (kubehardening/echo) whose one
// resource, echo_namespace, has hardened_namespace's schema and does no work. The benchmark gives
// it ours' state; it re-encodes that state in the upgrade as ours does, reads it back unchanged and
// plans the prior state, without decoding any of it into values. What a no-op plan of it costs is what Terraform core
// and the plugin protocol cost for hardened_namespace's schema and state alone: the part of ours'
// plan no provider code can remove while the resource keeps its attributes.
package main
