package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// hostileCase is one invalid configuration: want must match the diagnostic (terraform prints the
// offending configuration line, then the detail, so patterns start with the attribute's line).
type hostileCase struct {
	name, config, want string
}

func ns(body string) string {
	return "resource \"hardened_namespace\" \"test\" {\n  name = \"hostile-ns\"\n  " + body + "\n}\n"
}

func nsNamed(name string) string {
	return fmt.Sprintf("resource \"hardened_namespace\" \"test\" {\n  name = %q\n}\n", name)
}

func manifests(body string) string {
	return "data \"hardened_namespace_manifests\" \"test\" {\n  name = \"hostile-ns\"\n  " + body + "\n}\n"
}

func versionDS(body string) string {
	return "data \"hardened_version_support\" \"test\" {\n  " + body + "\n}\n"
}

func auditDS(body string) string {
	return "data \"hardened_audit_policy\" \"test\" {\n  " + body + "\n}\n"
}

func fn(args string) string {
	return `terraform {
  required_providers {
    hardened = { source = "registry.terraform.io/hashicorp/hardened" }
  }
}
output "v" {
  value = provider::hardened::version_support(` + args + `)
}
`
}

var hostileCases = []hostileCase{
	// hardened_namespace: names
	{"uppercase name", nsNamed("Not_Valid"), `name = "Not_Valid".*"Not_Valid" is not a valid namespace name`},
	{"empty name", nsNamed(""), `name = "".*"" is not a valid namespace name`},
	{"64 character name", nsNamed(strings.Repeat("a", 64)), `must be no more than 63 characters`},
	{"leading dash", nsNamed("-team"), `"-team" is not a valid namespace name`},
	{"unicode name", nsNamed("équipe"), `"équipe" is not a valid namespace name`},
	{"name with a slash", nsNamed("team/a"), `"team/a" is not a valid namespace name`},
	// labels and annotations
	{"PSA label", ns(`labels = { "pod-security.kubernetes.io/enforce" = "privileged" }`), `set pod_security instead`},
	{"metadata.name label", ns(`labels = { "kubernetes.io/metadata.name" = "other" }`), `set by the API server to the namespace name`},
	{"managed-by label", ns(`labels = { "app.kubernetes.io/managed-by" = "me" }`), `is set by the provider`},
	{"label value with spaces", ns(`labels = { team = "has spaces" }`), `label "team" has an invalid value`},
	{"huge label value", ns(`labels = { team = "` + strings.Repeat("x", 10000) + `" }`), `invalid value "x{64}\.\.\. \(10000 bytes\)": must be no more than 63`},
	{"empty label key", ns(`labels = { "" = "x" }`), `label key "" is invalid`},
	{"bad annotation key", ns(`annotations = { "bad key!" = "x" }`), `annotation key "bad key!" is invalid`},
	// environment and pod security
	{"unknown environment", ns(`environment = "production"`), `environment.*value must be one of`},
	{"empty environment", ns(`environment = ""`), `environment.*value must be one of`},
	{"unknown PSA level", ns(`pod_security = { enforce = "strict" }`), `pod_security.enforce.*value must be one of`},
	{"PSA version without v", ns(`pod_security = { version = "1.37" }`), `use "latest" or a Kubernetes minor`},
	// quotas and limits
	{"garbage quantity", ns(`resource_quota = { hard = { "requests.cpu" = "lots" } }`), `"lots" is not a Kubernetes quantity`},
	{"negative quantity", ns(`resource_quota = { hard = { "requests.memory" = "-1Gi" } }`), `"-1Gi" is negative`},
	{"fractional pods", ns(`resource_quota = { hard = { pods = "1.5" } }`), `pods counts objects: "1.5" must be a whole number`},
	{"astronomical quantity", ns(`resource_quota = { hard = { "limits.memory" = "1e100000" } }`), `is larger than any cluster`},
	{"bad quota key", ns(`resource_quota = { hard = { "requests cpu" = "1" } }`), `is not a ResourceQuota resource name`},
	{"limit for gpus", ns(`limit_range = { max = { gpu = "1" } }`), `"gpu" is not a container resource a LimitRange bounds here`},
	{"default below request", ns(`limit_range = { default = { cpu = "50m" } }`), `default_request cpu = 100m is above default cpu = 50m`},
	{"min above max", ns(`limit_range = { min = { memory = "64Gi" } }`), `min memory = 64Gi is above`},
	// network policy
	{"CIDR with host bits", ns(`network_policy = { allow_egress_to_cidrs = ["10.0.0.1/8"] }`), `"10.0.0.1/8" has host bits set: use "10.0.0.0/8"`},
	{"not a CIDR", ns(`network_policy = { allow_egress_to_cidrs = ["internet"] }`), `"internet" is not a CIDR`},
	{"ingress CIDR with host bits", ns(`network_policy = { allow_ingress_from_cidrs = ["35.191.0.1/16"] }`), `"35.191.0.1/16" has host bits set: use "35.191.0.0/16"`},
	{"port out of range", ns(`network_policy = { allow_egress_to_cidrs = ["10.0.0.0/8"], allow_egress_ports = ["70000"] }`), `port 70000 is out of range`},
	{"port protocol", ns(`network_policy = { allow_egress_to_cidrs = ["10.0.0.0/8"], allow_egress_ports = ["53/ICMP"] }`), `"53/ICMP" is not a port`},
	{"egress allows without deny", ns(`network_policy = { deny_egress = false, allow_egress_to_namespaces = ["db"] }`), `deny_egress = false allows all egress`},
	{"ingress allows without deny", ns(`network_policy = { deny_ingress = false, allow_ingress_from_namespaces = ["web"] }`), `deny_ingress = false allows all ingress`},
	{"duplicate namespace", ns(`network_policy = { allow_ingress_from_namespaces = ["web", "web"] }`), `"web" is listed twice`},
	{"ports without destinations", ns(`network_policy = { allow_ingress_ports = ["443"] }`), `allow_ingress_from_namespaces / allow_ingress_from_cidrs, which are empty`},
	// access
	{"cluster-admin", ns(`access = [{ role = "cluster-admin", groups = ["ops"] }]`), `binding cluster-admin.*allow_cluster_admin = true`},
	{"empty role", ns(`access = [{ role = "", groups = ["ops"] }]`), `role is empty`},
	{"no subjects", ns(`access = [{ role = "view" }]`), `needs at least one of users, groups or service_accounts`},
	{"service account without namespace", ns(`access = [{ role = "edit", service_accounts = ["deployer"] }]`), `use "namespace/name"`},
	{"same binding twice", ns(`access = [{ role = "edit", users = ["a"] }, { role = "Edit", users = ["b"] }]`), `gives the same RoleBinding \(hardened-access-edit\) as access\[0\]`},
	{"subject with control character", ns(`access = [{ role = "view", users = ["bob\u0007"] }]`), `is not a usable subject name`},
	// image policy
	{"registry with scheme", ns(`image_policy = { allowed_registries = ["https://registry.example.com"] }`), `has a scheme`},
	{"registry with tag", ns(`image_policy = { allowed_registries = ["registry.example.com/app:1"] }`), `is not a registry`},
	{"registry without a host", ns(`image_policy = { allowed_registries = ["harbor"] }`), `does not start with a registry host.*docker.io/<org>`},
	{"policy that checks nothing", ns(`image_policy = { forbid_latest_tag = false }`), `this image_policy checks nothing`},
	{"unknown action", ns(`image_policy = { allowed_registries = ["r.example.com"], action = "Block" }`), `image_policy.action.*value must be one of`},
	// hardened_namespace_manifests runs the same rules
	{"manifests: bad name", "data \"hardened_namespace_manifests\" \"test\" {\n  name = \"UPPER\"\n}\n", `"UPPER" is not a valid namespace name`},
	{"manifests: bad CIDR", manifests(`network_policy = { allow_egress_to_cidrs = ["300.0.0.0/8"] }`), `"300.0.0.0/8" is not a CIDR`},
	// hardened_version_support
	{"version nonsense", versionDS(`version = "latest"`), `version = "latest".*expected a Kubernetes version such as`},
	{"version major 2", versionDS(`version = "v2.0.0"`), `version = "v2.0.0".*expected a Kubernetes version`},
	{"bad as_of", versionDS(`version = "1.37.2"
  as_of = "26/11/2026"`), `as_of.*expected a date such as "2026-11-26"`},
	{"negative warn_days", versionDS(`version = "1.37.2"
  warn_days = -1`), `warn_days.*at least 0`},
	// hardened_audit_policy
	{"audit profile", auditDS(`profile = "everything"`), `"everything" is not a profile`},
	{"audit stage", auditDS(`omit_stages = ["Received"]`), `"Received" is not an audit stage`},
	{"audit raises secrets", auditDS(`extra_rules = [{ level = "RequestResponse", resources = [{ group = "", resources = ["secrets"] }] }]`), `asks to log the bodies of`},
	// provider::hardened::version_support
	{"function: bad version", fn(`"1.x", "2026-11-26"`), `expected a Kubernetes version such as`},
	{"function: bad date", fn(`"1.37.2", "tomorrow"`), `expected a date such as "2026-11-26"`},
}

