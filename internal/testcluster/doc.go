// Package testcluster builds and runs a real Kubernetes control plane (etcd, kube-apiserver,
// kube-controller-manager) on loopback for acceptance tests and the demo. It is test tooling: the
// provider never imports it.
package testcluster
