//go:build tools

// Package tools makes golangci-lint a direct requirement of this module, as the tool directive in go.mod
// alone leaves it marked indirect, which dependency updaters skip by default.
package tools

import _ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
