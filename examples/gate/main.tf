# A plan-time gate: nothing in this configuration changes while the cluster runs an unsupported
# Kubernetes version or has a high or critical security finding.
#
#   * hardened_cluster_posture with fail_on = "high" fails the read, and so the plan, listing every
#     failed high or critical finding with its fix;
#   * a precondition on the tenant namespace blocks it (and what depends on it) while the cluster's
#     version is out of support;
#   * a check block reports, without blocking, what is merely worth attention.

# Configured from the environment (KUBE_CONFIG_PATH, or KUBE_HOST with KUBE_TOKEN).
provider "hardened" {}

# The version of the cluster the provider is configured for, judged on today's date (UTC).
data "hardened_version_support" "cluster" {}

# Stops the plan on any failed high or critical finding. Only the tenant namespaces are judged
# per namespace; the cluster-wide checks (anonymous access, cluster-admin bindings, the
# Dashboard, audit logging, the version) always run.
data "hardened_cluster_posture" "cluster" {
  fail_on = "high"

  namespaces = {
    include = ["team-*"]
    exclude = ["team-sandbox"]
  }
}

resource "hardened_namespace" "team_a" {
  name = "team-a"

  lifecycle {
    precondition {
      condition = data.hardened_version_support.cluster.supported
      error_message = format("%s Upgrade path: %s.",
        data.hardened_version_support.cluster.message,
      join(" -> ", data.hardened_version_support.cluster.upgrade_path))
    }
  }
}

# Warnings only: maintenance mode, missed patches and medium findings do not block anything.
check "cluster_health" {
  assert {
    condition     = data.hardened_version_support.cluster.status == "supported"
    error_message = data.hardened_version_support.cluster.message
  }

  assert {
    condition = data.hardened_version_support.cluster.patch_current
    error_message = format("Kubernetes %s is %d patch release(s) behind %s.",
      data.hardened_version_support.cluster.version,
      data.hardened_version_support.cluster.patches_behind,
    coalesce(data.hardened_version_support.cluster.latest_patch, "the latest patch"))
  }

  assert {
    condition = data.hardened_cluster_posture.cluster.summary.medium == 0
    error_message = join("\n", [
      for f in data.hardened_cluster_posture.cluster.findings :
      format("%s %s/%s: %s Fix: %s", f.id, f.kind, f.name, f.message, f.remediation)
      if f.status == "failed" && f.severity == "medium"
    ])
  }
}

output "posture_passed" {
  value = data.hardened_cluster_posture.cluster.passed
}

output "posture_summary" {
  value = data.hardened_cluster_posture.cluster.summary
}
