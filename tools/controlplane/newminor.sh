#!/usr/bin/env bash
# Writes the wrapper module that builds kube-apiserver and kube-controller-manager for one
# Kubernetes release: k8s.io/kubernetes cannot be `go install`ed because its go.mod replaces its
# staging modules with local paths, so this module pins each of them to the matching v0.N.P tag.
# Usage: tools/controlplane/newminor.sh v1.37.2   (then commit k8s-1.37/)
set -euo pipefail
ver=${1:?usage: newminor.sh vMAJOR.MINOR.PATCH}
minor=$(echo "$ver" | sed -E 's/^v([0-9]+\.[0-9]+)\..*/\1/')
staging="v0.${ver#v1.}"
dir=$(cd "$(dirname "$0")" && pwd)/k8s-$minor
modfile=$(go mod download -json "k8s.io/kubernetes@$ver" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
godirective=$(sed -n 's/^go \(.*\)/\1/p' "$modfile")
mkdir -p "$dir"
{
  echo "// Builds kube-apiserver and kube-controller-manager $ver for the test control plane."
  echo "module github.com/kubehardening/terraform-provider-hardened/tools/controlplane/k8s-$minor"
  echo
  echo "go $godirective"
  echo
  echo "require k8s.io/kubernetes $ver"
  echo
  echo "replace ("
  grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$modfile" | awk -v s="$staging" '{print "\t" $1 " => " $1 " " s}'
  echo ")"
} > "$dir/go.mod"
cat > "$dir/tools.go" <<GO
//go:build tools

// Package tools keeps the control-plane commands in this module's dependency graph.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
GO
echo "$ver" > "$dir/VERSION"
cd "$dir" && GOFLAGS=-tags=tools go mod tidy
echo "wrote $dir"
