// Command testcluster builds, starts and stops the local Kubernetes control plane used by the
// acceptance tests and `make demo`.
//
//	testcluster build            build (or find cached) binaries
//	testcluster up [-dir D]      start a detached control plane; prints the kubeconfig path
//	testcluster down [-dir D]    stop it
//	testcluster kubeconfig       print the running cluster's kubeconfig path
//	testcluster terraform        print the terraform (or OpenTofu) CLI the tests use
//	testcluster tofu             build (or find cached) OpenTofu; prints the tofu path
//	testcluster anchor           build (or find cached) hashicorp/kubernetes; prints its binary
//	testcluster pod-check -namespace N   show Pod Security Admission refusing a privileged pod
//	testcluster clean-shared -kubeconfig K   delete the shared admission policies no namespace uses
package main
