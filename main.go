package main

import (
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/kubehardening/terraform-provider-hardened/internal/provider"
)

// version is set by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogs()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve("registry.terraform.io/kubehardening/hardened", provider.NewProtocol6(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogs turns off the plugin SDK's own trace logging when nobody asked for logs: Terraform
// discards it then, but producing it still costs a sixth of the provider's CPU in a large plan
// (no-op plan of 1000 namespaces, 3 interleaved runs each: 5.9 to 6.3 s of provider CPU with
// this, 7.1 to 7.7 s without).
//
// No memory limit is set: a plan of 1000 namespaces keeps about 100 MB live, so a limit below
// that made the garbage collector run without pause (121 s of provider CPU with 96 MiB, 37 s
// without).
func quietSDKLogs() {
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO", "TF_ACC_LOG_PATH"} {
		if os.Getenv(v) != "" {
			return
		}
	}
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO"} {
		_ = os.Setenv(v, "off")
	}
}
