// Command bench runs `make bench`: it starts the local control plane and, for each N, applies
// N hardened_namespace resources, the same objects through hashicorp/kubernetes, N noop_thing
// instances of a provider that does nothing and N terraform_data instances, and gives a copy of
// ours' state to echo (cmd/echo-provider); it plans each of them repeatedly (interleaved), plans
// after drift and destroys them, then writes docs/benchmarks.md with wall time, CPU, API requests, memory and load,
// and the verdict on each target.
//
//	bench [-sizes 50,200] [-plans 5] [-large] [-large-anchor] [-out docs/benchmarks.md] [-provider bin/terraform-provider-hardened]
package main
