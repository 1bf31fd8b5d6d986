#!/usr/bin/env bash
# Stops `make demo` before anything is built or sent when the environment points the provider at a
# cluster the demo did not start: the demo applies with -auto-approve, and many hashicorp/kubernetes
# users have KUBE_CONFIG_PATH or KUBE_HOST set, sometimes to production. DEMO_ALLOW_REMOTE=1 lets it.
set -euo pipefail
local_kubeconfig="${1:-}"
if [[ "${DEMO_ALLOW_REMOTE:-}" == 1 ]]; then
  exit 0
fi
for v in KUBE_HOST KUBE_CONFIG_PATH KUBE_CONFIG_PATHS; do
  value="${!v:-}"
  if [[ -n "$value" && "$value" != "$local_kubeconfig" ]]; then
    echo "make demo: $v=$value is a cluster this demo did not start, and the demo applies with -auto-approve: unset $v to use a local control plane, or set DEMO_ALLOW_REMOTE=1 to apply to that cluster." >&2
    exit 2
  fi
done
