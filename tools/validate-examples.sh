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
#   * `terraform fmt -check` must pass too;
#   * the folders in plan_dirs below, which need no cluster, also get `terraform plan`, with every
#     KUBE_* variable (and KUBECONFIG) removed from the environment: proof that they run as-is.
#
#   * examples that use hashicorp/kubernetes (the migration guide's) get it through dev_overrides
#     too: ANCHOR names its binary (`testcluster anchor` builds it; make validate-examples does).
#
#   tools/validate-examples.sh            # uses terraform on PATH
#   TERRAFORM=/path/to/tofu tools/validate-examples.sh
#   ANCHOR=$(bin/testcluster anchor) tools/validate-examples.sh
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
anchor_override=
if [[ -n ${ANCHOR:-} ]]; then
  mkdir -p "$work/anchor"
  ln -s "$ANCHOR" "$work/anchor/terraform-provider-kubernetes"
  anchor_override="\"hashicorp/kubernetes\" = \"$work/anchor\""
elif grep -rqs --include='*.tf' 'hashicorp/kubernetes' examples; then
  echo "validate-examples: examples use hashicorp/kubernetes: set ANCHOR=\$(bin/testcluster anchor)" >&2
  exit 1
fi
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "kubehardening/hardened" = "$work/plugins"
    $anchor_override
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

# `terraform plan` as well as validate: the folders that read no cluster, so that a plan must
# succeed without any cluster or KUBE_* variable. Chosen by what their .tf files use:
#   * provider::hardened::version_support (the function is pure: no cluster, no clock);
#   * hardened_namespace_manifests (renders YAML, reads no cluster);
#   * hardened_audit_policy (renders a policy file, reads no cluster);
#   * hardened_version_support only with `version` set (without it, it reads the cluster's version).
# Not planned: hardened_namespace, hardened_cluster_posture and hardened_version_support without
# `version` need a cluster; examples/authentication/* and examples/provider configure a cluster
# connection (client_certificate reads certificate files the folder does not ship);
# data-sources/hardened_version_support also reads the cluster's own version.
plan_dirs=(
  examples/functions/version_support       # the function only
  examples/data-sources/hardened_audit_policy
  examples/data-sources/hardened_namespace_manifests
  examples/gitops                          # hardened_namespace_manifests only
)
for d in "${plan_dirs[@]}"; do
  if [[ ! -d $work/$d ]]; then
    echo "validate-examples: $d is listed in plan_dirs but does not exist" >&2
    exit 1
  fi
done
is_plan_dir() {
  local d
  for d in "${plan_dirs[@]}"; do [[ $1 == "$d" ]] && return 0; done
  return 1
}
# The environment of those plans: no cluster connection of any kind.
no_cluster_env=(-u KUBECONFIG)
while IFS= read -r v; do no_cluster_env+=(-u "$v"); done < <(compgen -e | grep '^KUBE_' || true)

failed=()
count=0
planned=0
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
  if ! (cd "$dir" && "$tf" validate -no-color >"$work/out" 2>&1); then
    echo "FAIL $rel"
    sed 's/^/    /' "$work/out"
    failed+=("$rel")
    continue
  fi
  if is_plan_dir "$rel"; then
    planned=$((planned + 1))
    if (cd "$dir" && env "${no_cluster_env[@]}" "$tf" plan -input=false -no-color >"$work/out" 2>&1); then
      echo "ok   $rel (validate, plan without a cluster)"
    else
      echo "FAIL $rel (terraform plan without a cluster)"
      sed 's/^/    /' "$work/out"
      failed+=("$rel (plan)")
    fi
  else
    echo "ok   $rel"
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
if ((planned != ${#plan_dirs[@]})); then
  echo "validate-examples: planned $planned of the ${#plan_dirs[@]} folders in plan_dirs" >&2
  exit 1
fi
echo "validate-examples: all $count example folders are valid, $planned of them plan without a cluster ($("$tf" version | head -1))"
