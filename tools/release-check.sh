#!/usr/bin/env bash
# Checks the release configuration without publishing anything:
#   1. `goreleaser check` on .goreleaser.yml;
#   2. `goreleaser build --snapshot --clean --single-target`: the release build for this machine's
#      OS and architecture, into dist/.
# goreleaser (pinned in tools/goreleaser/go.mod) is installed into the user cache dir on first use
# by tools/gotool.sh.
#
# `goreleaser check` insists on a git remote named origin (it uses no network). When this clone
# has none, the check runs in a temporary clone given a dummy origin, with the working tree's
# .goreleaser.yml: the repository's own remotes are never changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
goreleaser=$(tools/gotool.sh goreleaser)

if git remote get-url origin >/dev/null 2>&1; then
  "$goreleaser" check
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/hardened-release-check.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  git clone --quiet --no-checkout "$root" "$tmp/repo"
  git -C "$tmp/repo" remote set-url origin https://github.com/kubehardening/terraform-provider-hardened.git
  cp .goreleaser.yml "$tmp/repo/.goreleaser.yml"
  echo "release-check: no git remote named origin here; checking in a temporary clone with a dummy origin"
  (cd "$tmp/repo" && "$goreleaser" check)
fi

# The before hooks (go mod tidy) are skipped: they would rewrite go.mod in a working tree others
# are editing. A release from a clean tag runs them.
"$goreleaser" build --snapshot --clean --single-target --skip=before
echo "release-check: built"
find dist -name 'terraform-provider-hardened_v*' -type f -exec ls -l {} +
