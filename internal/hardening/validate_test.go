package hardening

import (
	"errors"
	"strings"
	"testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/fielderr"
)

// tWantErr is one expected fielderr.Error: path is exactly what Error() renders before ": ", msg is a
// substring of the message after it.
type tWantErr struct{ path, msg string }

func tCheckErrs(t *testing.T, got []fielderr.Error, want []tWantErr) {
	t.Helper()
	rendered := make([]string, len(got))
	for i, e := range got {
		rendered[i] = e.Error()
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n  %s", len(got), len(want), strings.Join(rendered, "\n  "))
	}
	for i, w := range want {
		prefix := w.path + ": "
		if !strings.HasPrefix(rendered[i], prefix) {
			t.Errorf("error %d = %q, want path %q", i, rendered[i], w.path)
			continue
		}
		if !strings.Contains(rendered[i][len(prefix):], w.msg) {
			t.Errorf("error %d = %q, want message containing %q", i, rendered[i], w.msg)
		}
	}
}

func TestFieldErrorRendering(t *testing.T) {
	tests := []struct {
		err  fielderr.Error
		want string
	}{
		{fielderr.Error{Path: []any{"name"}, Msg: "m"}, "name: m"},
		{fielderr.Error{Path: []any{"network_policy", "allow_egress_to_cidrs", 1}, Msg: "m"}, "network_policy.allow_egress_to_cidrs[1]: m"},
		{fielderr.Error{Path: []any{"labels", fielderr.MapKey("pod-security.kubernetes.io/enforce")}, Msg: "m"}, `labels["pod-security.kubernetes.io/enforce"]: m`},
		{fielderr.Error{Path: []any{"access", 0, "role"}, Msg: "m"}, "access[0].role: m"},
		{fielderr.Error{Path: []any{"access", 2, "service_accounts", 10}, Msg: "m"}, "access[2].service_accounts[10]: m"},
		{fielderr.Error{Path: []any{"limit_range", "default", fielderr.MapKey("cpu")}, Msg: "m"}, `limit_range.default["cpu"]: m`},
		{fielderr.Error{Path: []any{"resource_quota", "hard", fielderr.MapKey(`a"b`)}, Msg: "m"}, `resource_quota.hard["a\"b"]: m`},
		{fielderr.Error{Path: nil, Msg: "m"}, ": m"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestValidateInvalid(t *testing.T) {
	name64 := strings.Repeat("a", 64)
	// A valid egress destination, so port cases report only the port.
	egressTo := func(ports ...string) NetworkInput {
		return NetworkInput{AllowEgressToNamespaces: []string{"db"}, AllowEgressPorts: ports}
	}
	user := []string{"alice"}

	tests := []struct {
		name string
		spec NamespaceSpec
		want []tWantErr
	}{
		// Names.
		{"name uppercase", NamespaceSpec{Name: "Team-A"},
			[]tWantErr{{"name", `"Team-A" is not a valid namespace name: a lowercase RFC 1123 label must consist of`}}},
		{"name 64 chars", NamespaceSpec{Name: name64},
			[]tWantErr{{"name", "must be no more than 63 characters"}}},
		{"name leading dash", NamespaceSpec{Name: "-team"},
			[]tWantErr{{"name", `"-team" is not a valid namespace name`}}},
		{"name trailing dash", NamespaceSpec{Name: "team-"},
			[]tWantErr{{"name", `"team-" is not a valid namespace name`}}},
		{"name empty", NamespaceSpec{Name: ""},
			[]tWantErr{{"name", `"" is not a valid namespace name`}}},
		{"name unicode", NamespaceSpec{Name: "tëam"},
			[]tWantErr{{"name", `"tëam" is not a valid namespace name`}}},
		{"name with dot", NamespaceSpec{Name: "team.a"},
			[]tWantErr{{"name", `"team.a" is not a valid namespace name`}}},
		{"name with underscore", NamespaceSpec{Name: "team_a"},
			[]tWantErr{{"name", `"team_a" is not a valid namespace name`}}},

		// Labels.
		{"label pod-security enforce", NamespaceSpec{Name: "a", Labels: map[string]string{"pod-security.kubernetes.io/enforce": "privileged"}},
			[]tWantErr{{`labels["pod-security.kubernetes.io/enforce"]`, `label key "pod-security.kubernetes.io/enforce" is managed by the provider: set pod_security instead`}}},
		{"label pod-security warn-version", NamespaceSpec{Name: "a", Labels: map[string]string{"pod-security.kubernetes.io/warn-version": "latest"}},
			[]tWantErr{{`labels["pod-security.kubernetes.io/warn-version"]`, "is managed by the provider"}}},
		{"label metadata.name", NamespaceSpec{Name: "a", Labels: map[string]string{"kubernetes.io/metadata.name": "other"}},
			[]tWantErr{{`labels["kubernetes.io/metadata.name"]`, "is set by the API server to the namespace name"}}},
		{"label managed-by", NamespaceSpec{Name: "a", Labels: map[string]string{"app.kubernetes.io/managed-by": "helm"}},
			[]tWantErr{{`labels["app.kubernetes.io/managed-by"]`, `label key "app.kubernetes.io/managed-by" is set by the provider`}}},
		{"label environment", NamespaceSpec{Name: "a", Labels: map[string]string{"hardened.kubehardening.io/environment": "dev"}},
			[]tWantErr{{`labels["hardened.kubehardening.io/environment"]`, `label key "hardened.kubehardening.io/environment" is set by the provider`}}},
		{"label value with space", NamespaceSpec{Name: "a", Labels: map[string]string{"team": "a b"}},
			[]tWantErr{{`labels["team"]`, `label "team" has an invalid value "a b"`}}},
		{"label value 64 chars", NamespaceSpec{Name: "a", Labels: map[string]string{"team": strings.Repeat("v", 64)}},
			[]tWantErr{{`labels["team"]`, "must be no more than 63 bytes"}}},
		{"label value leading dash", NamespaceSpec{Name: "a", Labels: map[string]string{"team": "-x"}},
			[]tWantErr{{`labels["team"]`, `has an invalid value "-x"`}}},
		{"label key with bang", NamespaceSpec{Name: "a", Labels: map[string]string{"bad key!": "x"}},
			[]tWantErr{{`labels["bad key!"]`, `label key "bad key!" is invalid`}}},
		{"label key uppercase prefix", NamespaceSpec{Name: "a", Labels: map[string]string{"Example.com/team": "x"}},
			[]tWantErr{{`labels["Example.com/team"]`, `label key "Example.com/team" is invalid`}}},
		{"labels reported in key order", NamespaceSpec{Name: "a", Labels: map[string]string{
			"z": "bad value", "app.kubernetes.io/managed-by": "x", "ok": "fine"}},
			[]tWantErr{
				{`labels["app.kubernetes.io/managed-by"]`, "is set by the provider"},
				{`labels["z"]`, "has an invalid value"},
			}},

		// Annotations.
		{"annotation key two slashes", NamespaceSpec{Name: "a", Annotations: map[string]string{"a/b/c": "x"}},
			[]tWantErr{{`annotations["a/b/c"]`, `annotation key "a/b/c" is invalid`}}},
		{"annotation key empty", NamespaceSpec{Name: "a", Annotations: map[string]string{"": "x"}},
			[]tWantErr{{`annotations[""]`, `annotation key "" is invalid`}}},
		{"annotation key leading dash", NamespaceSpec{Name: "a", Annotations: map[string]string{"-note": "x"}},
			[]tWantErr{{`annotations["-note"]`, `annotation key "-note" is invalid`}}},
		{"annotation key with space", NamespaceSpec{Name: "a", Annotations: map[string]string{"my note": "x"}},
			[]tWantErr{{`annotations["my note"]`, `annotation key "my note" is invalid`}}},

		// Environment: reported, and nothing after it is checked.
		{"environment unknown", NamespaceSpec{Name: "a", Environment: "production"},
			[]tWantErr{{"environment", `"production" is not an environment: use one of dev, test, staging, prod`}}},
		{"environment wrong case", NamespaceSpec{Name: "a", Environment: "Prod"},
			[]tWantErr{{"environment", `"Prod" is not an environment`}}},
		{"environment stops validation after name", NamespaceSpec{Name: "Bad", Environment: "qa",
			PodSecurity: PodSecurityInput{Enforce: tStrPtr("nope")}, ResourceQuota: map[string]string{"pods": "x"}},
			[]tWantErr{{"name", `"Bad" is not a valid namespace name`}, {"environment", `"qa" is not an environment`}}},

		// Pod Security.
		{"enforce unknown level", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Enforce: tStrPtr("strict")}},
			[]tWantErr{{"pod_security.enforce", `"strict" is not a Pod Security level: use one of privileged, baseline, restricted`}}},
		{"audit wrong case", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Audit: tStrPtr("Restricted")}},
			[]tWantErr{{"pod_security.audit", `"Restricted" is not a Pod Security level`}}},
		{"warn empty", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Warn: tStrPtr("")}},
			[]tWantErr{{"pod_security.warn", `"" is not a Pod Security level`}}},
		{"version without v", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("1.30")}},
			[]tWantErr{{"pod_security.version", `"1.30" is not a Pod Security policy version: use "latest" or a Kubernetes minor such as "v1.37"`}}},
		{"version leading zero", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("v1.030")}},
			[]tWantErr{{"pod_security.version", `"v1.030" is not a Pod Security policy version`}}},
		{"version major 2", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("v2.0")}},
			[]tWantErr{{"pod_security.version", `"v2.0" is not a Pod Security policy version`}}},
		{"version patch", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("v1.30.1")}},
			[]tWantErr{{"pod_security.version", `"v1.30.1" is not a Pod Security policy version`}}},
		{"version Latest", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("Latest")}},
			[]tWantErr{{"pod_security.version", `"Latest" is not a Pod Security policy version`}}},
		{"all pod security fields bad, in order", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{
			Enforce: tStrPtr("x"), Audit: tStrPtr("y"), Warn: tStrPtr("z"), Version: tStrPtr("v")}},
			[]tWantErr{
				{"pod_security.enforce", `"x" is not a Pod Security level`},
				{"pod_security.audit", `"y" is not a Pod Security level`},
				{"pod_security.warn", `"z" is not a Pod Security level`},
				{"pod_security.version", `"v" is not a Pod Security policy version`},
			}},

		// Resource quota.
		{"quota negative", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"requests.cpu": "-1"}},
			[]tWantErr{{`resource_quota.hard["requests.cpu"]`, `"-1" is negative: quantities must be zero or more`}}},
		{"quota negative memory", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"limits.memory": "-512Mi"}},
			[]tWantErr{{`resource_quota.hard["limits.memory"]`, `"-512Mi" is negative`}}},
		{"quota garbage", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"pods": "lots"}},
			[]tWantErr{{`resource_quota.hard["pods"]`, `"lots" is not a Kubernetes quantity`}}},
		{"quota empty value", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"pods": ""}},
			[]tWantErr{{`resource_quota.hard["pods"]`, `"" is not a Kubernetes quantity`}}},
		{"quota GB suffix", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"requests.memory": "8GB"}},
			[]tWantErr{{`resource_quota.hard["requests.memory"]`, `"8GB" is not a Kubernetes quantity`}}},
		{"quota huge exponent", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"limits.memory": "1e99999999999999999999"}},
			[]tWantErr{{`resource_quota.hard["limits.memory"]`, `"1e99999999999999999999" is not a Kubernetes quantity`}}},
		{"quota unknown suffix Zi", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"requests.storage": "1Zi"}},
			[]tWantErr{{`resource_quota.hard["requests.storage"]`, `"1Zi" is not a Kubernetes quantity`}}},
		{"quota hex", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"pods": "0x10"}},
			[]tWantErr{{`resource_quota.hard["pods"]`, `"0x10" is not a Kubernetes quantity`}}},
		{"quota spaces", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"pods": " 10"}},
			[]tWantErr{{`resource_quota.hard["pods"]`, `" 10" is not a Kubernetes quantity`}}},
		{"quota bad key", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"bad key": "1"}},
			[]tWantErr{{`resource_quota.hard["bad key"]`, `"bad key" is not a ResourceQuota resource name`}}},
		{"quota key two slashes", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"count/a/b": "1"}},
			[]tWantErr{{`resource_quota.hard["count/a/b"]`, `"count/a/b" is not a ResourceQuota resource name`}}},

		// Limit range entries.
		{"limit key gpu", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{Default: map[string]string{"gpu": "1"}}},
			[]tWantErr{{`limit_range.default["gpu"]`, `"gpu" is not a container resource a LimitRange bounds here: use one of cpu, memory, ephemeral-storage`}}},
		{"limit key nvidia.com/gpu", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{Max: map[string]string{"nvidia.com/gpu": "1"}}},
			[]tWantErr{{`limit_range.max["nvidia.com/gpu"]`, `"nvidia.com/gpu" is not a container resource`}}},
		{"limit key CPU uppercase", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{DefaultRequest: map[string]string{"CPU": "1"}}},
			[]tWantErr{{`limit_range.default_request["CPU"]`, `"CPU" is not a container resource`}}},
		{"limit garbage quantity", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{Max: map[string]string{"memory": "lots"}}},
			[]tWantErr{{`limit_range.max["memory"]`, `"lots" is not a Kubernetes quantity`}}},
		{"limit negative min", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{Min: map[string]string{"cpu": "-100m"}}},
			[]tWantErr{{`limit_range.min["cpu"]`, `"-100m" is negative`}}},
		{"limit fields reported default_request, default, max, min", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			Min: map[string]string{"cpu": "x"}, Max: map[string]string{"cpu": "x"},
			Default: map[string]string{"cpu": "x"}, DefaultRequest: map[string]string{"cpu": "x"}}},
			[]tWantErr{
				{`limit_range.default_request["cpu"]`, "not a Kubernetes quantity"},
				{`limit_range.default["cpu"]`, "not a Kubernetes quantity"},
				{`limit_range.max["cpu"]`, "not a Kubernetes quantity"},
				{`limit_range.min["cpu"]`, "not a Kubernetes quantity"},
			}},

		// Limit range order contradictions (after the preset).
		{"default_request above prod default", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{DefaultRequest: map[string]string{"cpu": "2"}}},
			[]tWantErr{{`limit_range.default_request["cpu"]`, "default_request cpu = 2 is above default cpu = 1 (after the environment preset): limit ranges need min <= default_request <= default <= max"}}},
		{"user default_request above user default", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			DefaultRequest: map[string]string{"memory": "2Gi"}, Default: map[string]string{"memory": "1Gi"}}},
			[]tWantErr{{`limit_range.default_request["memory"]`, "default_request memory = 2Gi is above default memory = 1Gi"}}},
		{"min above max", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			Min: map[string]string{"cpu": "3"}, DefaultRequest: map[string]string{"cpu": "3"},
			Default: map[string]string{"cpu": "3"}, Max: map[string]string{"cpu": "2"}}},
			[]tWantErr{{`limit_range.min["cpu"]`, "min cpu = 3 is above max cpu = 2"}}},
		{"user max below prod preset default", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{Max: map[string]string{"memory": "512Mi"}}},
			[]tWantErr{{`limit_range.max["memory"]`, "default memory = 1Gi is above max memory = 512Mi"}}},
		{"user max below prod preset default_request", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{Max: map[string]string{"cpu": "50m"}}},
			[]tWantErr{{`limit_range.max["cpu"]`, "default_request cpu = 100m is above max cpu = 50m"}}},
		{"user default above dev preset max", NamespaceSpec{Name: "a", Environment: "dev", LimitRange: LimitRangeInput{Default: map[string]string{"cpu": "4"}}},
			[]tWantErr{{`limit_range.default["cpu"]`, "default cpu = 4 is above max cpu = 2"}}},
		{"user min above test preset default_request", NamespaceSpec{Name: "a", Environment: "test", LimitRange: LimitRangeInput{Min: map[string]string{"memory": "256Mi"}}},
			[]tWantErr{{`limit_range.min["memory"]`, "min memory = 256Mi is above default_request memory = 128Mi"}}},
		{"ephemeral-storage default above max", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			Default: map[string]string{"ephemeral-storage": "2Gi"}, Max: map[string]string{"ephemeral-storage": "1Gi"}}},
			[]tWantErr{{`limit_range.default["ephemeral-storage"]`, "default ephemeral-storage = 2Gi is above max ephemeral-storage = 1Gi"}}},
		{"cpu and memory both contradictory, cpu first", NamespaceSpec{Name: "a", Environment: "staging", LimitRange: LimitRangeInput{
			Max: map[string]string{"memory": "100Mi", "cpu": "10m"}}},
			[]tWantErr{
				{`limit_range.max["cpu"]`, "default_request cpu = 100m is above max cpu = 10m"},
				{`limit_range.max["memory"]`, "default_request memory = 128Mi is above max memory = 100Mi"},
			}},

		// CIDRs.
		{"cidr host bits at index 1", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"10.0.0.0/8", "192.168.1.1/16"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[1]", `"192.168.1.1/16" has host bits set: use "192.168.0.0/16"`}}},
		{"cidr ipv6 host bits", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"2001:db8::1/32"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `"2001:db8::1/32" has host bits set: use "2001:db8::/32"`}}},
		{"cidr garbage", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"garbage"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `"garbage" is not a CIDR: use a network such as "10.0.0.0/8" or "2001:db8::/32"`}}},
		{"cidr without prefix length", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"10.0.0.0"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `"10.0.0.0" is not a CIDR`}}},
		{"cidr prefix too long", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"10.0.0.0/33"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `"10.0.0.0/33" is not a CIDR`}}},
		{"cidr leading zero octet", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"010.0.0.0/8"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `"010.0.0.0/8" is not a CIDR`}}},
		{"cidr ipv6 zone", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"fe80::%eth0/64"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `"fe80::%eth0/64" is not a CIDR`}}},
		{"cidr duplicate", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"10.0.0.0/8", "10.0.0.0/8"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[1]", `"10.0.0.0/8" is listed twice`}}},

		// Ports.
		{"port 0", NamespaceSpec{Name: "a", Network: egressTo("0")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", "port 0 is out of range: use 1-65535"}}},
		{"port 70000 at index 1", NamespaceSpec{Name: "a", Network: egressTo("443", "70000")},
			[]tWantErr{{"network_policy.allow_egress_ports[1]", "port 70000 is out of range: use 1-65535"}}},
		{"port 65536/UDP", NamespaceSpec{Name: "a", Network: egressTo("65536/UDP")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", "port 65536 is out of range"}}},
		{"port name http", NamespaceSpec{Name: "a", Network: egressTo("http")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `"http" is not a port: use a number with an optional protocol`}}},
		{"port 53/ICMP", NamespaceSpec{Name: "a", Network: egressTo("53/ICMP")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `"53/ICMP" is not a port`}}},
		{"port lowercase protocol", NamespaceSpec{Name: "a", Network: egressTo("443/tcp")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `"443/tcp" is not a port`}}},
		{"port six digits", NamespaceSpec{Name: "a", Network: egressTo("100000")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `"100000" is not a port`}}},
		{"port negative", NamespaceSpec{Name: "a", Network: egressTo("-1")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `"-1" is not a port`}}},
		{"port range", NamespaceSpec{Name: "a", Network: egressTo("8000-9000")},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `"8000-9000" is not a port`}}},
		{"ingress port duplicate", NamespaceSpec{Name: "a", Network: NetworkInput{
			AllowIngressFromNamespaces: []string{"web"}, AllowIngressPorts: []string{"8080", "8080"}}},
			[]tWantErr{{"network_policy.allow_ingress_ports[1]", `"8080" is listed twice`}}},
		{"ingress port out of range", NamespaceSpec{Name: "a", Network: NetworkInput{
			AllowIngressFromNamespaces: []string{"web"}, AllowIngressPorts: []string{"99999/TCP"}}},
			[]tWantErr{{"network_policy.allow_ingress_ports[0]", "port 99999 is out of range"}}},

		// Namespace lists.
		{"egress namespace duplicate", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToNamespaces: []string{"db", "cache", "db"}}},
			[]tWantErr{{"network_policy.allow_egress_to_namespaces[2]", `"db" is listed twice`}}},
		{"ingress namespace invalid", NamespaceSpec{Name: "a", Network: NetworkInput{AllowIngressFromNamespaces: []string{"web", "Web"}}},
			[]tWantErr{{"network_policy.allow_ingress_from_namespaces[1]", `"Web" is not a valid namespace name`}}},
		{"ingress namespace duplicate", NamespaceSpec{Name: "a", Network: NetworkInput{AllowIngressFromNamespaces: []string{"web", "web"}}},
			[]tWantErr{{"network_policy.allow_ingress_from_namespaces[1]", `"web" is listed twice`}}},

		// Network contradictions.
		{"deny_egress false with egress namespace allow", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyEgress: tBoolPtr(false), AllowEgressToNamespaces: []string{"db"}}},
			[]tWantErr{{"network_policy.deny_egress", "deny_egress = false allows all egress, so allow_egress_to_namespaces / allow_egress_to_cidrs / allow_egress_ports would do nothing"}}},
		{"deny_egress false with egress cidr allow", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyEgress: tBoolPtr(false), AllowEgressToCIDRs: []string{"10.0.0.0/8"}}},
			[]tWantErr{{"network_policy.deny_egress", "deny_egress = false allows all egress"}}},
		{"deny_egress false with egress ports only", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyEgress: tBoolPtr(false), AllowEgressPorts: []string{"443"}}},
			[]tWantErr{
				{"network_policy.deny_egress", "deny_egress = false allows all egress"},
				{"network_policy.allow_egress_ports", "allow_egress_ports restricts allow_egress_to_namespaces / allow_egress_to_cidrs, which are empty: list the destinations"},
			}},
		{"deny_ingress false with ingress namespace allow", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyIngress: tBoolPtr(false), AllowIngressFromNamespaces: []string{"web"}}},
			[]tWantErr{{"network_policy.deny_ingress", "deny_ingress = false allows all ingress, so allow_ingress_from_namespaces / allow_ingress_from_cidrs / allow_ingress_ports would do nothing"}}},
		{"deny_ingress false with ingress ports only", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyIngress: tBoolPtr(false), AllowIngressPorts: []string{"443"}}},
			[]tWantErr{
				{"network_policy.deny_ingress", "deny_ingress = false allows all ingress"},
				{"network_policy.allow_ingress_ports", "allow_ingress_ports restricts allow_ingress_from_namespaces / allow_ingress_from_cidrs, which are empty: list the sources allowed in"},
			}},
		{"allow_dns true with deny_egress false", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyEgress: tBoolPtr(false), AllowDNS: tBoolPtr(true)}},
			[]tWantErr{{"network_policy.allow_dns", "allow_dns = true only matters when egress is denied"}}},
		{"ingress ports without namespaces", NamespaceSpec{Name: "a", Network: NetworkInput{AllowIngressPorts: []string{"443"}}},
			[]tWantErr{{"network_policy.allow_ingress_ports", "allow_ingress_ports restricts allow_ingress_from_namespaces / allow_ingress_from_cidrs, which are empty"}}},
		{"egress ports without destinations", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressPorts: []string{"443", "53/UDP"}}},
			[]tWantErr{{"network_policy.allow_egress_ports", "which are empty: list the destinations"}}},
		{"both denies false with every allow", NamespaceSpec{Name: "a", Network: NetworkInput{
			DenyIngress: tBoolPtr(false), DenyEgress: tBoolPtr(false), AllowDNS: tBoolPtr(true),
			AllowIngressFromNamespaces: []string{"web"}, AllowEgressToCIDRs: []string{"10.0.0.0/8"}}},
			[]tWantErr{
				{"network_policy.deny_ingress", "deny_ingress = false allows all ingress"},
				{"network_policy.deny_egress", "deny_egress = false allows all egress"},
				{"network_policy.allow_dns", "allow_dns = true only matters when egress is denied"},
			}},

		// Access.
		{"access empty role", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "", Users: user}}},
			[]tWantErr{{"access[0].role", "role is empty: use view, edit, admin or the name of a ClusterRole"}}},
		{"access role with slash", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "team/edit", Users: user}}},
			[]tWantErr{{"access[0].role", `"team/edit" is not a valid ClusterRole name`}}},
		{"access role with percent", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "ed%it", Users: user}}},
			[]tWantErr{{"access[0].role", `"ed%it" is not a valid ClusterRole name`}}},
		{"access role dot", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: ".", Users: user}}},
			[]tWantErr{{"access[0].role", `"." is not a valid ClusterRole name`}}},
		{"access role dotdot", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "..", Users: user}}},
			[]tWantErr{{"access[0].role", `".." is not a valid ClusterRole name`}}},
		{"access role control char", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "ed\tit", Users: user}}},
			[]tWantErr{{"access[0].role", `"ed\tit" is not a valid ClusterRole name`}}},
		{"access role too long", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: strings.Repeat("r", 201), Users: user}}},
			[]tWantErr{{"access[0].role", "is not a valid ClusterRole name"}}},
		{"cluster-admin without allow", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: user}, {Role: "cluster-admin", Groups: []string{"ops"}}}},
			[]tWantErr{{"access[1].role", "binding cluster-admin gives full control of the namespace"}}},
		{"no subjects", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view"}}},
			[]tWantErr{{"access[0]", "an access entry needs at least one of users, groups or service_accounts"}}},
		{"empty subject slices", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: user}, {Role: "edit", Users: []string{}, Groups: []string{}}}},
			[]tWantErr{{"access[1]", "an access entry needs at least one of users, groups or service_accounts"}}},
		{"duplicate role across entries", NamespaceSpec{Name: "a", Access: []AccessEntry{
			{Role: "edit", Users: user}, {Role: "view", Users: user}, {Role: "edit", Groups: []string{"devs"}}}},
			[]tWantErr{{"access[2].role", `role "edit" gives the same RoleBinding (hardened-access-edit) as access[0]`}}},
		{"roles that differ only in case share a binding", NamespaceSpec{Name: "a", Access: []AccessEntry{
			{Role: "edit", Users: user}, {Role: "Edit", Users: []string{"b"}}}},
			[]tWantErr{{"access[1].role", `role "Edit" gives the same RoleBinding (hardened-access-edit) as access[0]`}}},
		{"roles that differ only in separators share a binding", NamespaceSpec{Name: "a", Access: []AccessEntry{
			{Role: "system:foo", Users: user}, {Role: "system_foo", Users: user}}},
			[]tWantErr{{"access[1].role", `gives the same RoleBinding (hardened-access-system-foo) as access[0]`}}},
		{"fractional pod count", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"pods": "0.5"}},
			[]tWantErr{{`resource_quota.hard["pods"]`, `pods counts objects: "0.5" must be a whole number`}}},
		{"fractional object count", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"count/secrets": "1.5"}},
			[]tWantErr{{`resource_quota.hard["count/secrets"]`, `must be a whole number`}}},
		{"astronomical quantity", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{"requests.memory": "1e1000000"}},
			[]tWantErr{{`resource_quota.hard["requests.memory"]`, `is larger than any cluster: use at most 8Ei`}}},
		{"upper-case IPv6 CIDR", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"2001:DB8::/32"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `is not in canonical form: use "2001:db8::/32"`}}},
		{"IPv4-mapped IPv6 CIDR", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"::ffff:10.0.0.0/104"}}},
			[]tWantErr{{"network_policy.allow_egress_to_cidrs[0]", `is not in canonical form`}}},
		{"port with leading zeros", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{"10.0.0.0/8"}, AllowEgressPorts: []string{"00443"}}},
			[]tWantErr{{"network_policy.allow_egress_ports[0]", `write the port without leading zeros`}}},
		{"service account without slash", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"a"}}}},
			[]tWantErr{{"access[0].service_accounts[0]", `"a" is not a service account reference: use "namespace/name", such as "ci/deployer"`}}},
		{"service account empty name", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"ns/"}}}},
			[]tWantErr{{"access[0].service_accounts[0]", `"ns/" is not a service account reference`}}},
		{"service account empty namespace", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"/x"}}}},
			[]tWantErr{{"access[0].service_accounts[0]", `"/x" is not a service account reference`}}},
		{"service account two slashes", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"a/b/c"}}}},
			[]tWantErr{{"access[0].service_accounts[0]", `"a/b/c" is not a service account reference`}}},
		{"service account bad namespace", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"ci/deployer", "Bad/x"}}}},
			[]tWantErr{{"access[0].service_accounts[1]", `service account "Bad/x": "Bad" is not a valid namespace name`}}},
		{"service account bad name", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"ci/Bad_Name"}}}},
			[]tWantErr{{"access[0].service_accounts[0]", `service account "ci/Bad_Name": "Bad_Name" is not a valid name`}}},
		{"service account duplicate", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", ServiceAccounts: []string{"ci/deployer", "ci/deployer"}}}},
			[]tWantErr{{"access[0].service_accounts[1]", `"ci/deployer" is listed twice`}}},
		{"duplicate users", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: []string{"alice", "bob", "alice"}}}},
			[]tWantErr{{"access[0].users[2]", `"alice" is listed twice`}}},
		{"duplicate groups", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Groups: []string{"devs", "devs"}}}},
			[]tWantErr{{"access[0].groups[1]", `"devs" is listed twice`}}},
		{"user with newline", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: []string{"alice\n"}}}},
			[]tWantErr{{"access[0].users[0]", `"alice\n" is not a usable subject name: no leading/trailing spaces or control characters`}}},
		{"user with NUL", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: []string{"ali\x00ce"}}}},
			[]tWantErr{{"access[0].users[0]", `"ali\x00ce" is not a usable subject name`}}},
		{"user with leading spaces", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: []string{"  alice"}}}},
			[]tWantErr{{"access[0].users[0]", `"  alice" is not a usable subject name`}}},
		{"group with trailing space", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Groups: []string{"devs "}}}},
			[]tWantErr{{"access[0].groups[0]", `"devs " is not a usable subject name`}}},
		{"group blank", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Groups: []string{"   "}}}},
			[]tWantErr{{"access[0].groups[0]", "subject name is empty"}}},
		{"user empty", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: []string{""}}}},
			[]tWantErr{{"access[0].users[0]", "subject name is empty"}}},
		{"user too long", NamespaceSpec{Name: "a", Access: []AccessEntry{{Role: "view", Users: []string{strings.Repeat("u", 254)}}}},
			[]tWantErr{{"access[0].users[0]", "at most 253 characters"}}},

		// Several attributes at once, in attribute order.
		{"errors in attribute order", NamespaceSpec{Name: "Bad", Labels: map[string]string{"team": "a b"},
			ResourceQuota: map[string]string{"pods": "-1"}, Network: NetworkInput{AllowEgressToCIDRs: []string{"x"}},
			Access: []AccessEntry{{Role: "view"}}},
			[]tWantErr{
				{"name", `"Bad" is not a valid namespace name`},
				{`labels["team"]`, "has an invalid value"},
				{`resource_quota.hard["pods"]`, `"-1" is negative`},
				{"network_policy.allow_egress_to_cidrs[0]", `"x" is not a CIDR`},
				{"access[0]", "needs at least one of users, groups or service_accounts"},
			}},
		{"limit order not judged while other errors exist", NamespaceSpec{Name: "Bad", LimitRange: LimitRangeInput{Max: map[string]string{"cpu": "1m"}}},
			[]tWantErr{{"name", "is not a valid namespace name"}}},
	}
	if len(tests) < 35 {
		t.Fatalf("only %d invalid cases", len(tests))
	}
	names := map[string]bool{}
	for _, tt := range tests {
		if names[tt.name] {
			t.Fatalf("duplicate case name %q", tt.name)
		}
		names[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			tCheckErrs(t, Validate(tt.spec), tt.want)

			// Desired refuses the same spec with the first error.
			_, objs, err := Desired(tt.spec)
			if err == nil {
				t.Fatalf("Desired accepted an invalid spec and returned %d objects", len(objs))
			}
			var fe fielderr.Error
			if !errors.As(err, &fe) {
				t.Fatalf("Desired error %T %v, want a fielderr.Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tt.want[0].path+": ") {
				t.Errorf("Desired error = %q, want the first error at %q", err, tt.want[0].path)
			}
		})
	}
}

