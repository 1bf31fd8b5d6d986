#!/usr/bin/env bash
# Registry documentation with tfplugindocs (pinned in tools/tfplugindocs/go.mod, installed by
# tools/gotool.sh), offline.
#
#   tools/docs.sh generate   regenerate docs/ from the provider schema, templates/ and examples/
#   tools/docs.sh check      regenerate, run `tfplugindocs validate`, and fail when docs/ differs
#                            from what git has (changed, deleted or untracked files): CI's check
#                            that the committed docs are up to date
#
# tfplugindocs gets the schema through the terraform CLI on PATH; it is never given --tf-version,
# which would download one.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: tools/docs.sh generate|check}

if ! command -v terraform >/dev/null; then
  echo "docs: tfplugindocs needs a terraform CLI on PATH" >&2
  exit 1
fi
tfplugindocs=$(tools/gotool.sh tfplugindocs)

generate() {
  # -buildvcs=false: tfplugindocs builds the provider, and a worktree may not have git metadata.
  GOFLAGS="${GOFLAGS:-} -buildvcs=false" "$tfplugindocs" generate --provider-name hardened
}

case "$mode" in
  generate)
    generate
    ;;
  check)
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    echo "docs: tfplugindocs generate"
    generate >"$log" 2>&1 || { cat "$log"; exit 1; }
    echo "docs: tfplugindocs validate"
    "$tfplugindocs" validate --provider-name hardened >"$log" 2>&1 || { cat "$log"; exit 1; }
    status=0
    if ! git diff --exit-code --stat -- docs/; then
      git diff -- docs/ | head -100
      status=1
    fi
    untracked=$(git ls-files --others --exclude-standard -- docs/)
    if [[ -n $untracked ]]; then
      echo "untracked files in docs/:"
      echo "$untracked" | sed 's/^/  /'
      status=1
    fi
    if ((status != 0)); then
      echo "docs: docs/ is out of date with the schema, templates/ or examples/: run 'make generate' and commit docs/" >&2
      exit 1
    fi
    echo "docs: docs/ is up to date and valid"
    ;;
  *)
    echo "usage: tools/docs.sh generate|check" >&2
    exit 2
    ;;
esac
