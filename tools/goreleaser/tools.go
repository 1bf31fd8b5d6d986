//go:build tools

// Package tools makes goreleaser a direct requirement of this module, as the tool directive in go.mod
// alone leaves it marked indirect, which dependency updaters skip by default.
package tools

import _ "github.com/goreleaser/goreleaser/v2"
