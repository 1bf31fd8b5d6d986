# The version of the cluster the provider is configured for, judged on today's date (UTC).
data "hardened_version_support" "cluster" {}

# Report, without failing the run, when the cluster is not in full support or misses patches.
check "kubernetes_version_support" {
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
}

# Block changes that depend on this gate while the cluster runs an unsupported version.
resource "terraform_data" "workloads_gate" {
  input = data.hardened_version_support.cluster.version

  lifecycle {
    precondition {
      condition = data.hardened_version_support.cluster.supported
      error_message = format("%s Upgrade path: %s.",
        data.hardened_version_support.cluster.message,
      join(" -> ", data.hardened_version_support.cluster.upgrade_path))
    }
  }
}

# Or check a version you are about to deploy, stopping the plan when it is end of life. The -eks-
# suffix selects the Amazon EKS calendar (set distribution to choose one yourself).
variable "eks_version" {
  type    = string
  default = "v1.36.5-eks-1a2b3c4"
}

data "hardened_version_support" "planned" {
  version = var.eks_version

  # A fixed date, so that the default version gets the same verdict on any day: EKS 1.36 leaves
  # standard support on 2027-08-02 and extended support on 2028-08-02, after which this read would
  # stop the plan. Remove as_of to judge on today's date (UTC), as a real pipeline should.
  as_of                 = "2026-11-26"
  warn_days             = 90
  fail_when_unsupported = true
}

# Extended support is supported but billed: refuse it for this configuration.
resource "terraform_data" "no_extended_support" {
  input = data.hardened_version_support.planned.distribution

  lifecycle {
    precondition {
      condition = data.hardened_version_support.planned.status != "extended_support"
      error_message = format("%s Upgrade through %s before %s.",
        data.hardened_version_support.planned.message,
        join(", ", data.hardened_version_support.planned.upgrade_path),
      coalesce(data.hardened_version_support.planned.end_of_standard_support_date, "the end of standard support"))
    }
  }
}
