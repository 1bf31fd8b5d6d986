# Judge the cluster the provider is configured for against the ten practices.
data "hardened_cluster_posture" "cluster" {
  # Per-namespace checks only for tenant namespaces; kube-system, kube-public and
  # kube-node-lease are always skipped. Cluster-wide checks are not affected.
  namespaces = {
    include = ["team-*", "default"]
    exclude = ["team-sandbox"]
  }

  # distribution is detected (EKS, GKE and AKS objects their vendor manages are not findings);
  # accept grants to your own break-glass group. Both are listed in excluded, never hidden.
  exclude_subjects = [{ kind = "Group", name = "platform-break-glass" }]
}

output "posture_excluded" {
  value = [for x in data.hardened_cluster_posture.cluster.excluded : "${x.id} ${x.kind} ${x.name}: ${x.reason}"]
}

# Report, without failing the run, every critical or high finding.
check "cluster_posture" {
  assert {
    condition = data.hardened_cluster_posture.cluster.summary.critical + data.hardened_cluster_posture.cluster.summary.high == 0
    error_message = join("\n", [
      for f in data.hardened_cluster_posture.cluster.findings :
      format("%s %s %s %s: %s Fix: %s", f.id, f.severity, f.kind, f.namespace == "" ? f.name : "${f.namespace}/${f.name}", f.message, f.remediation)
      if f.status == "failed" && contains(["critical", "high"], f.severity)
    ])
  }

  # A stricter rule for one practice: no workloads in the default namespace.
  assert {
    condition     = length([for f in data.hardened_cluster_posture.cluster.findings : f if f.id == "HRD-6003"]) == 0
    error_message = "Workloads run in the default namespace; move them to a hardened_namespace."
  }
}

# A plan-time gate: reading fails, and the plan stops, while any critical finding fails
# (anonymous access, cluster-admin for the Dashboard, an end-of-life Kubernetes version, ...).
data "hardened_cluster_posture" "gate" {
  fail_on = "critical"
}

output "posture_summary" {
  value = data.hardened_cluster_posture.gate.summary
}