func TestValidateValid(t *testing.T) {
	tests := []struct {
		name string
		spec NamespaceSpec
	}{
		{"prod default", NamespaceSpec{Name: "team-a"}},
		{"every environment", NamespaceSpec{Name: "a", Environment: "staging"}},
		{"dev", NamespaceSpec{Name: "a", Environment: "dev"}},
		{"test", NamespaceSpec{Name: "a", Environment: "test"}},
		{"explicit prod", NamespaceSpec{Name: "a", Environment: "prod"}},
		{"one-char name", NamespaceSpec{Name: "a"}},
		{"digit-first name", NamespaceSpec{Name: "0team"}},
		{"63-char name", NamespaceSpec{Name: strings.Repeat("a", 63)}},
		{"labels", NamespaceSpec{Name: "a", Labels: map[string]string{
			"team": "payments", "example.com/owner": "alice", "empty": "", "app.kubernetes.io/name": "pay",
			"v": strings.Repeat("v", 63), "Team_Name": "A.b-c_d"}}},
		{"annotations", NamespaceSpec{Name: "a", Annotations: map[string]string{
			"note": "anything goes: spaces, \n newlines, ünïcode", "Example.com/Note": "uppercase prefixes are lowercased like the API server does",
			"pod-security.kubernetes.io/enforce": "annotations are not labels"}}},
		{"pod security explicit", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{
			Enforce: tStrPtr("privileged"), Audit: tStrPtr("baseline"), Warn: tStrPtr("restricted"), Version: tStrPtr("v1.0")}}},
		{"pod security versions", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("v1.37")}}},
		{"pod security version latest", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("latest")}}},
		{"pod security version three digits", NamespaceSpec{Name: "a", PodSecurity: PodSecurityInput{Version: tStrPtr("v1.100")}}},
		{"quota entries", NamespaceSpec{Name: "a", ResourceQuota: map[string]string{
			"requests.cpu": "3", "requests.memory": "512Mi", "count/deployments.apps": "10",
			"requests.nvidia.com/gpu": "0", "services.loadbalancers": "0", "limits.cpu": "1500m", "requests.storage": "1Ti",
			"limits.ephemeral-storage": "10G"}}},
		{"limit range ephemeral-storage and min", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			DefaultRequest: map[string]string{"ephemeral-storage": "512Mi"},
			Default:        map[string]string{"ephemeral-storage": "1Gi"},
			Max:            map[string]string{"ephemeral-storage": "2Gi"},
			Min:            map[string]string{"cpu": "10m", "memory": "16Mi", "ephemeral-storage": "1Mi"}}}},
		{"limit range equal bounds", NamespaceSpec{Name: "a", Environment: "dev", LimitRange: LimitRangeInput{
			Min: map[string]string{"cpu": "2"}, DefaultRequest: map[string]string{"cpu": "2"}, Default: map[string]string{"cpu": "2"}}}},
		{"limit range equal in different units", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			Default: map[string]string{"cpu": "1000m", "memory": "1024Mi"}, Max: map[string]string{"cpu": "1", "memory": "1Gi"}}}},
		{"limit range raise max above preset", NamespaceSpec{Name: "a", LimitRange: LimitRangeInput{
			Default: map[string]string{"memory": "20Gi"}, Max: map[string]string{"memory": "32Gi"}}}},
		{"cidrs", NamespaceSpec{Name: "a", Network: NetworkInput{AllowEgressToCIDRs: []string{
			"10.0.0.0/8", "192.168.1.7/32", "0.0.0.0/0", "2001:db8::/32", "::/0", "fd00::/8"}}}},
		{"ports", NamespaceSpec{Name: "a", Network: NetworkInput{
			AllowEgressToNamespaces: []string{"db"}, AllowEgressPorts: []string{"1", "443", "8443/TCP", "53/UDP", "9000/SCTP", "65535"},
			AllowIngressFromNamespaces: []string{"ingress-nginx", "monitoring"}, AllowIngressPorts: []string{"8080", "8080/UDP"}}}},
		{"egress ports with cidrs only", NamespaceSpec{Name: "a", Network: NetworkInput{
			AllowEgressToCIDRs: []string{"10.0.0.0/8"}, AllowEgressPorts: []string{"443"}}}},
		{"same namespace in ingress and egress lists", NamespaceSpec{Name: "a", Network: NetworkInput{
			AllowIngressFromNamespaces: []string{"shared"}, AllowEgressToNamespaces: []string{"shared"}}}},
		{"both denies false", NamespaceSpec{Name: "a", Network: NetworkInput{DenyIngress: tBoolPtr(false), DenyEgress: tBoolPtr(false)}}},
		{"deny egress false, allow_dns false", NamespaceSpec{Name: "a", Network: NetworkInput{DenyEgress: tBoolPtr(false), AllowDNS: tBoolPtr(false)}}},
		{"deny egress false, ingress allows", NamespaceSpec{Name: "a", Network: NetworkInput{DenyEgress: tBoolPtr(false),
			AllowIngressFromNamespaces: []string{"web"}, AllowIngressPorts: []string{"80"}}}},
		{"deny ingress false, egress allows", NamespaceSpec{Name: "a", Network: NetworkInput{DenyIngress: tBoolPtr(false),
			AllowEgressToNamespaces: []string{"db"}}}},
		{"allow_dns false with deny egress", NamespaceSpec{Name: "a", Network: NetworkInput{AllowDNS: tBoolPtr(false), AllowSameNamespace: tBoolPtr(false)}}},
		{"all explicit true", NamespaceSpec{Name: "a", Network: NetworkInput{DenyIngress: tBoolPtr(true), DenyEgress: tBoolPtr(true),
			AllowDNS: tBoolPtr(true), AllowSameNamespace: tBoolPtr(true)}}},
		{"cluster-admin with allow", NamespaceSpec{Name: "a", Access: []AccessEntry{
			{Role: "cluster-admin", Users: []string{"root@example.com"}, AllowClusterAdmin: true}}}},
		{"access entries", NamespaceSpec{Name: "a", Access: []AccessEntry{
			{Role: "view", Users: []string{"alice@example.com", "Alice Smith"}, Groups: []string{"system:authenticated"}},
			{Role: "edit", ServiceAccounts: []string{"ci/deployer", "ci/deployer.v2", "a/default"}},
			{Role: "system:aggregate-to-edit", Groups: []string{"devs"}},
			{Role: "admin", Users: []string{"alice@example.com"}}, // the same user may appear under another role
			{Role: "Custom Role", Groups: []string{"x"}},
		}}},
		{"same name in users and groups", NamespaceSpec{Name: "a", Access: []AccessEntry{
			{Role: "view", Users: []string{"ops"}, Groups: []string{"ops"}}}}},
		{"everything at once", NamespaceSpec{
			Name: "payments", Environment: "staging",
			Labels:        map[string]string{"team": "payments"},
			Annotations:   map[string]string{"owner": "payments@example.com"},
			PodSecurity:   PodSecurityInput{Warn: tStrPtr("restricted"), Version: tStrPtr("v1.36")},
			ResourceQuota: map[string]string{"requests.cpu": "3"},
			LimitRange:    LimitRangeInput{Default: map[string]string{"cpu": "2"}},
			Network: NetworkInput{AllowIngressFromNamespaces: []string{"ingress-nginx"}, AllowIngressPorts: []string{"8443"},
				AllowEgressToCIDRs: []string{"10.20.0.0/16"}, AllowEgressPorts: []string{"5432"}},
			Access:                       []AccessEntry{{Role: "edit", Groups: []string{"payments"}}},
			AutomountServiceAccountToken: tBoolPtr(true),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if errs := Validate(tt.spec); len(errs) != 0 {
				for _, e := range errs {
					t.Errorf("unexpected error: %v", e)
				}
			}
			if _, _, err := Desired(tt.spec); err != nil {
				t.Errorf("Desired: %v", err)
			}
		})
	}
}

