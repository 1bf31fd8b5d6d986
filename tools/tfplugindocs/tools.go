//go:build tools

// Package tools makes tfplugindocs a direct requirement of this module, as the tool directive in go.mod
// alone leaves it marked indirect, which dependency updaters skip by default.
package tools

import _ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
