# An audit policy for a control plane you run yourself (kubeadm, k3s, kops, Talos, bare metal).
# Every profile keeps Secret, ConfigMap and token bodies out of the log and records RBAC and
# admission policy changes in full; extra_rules come right after those two rules, before the
# profile's noise filters and catch-all, so they can tune everything else.
data "hardened_audit_policy" "control_plane" {
  profile = "standard" # or "minimal" (changes only) or "verbose" (changes with request bodies)

  extra_rules = [
    # Your operators' custom resources that carry credentials: never their bodies.
    {
      level     = "Metadata"
      resources = [{ group = "db.example.com", resources = ["credentials"] }]
    },
    # Everything about changes to the payments team's workloads.
    {
      level      = "RequestResponse"
      namespaces = ["payments"]
      verbs      = ["create", "update", "patch", "delete"]
      resources  = [{ group = "apps", resources = ["deployments", "statefulsets"] }]
    },
    # Nothing of the metrics scraper's reads.
    {
      level = "None"
      users = ["system:serviceaccount:monitoring:prometheus"]
      verbs = ["get", "list", "watch"]
    },
  ]
}

# Put the policy where kube-apiserver reads it, on every control-plane node:
#   terraform output -raw audit_policy > /etc/kubernetes/audit-policy.yaml
# and start kube-apiserver with
#   --audit-policy-file=/etc/kubernetes/audit-policy.yaml
#   --audit-log-path=/var/log/kubernetes/audit/audit.log
#   --audit-log-maxage=30 --audit-log-maxbackup=10 --audit-log-maxsize=100
# (kubeadm: ClusterConfiguration apiServer.extraArgs, with extraVolumes mounting both paths into
# the static pod.) Or hand the output to your node provisioning (cloud-init, Ignition, Ansible).
output "audit_policy" {
  value = data.hardened_audit_policy.control_plane.yaml
}

# Changes exactly when the policy does: restart kube-apiserver (or roll the control plane) then.
output "audit_policy_sha256" {
  value = data.hardened_audit_policy.control_plane.id
}
