#!/usr/bin/env bash
# `terraform validate` every example configuration under examples/ against a freshly built
# provider, the way a user's terraform would see it, without a registry or a cluster:
#
#   * the provider is built from this tree and served through a dev_overrides CLI config;
#   * examples/ is copied to a temporary folder (relative module sources such as
#     ../modules/tenant keep working; nothing is written into the tree);
#   * every folder with .tf files is validated on its own: a root module (examples/tenants) and a
#     reusable module (examples/modules/tenant) alike. Folders that call modules get
#     `terraform get` first, which installs local modules only (no provider download).
#   * `terraform fmt -check` must pass too.
#
#   tools/validate-examples.sh            # uses terraform on PATH
#   TERRAFORM=/path/to/tofu tools/validate-examples.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tf=${TERRAFORM:-$(command -v terraform || true)}
if [[ -z $tf ]]; then
  echo "validate-examples: no terraform on PATH (set TERRAFORM=/path/to/terraform or tofu)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hardened-examples.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "validate-examples: building the provider"
CGO_ENABLED=0 go build -trimpath -o "$work/plugins/terraform-provider-hardened" .
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "kubehardening/hardened" = "$work/plugins"
  }
  direct {}
}
EOF

# The examples without anything a previous local run left behind.
cp -R examples "$work/examples"
find "$work/examples" \( -name .terraform -o -name '.terraform.lock.hcl' -o -name '*.tfstate' -o -name '*.tfstate.*' \) \
  -prune -exec rm -rf {} +

export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_WORKSPACE TF_DATA_DIR

failed=()
count=0
if ! "$tf" fmt -check -recursive -diff "$work/examples" >"$work/fmt.out" 2>&1; then
  cat "$work/fmt.out"
  failed+=("terraform fmt (run make fmt)")
fi

while IFS= read -r dir; do
  rel=${dir#"$work/"}
  count=$((count + 1))
  if grep -qsE '^[[:space:]]*module[[:space:]]+"' "$dir"/*.tf; then
    if ! (cd "$dir" && "$tf" get -no-color >"$work/out" 2>&1); then
      echo "FAIL $rel (terraform get)"
      sed 's/^/    /' "$work/out"
      failed+=("$rel")
      continue
    fi
  fi
  if (cd "$dir" && "$tf" validate -no-color >"$work/out" 2>&1); then
    echo "ok   $rel"
  else
    echo "FAIL $rel"
    sed 's/^/    /' "$work/out"
    failed+=("$rel")
  fi
done < <(find "$work/examples" -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)

if ((count == 0)); then
  echo "validate-examples: no example folders found" >&2
  exit 1
fi
if ((${#failed[@]} > 0)); then
  echo "validate-examples: ${#failed[@]} of $count failed: ${failed[*]}" >&2
  exit 1
fi
echo "validate-examples: all $count example folders are valid ($("$tf" version | head -1))"
