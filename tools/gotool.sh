#!/usr/bin/env bash
# Prints the path of a pinned Go developer tool, installing it with `go install` on first use.
#
#   tools/gotool.sh golangci-lint|goreleaser|tfplugindocs
#
# Each tool's version is the requirement of its module in tools/<tool>/go.mod (a `tool` directive,
# and tools.go making the requirement direct), where `go list -m` and dependency updaters see it:
#   go -C tools/golangci-lint get -tool github.com/golangci/golangci-lint/v2/cmd/golangci-lint@vX.Y.Z
# One module per tool keeps each tool's dependency graph exactly its own, as `go install pkg@version`
# builds it.
#
# Binaries are cached in the user's cache directory (next to the control-plane binaries), keyed by
# tool version and Go version, so a fresh clone of the repository (CI) finds them again:
#   ${HARDENED_TESTCLUSTER_CACHE:-${XDG_CACHE_HOME:-~/.cache}/terraform-provider-hardened}/bin/<tool>-<version>-<go>/
# Progress goes to stderr; stdout is only the path.
set -euo pipefail

tool=${1:?usage: tools/gotool.sh golangci-lint|goreleaser|tfplugindocs}
case "$tool" in
  golangci-lint) mod=github.com/golangci/golangci-lint/v2;     pkg=$mod/cmd/golangci-lint ;;
  goreleaser)    mod=github.com/goreleaser/goreleaser/v2;      pkg=$mod ;; # v2.17+ cannot be built with the Go toolchain here
  tfplugindocs)  mod=github.com/hashicorp/terraform-plugin-docs; pkg=$mod/cmd/tfplugindocs ;;
  *) echo "gotool: unknown tool $tool" >&2; exit 2 ;;
esac
version=$(GOWORK=off go -C "$(dirname "$0")/$tool" list -m -f '{{.Version}}' "$mod")

cache=${HARDENED_TESTCLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-hardened}
gover=$(go env GOVERSION)
dir="$cache/bin/$tool-$version-$gover-$(go env GOOS)-$(go env GOARCH)"
bin="$dir/$tool"
if [[ -x $bin ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/gotool-$tool.lock"
flock 9 # another make target (or CI run) may be installing the same tool
if [[ ! -x $bin ]]; then
  echo "gotool: installing $tool $version with $gover (first use; cached in $dir)" >&2
  start=$SECONDS
  tmp="$dir/.partial"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # Outside any module, so the repository's go.mod (and go.work) play no part.
  (cd "$tmp" && GOWORK=off GOFLAGS=-buildvcs=false GOBIN="$tmp" go install "$pkg@$version")
  mv "$tmp/$tool" "$bin"
  rmdir "$tmp"
  echo "gotool: $tool $version installed in $((SECONDS - start))s" >&2
fi
echo "$bin"
