// Command terraform-provider-hardened serves the hardened provider to Terraform.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	rdebug "runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/kubehardening/terraform-provider-hardened/internal/provider"
)

// version is set by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogs()
	// A soft heap target keeps the resident size of a large plan down (the GC works harder near
	// it); GOMEMLIMIT, when set, wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		rdebug.SetMemoryLimit(96 << 20)
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/kubehardening/hardened",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietSDKLogs turns off the plugin SDK's own trace logging when nobody asked for logs: Terraform
// discards it then, but producing it costs a fifth of the provider's CPU in a large plan.
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
