// Package kube is the only package that talks to a cluster: the client built from the provider
// configuration, server-side apply with one field manager, reads, and waiters.
package kube