// TestAccNamespace_hostileInput: every invalid configuration is refused at plan time with the
// attribute and what would be valid, and nothing reaches the cluster.
//
// Each case runs as an apply step, not a plan-only one, so that a configuration the provider
// wrongly accepted would be applied rather than never tried; the expected error must come from
// the plan that precedes the apply ("Error running pre-apply plan" is terraform-plugin-testing's
// wording). The provider reaches the API server only through a proxy that records its writes, so
// such an apply could not go unnoticed, whatever it writes (namespaced or cluster-scoped).
// apiserver_request_total is not used for this: its labels (verb, resource, code...) name
// neither the client nor the namespace, and the control plane also serves the controller manager
// (lease renewals, service accounts) and, whenever tests overlap, other tests, so a count of
// writes across the test would not be about this test alone.
func TestAccNamespace_hostileInput(t *testing.T) {
	testAccPreCheck(t)
	if len(hostileCases) < 40 {
		t.Fatalf("only %d hostile cases", len(hostileCases))
	}
	writes := &writeRecorder{}
	provider := fmt.Sprintf(`
provider "hardened" {
  host                   = %q
  token                  = %q
  cluster_ca_certificate = %q
}
`, tlsProxy(t, testCluster, writes.wrap), testCluster.AdminToken, testCluster.CACertPEM)
	names := map[string]bool{}
	for _, tc := range hostileCases {
		for _, m := range hostileNameAttr.FindAllStringSubmatch(tc.config, -1) {
			if len(validation.IsDNS1123Label(m[1])) == 0 {
				names[m[1]] = true
			}
		}
	}
	if !names["hostile-ns"] {
		t.Fatalf("no hostile configuration names namespace hostile-ns: the checks below would check nothing")
	}
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { testAccPreCheck(t) },
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      provider + tc.config,
					ExpectError: regexp.MustCompile("(?s)Error running pre-apply plan:.*" + wrapTolerant(tc.want)),
				}},
			})
		})
	}
	// Cleanups run once the parallel subtests are done.
	t.Cleanup(func() {
		sent := writes.list()
		for _, w := range sent {
			t.Errorf("a hostile configuration reached the cluster: the provider sent %s", w)
		}
		t.Logf("the provider sent %d requests through the proxy, %d of them writes", writes.requests.Load(), len(sent))
		for name := range names {
			_, err := adminClientset(t).CoreV1().Namespaces().Get(context.Background(), name, metav1.GetOptions{})
			if !apierrors.IsNotFound(err) {
				t.Errorf("a hostile configuration reached the cluster: namespace %s exists or the check failed: %v", name, err)
			}
		}
	})
}

// hostileNameAttr finds the names the hostile configurations give namespaces; the ones that are
// valid namespace names must not exist after the test.
var hostileNameAttr = regexp.MustCompile(`(?m)^\s*name\s*=\s*"([^"]*)"`)

// writeRecorder wraps the API server and records every request that could change the cluster:
// anything but GET, HEAD and OPTIONS, except dry runs and the create-only reviews
// (SelfSubjectReview and the like), which the API server answers without storing anything.
type writeRecorder struct {
	requests atomic.Int64
	mu       sync.Mutex
	writes   []string
}

func (wr *writeRecorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wr.requests.Add(1)
		if isWrite(r) {
			wr.mu.Lock()
			wr.writes = append(wr.writes, r.Method+" "+r.URL.RequestURI())
			wr.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (wr *writeRecorder) list() []string {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return slices.Clone(wr.writes)
}

func isWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	if r.URL.Query().Has("dryRun") {
		return false
	}
	review := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "reviews")
	return !review
}
