package bench

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// Config is one variant's Terraform configuration at one N.
type Config struct {
	Variant string
	N       int
	// Namespaces are the namespaces the configuration creates (none for the floor).
	Namespaces []string
	// ProviderBinary is the base name of the plugin executable whose RSS is tracked ("" for none).
	ProviderBinary string
	// StateFrom names the variant whose state this one plans instead of applying its own.
	StateFrom string
	// Provider is the variant's kubehardening provider (kubehardening/<Provider>), for moving a
	// state from one to another ("" for the others).
	Provider string
	HCL      string
}

// Names returns the N names a variant uses; each variant has its own prefix so a slow namespace
// deletion of one can never collide with the next.
func Names(variant string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("bench-%s-%04d", variant, i)
	}
	return out
}

// DriftTargets returns the names that get drifted: DriftPercent of them, rounded up, spread evenly.
func DriftTargets(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	k := (len(names)*DriftPercent + 99) / 100
	out := make([]string, 0, k)
	for i := 0; i < k; i++ {
		out = append(out, names[i*len(names)/k])
	}
	return out
}

func namesLocal(names []string) string {
	var b strings.Builder
	b.WriteString("locals {\n  names = toset([\n")
	for _, n := range names {
		fmt.Fprintf(&b, "    %q,\n", n)
	}
	b.WriteString("  ])\n}\n")
	return b.String()
}

// OursConfig is N hardened_namespace instances with the prod preset and one access entry.
func OursConfig(n int, version string) Config {
	names := Names(Ours, n)
	hcl := requiredProvider("hardened", "kubehardening/hardened", version) +
		"\n# Configured by KUBE_CONFIG_PATH.\n" + namespacesHCL("hardened", names)
	return Config{Variant: Ours, N: n, Namespaces: names, ProviderBinary: "terraform-provider-hardened", Provider: "hardened", HCL: hcl}
}

// EchoVersion is the version the schema floor (cmd/echo-provider) is installed as.
const EchoVersion = "0.0.1"

// EchoConfig is ours' configuration for echo_namespace: hardened_namespace's schema served by a
// provider that does no work (cmd/echo-provider), planning a copy of ours' state. It makes no
// cluster objects, so it has no Namespaces.
func EchoConfig(n int) Config {
	hcl := requiredProvider("echo", "kubehardening/echo", EchoVersion) + "\n" + namespacesHCL("echo", Names(Ours, n))
	return Config{Variant: Echo, N: n, ProviderBinary: "terraform-provider-echo", StateFrom: Ours, Provider: "echo", HCL: hcl}
}

// namespacesHCL is ours' provider and resource block under a provider's local name.
func namespacesHCL(local string, names []string) string {
	return fmt.Sprintf(`provider %q {}

%s
resource "%s_namespace" "bench" {
  for_each    = local.names
  name        = each.key
  environment = "prod"
  access = [
    { role = "edit", groups = ["team-x"] },
  ]
}
`, local, namesLocal(names), local)
}

// AnchorManagedBy is the managed-by label value of the anchor's objects.
const AnchorManagedBy = "terraform"

