// Package bench is the benchmark harness behind `make bench`: it runs hardened_namespace, the same
// objects through hashicorp/kubernetes and plain terraform_data side by side against the local
// control plane, and renders the results as docs/benchmarks.md. It is tooling: the provider never
// imports it.
package bench
