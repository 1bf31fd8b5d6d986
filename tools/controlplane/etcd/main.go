// Command etcd is the etcd server for the test control plane, built from its Go module so that a
// machine needs nothing but the Go toolchain.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