// AnchorConfig is the same objects through hashicorp/kubernetes, with the values of the prod
// preset taken from the hardening package so the two cannot drift apart.
func AnchorConfig(n int, version string) (Config, error) {
	preset, err := hardening.PresetFor(hardening.EnvProd)
	if err != nil {
		return Config{}, err
	}
	names := Names(Anchor, n)
	// Labelled as a hashicorp/kubernetes user would, not with ours' managed-by value: the variants'
	// objects exist side by side, and ours' label-selected reads must not return the anchor's.
	nsLabels := preset.PodSecurity.Labels()
	nsLabels[hardening.ManagedByLabel] = AnchorManagedBy
	nsLabels[hardening.EnvironmentLabel] = hardening.EnvProd
	managed := map[string]string{hardening.ManagedByLabel: AnchorManagedBy}
	lr := preset.LimitRange
	var limit strings.Builder
	limit.WriteString("      type = \"Container\"\n")
	for _, m := range []struct {
		attr string
		vals map[string]string
	}{{"default_request", lr.DefaultRequest}, {"default", lr.Default}, {"max", lr.Max}, {"min", lr.Min}} {
		if len(m.vals) > 0 {
			fmt.Fprintf(&limit, "      %s = %s\n", m.attr, hclMap(m.vals, 6))
		}
	}
	hcl := fmt.Sprintf(`%[1]s
# Configured by KUBE_CONFIG_PATH.
provider "kubernetes" {}

%[2]s
resource "kubernetes_namespace_v1" "bench" {
  for_each = local.names
  metadata {
    name   = each.key
    labels = %[3]s
  }
}

resource "kubernetes_resource_quota_v1" "bench" {
  for_each = local.names
  metadata {
    name      = %[4]q
    namespace = kubernetes_namespace_v1.bench[each.key].metadata[0].name
    labels    = %[5]s
  }
  spec {
    hard = %[6]s
  }
}

resource "kubernetes_limit_range_v1" "bench" {
  for_each = local.names
  metadata {
    name      = %[7]q
    namespace = kubernetes_namespace_v1.bench[each.key].metadata[0].name
    labels    = %[5]s
  }
  spec {
    limit {
%[8]s    }
  }
}

resource "kubernetes_network_policy_v1" "default_deny" {
  for_each = local.names
  metadata {
    name      = %[9]q
    namespace = kubernetes_namespace_v1.bench[each.key].metadata[0].name
    labels    = %[5]s
  }
  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]
  }
}

resource "kubernetes_network_policy_v1" "allow_dns" {
  for_each = local.names
  metadata {
    name      = %[10]q
    namespace = kubernetes_namespace_v1.bench[each.key].metadata[0].name
    labels    = %[5]s
  }
  spec {
    pod_selector {}
    policy_types = ["Egress"]
    egress {
      to {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = "kube-system" }
        }
      }
      ports {
        port     = "53"
        protocol = "UDP"
      }
      ports {
        port     = "53"
        protocol = "TCP"
      }
    }
  }
}

resource "kubernetes_role_binding_v1" "edit" {
  for_each = local.names
  metadata {
    name      = %[11]q
    namespace = kubernetes_namespace_v1.bench[each.key].metadata[0].name
    labels    = %[5]s
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "edit"
  }
  subject {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Group"
    name      = "team-x"
  }
}
`, requiredProvider("kubernetes", "hashicorp/kubernetes", version), namesLocal(names), hclMap(nsLabels, 4), hardening.ResourceQuotaName, hclMap(managed, 4),
		hclMap(preset.ResourceQuota, 4), hardening.LimitRangeName, limit.String(), hardening.PolicyDefaultDeny,
		hardening.PolicyAllowDNS, hardening.RoleBindingName("edit"))
	return Config{Variant: Anchor, N: n, Namespaces: names, ProviderBinary: "terraform-provider-kubernetes", HCL: hcl}, nil
}

// NoopVersion is the version the plugin floor (cmd/noop-provider) is installed as.
const NoopVersion = "0.0.1"

// NoopConfig is N noop_thing instances: a plugin provider that does nothing, so what Terraform
// core and the plugin protocol cost any provider before it does any work.
func NoopConfig(n int) Config {
	names := Names(Noop, n)
	hcl := fmt.Sprintf(`%s
%s
resource "noop_thing" "bench" {
  for_each = local.names
  name     = each.key
}
`, requiredProvider("noop", "kubehardening/noop", NoopVersion), namesLocal(names))
	return Config{Variant: Noop, N: n, ProviderBinary: "terraform-provider-noop", HCL: hcl}
}

// FloorConfig is N terraform_data instances: Terraform core with no provider at all.
func FloorConfig(n int) Config {
	names := Names(Floor, n)
	hcl := fmt.Sprintf(`%s
resource "terraform_data" "bench" {
  for_each = local.names
  input    = each.key
}
`, namesLocal(names))
	return Config{Variant: Floor, N: n, HCL: hcl}
}

// requiredProvider is the terraform block that pins a variant's provider to the mirror's version.
func requiredProvider(local, source, version string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    %s = {
      source  = %q
      version = %q
    }
  }
}
`, local, source, version)
}

// hclMap renders a string map as a multi-line HCL object, keys sorted, indented for its nesting.
func hclMap(m map[string]string, indent int) string {
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s  %q = %q\n", pad, k, m[k])
	}
	b.WriteString(pad + "}")
	return b.String()
}

// Renamed gives a configuration namespaces of its own: "bench-<variant>-" becomes
// "bench-<variant>-<tag>-" in its names and HCL.
func Renamed(c Config, tag string) Config {
	from, to := "bench-"+c.Variant+"-", "bench-"+c.Variant+"-"+tag+"-"
	c.Namespaces = append([]string(nil), c.Namespaces...)
	for i, n := range c.Namespaces {
		c.Namespaces[i] = strings.Replace(n, from, to, 1)
	}
	c.HCL = strings.ReplaceAll(c.HCL, `"`+from, `"`+to)
	return c
}