func TestValidateHelpers(t *testing.T) {
	ok := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: unexpected error %v", name, err)
		}
	}
	bad := func(name string, err error, sub string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("%s: error %v, want one containing %q", name, err, sub)
		}
	}
	ok("env empty", ValidateEnvironment(""))
	for _, e := range []string{"dev", "test", "staging", "prod"} {
		ok("env "+e, ValidateEnvironment(e))
	}
	bad("env qa", ValidateEnvironment("qa"), `"qa" is not an environment: use one of dev, test, staging, prod`)

	for _, l := range []string{"privileged", "baseline", "restricted"} {
		ok("level "+l, ValidateLevel(l))
	}
	bad("level PRIVILEGED", ValidateLevel("PRIVILEGED"), "is not a Pod Security level")

	ok("quota count/", ValidateQuotaEntry("count/deployments.apps", "5"))
	ok("quota zero", ValidateQuotaEntry("services.nodeports", "0"))
	bad("quota negative", ValidateQuotaEntry("pods", "-5"), `"-5" is negative`)
	bad("quota key", ValidateQuotaEntry("", "1"), `"" is not a ResourceQuota resource name`)

	ok("limit cpu", ValidateLimitEntry("cpu", "250m"))
	ok("limit memory", ValidateLimitEntry("memory", "1Gi"))
	ok("limit ephemeral", ValidateLimitEntry("ephemeral-storage", "1G"))
	bad("limit storage", ValidateLimitEntry("storage", "1Gi"), `"storage" is not a container resource`)
	bad("limit pods", ValidateLimitEntry("pods", "1"), `"pods" is not a container resource`)

	ok("role view", ValidateRoleName("view"))
	ok("role system:", ValidateRoleName("system:aggregate-to-edit"))
	ok("role 200 chars", ValidateRoleName(strings.Repeat("r", 200)))
	ok("subject", ValidateSubjectName("system:serviceaccount:ci:deployer"))
	ok("subject 253", ValidateSubjectName(strings.Repeat("s", 253)))
	ok("sa", ValidateServiceAccountRef("kube-system/coredns"))
	ok("sa dotted", ValidateServiceAccountRef("ci/deployer.v2"))
	bad("sa dotted namespace", ValidateServiceAccountRef("ci.x/deployer"), `service account "ci.x/deployer": "ci.x" is not a valid namespace name`)
	ok("ns name", ValidateName("kube-system"))
}
