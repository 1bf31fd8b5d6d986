package hardening

import (
	"maps"
	"reflect"
	"slices"
	"testing"
)

func tStrPtr(s string) *string { return &s }
func tBoolPtr(b bool) *bool    { return &b }

// The expected presets below are written out by hand from the documented table; they are never
// derived from the package's own preset variables.

func TestPresetFor(t *testing.T) {
	defaultNet := Network{DenyIngress: true, DenyEgress: true, AllowDNS: true, AllowSameNamespace: true}
	tests := []struct {
		env  string
		want Preset
	}{
		{"dev", Preset{
			PodSecurity: PodSecurity{Enforce: "baseline", Audit: "restricted", Warn: "restricted", Version: "latest"},
			ResourceQuota: map[string]string{
				"requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi",
				"pods": "20", "persistentvolumeclaims": "5", "services.loadbalancers": "0", "services.nodeports": "0",
				"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "10Gi", "limits.ephemeral-storage": "20Gi", "services": "10", "secrets": "50", "configmaps": "50",
			},
			LimitRange: LimitRange{
				DefaultRequest: map[string]string{"cpu": "50m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
				Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
				Max:            map[string]string{"cpu": "2", "memory": "2Gi", "ephemeral-storage": "4Gi"},
			},
			Network: defaultNet,
		}},
		{"test", Preset{
			PodSecurity: PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"},
			ResourceQuota: map[string]string{
				"requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi",
				"pods": "50", "persistentvolumeclaims": "10", "services.loadbalancers": "0", "services.nodeports": "0",
				"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "20Gi", "limits.ephemeral-storage": "40Gi", "services": "20", "secrets": "100", "configmaps": "100",
			},
			LimitRange: LimitRange{
				DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
				Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
				Max:            map[string]string{"cpu": "2", "memory": "4Gi", "ephemeral-storage": "4Gi"},
			},
			Network: defaultNet,
		}},
		{"staging", Preset{
			PodSecurity: PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"},
			ResourceQuota: map[string]string{
				"requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16", "limits.memory": "32Gi",
				"pods": "100", "persistentvolumeclaims": "20", "services.loadbalancers": "0", "services.nodeports": "0",
				"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "40Gi", "limits.ephemeral-storage": "80Gi", "services": "50", "secrets": "200", "configmaps": "200",
			},
			LimitRange: LimitRange{
				DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
				Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
				Max:            map[string]string{"cpu": "4", "memory": "8Gi", "ephemeral-storage": "8Gi"},
			},
			Network: defaultNet,
		}},
		{"prod", Preset{
			PodSecurity: PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"},
			ResourceQuota: map[string]string{
				"requests.cpu": "16", "requests.memory": "32Gi", "limits.cpu": "32", "limits.memory": "64Gi",
				"pods": "200", "persistentvolumeclaims": "50", "services.loadbalancers": "0", "services.nodeports": "0",
				"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "80Gi", "limits.ephemeral-storage": "160Gi", "services": "100", "secrets": "400", "configmaps": "400",
			},
			LimitRange: LimitRange{
				DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
				Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
				Max:            map[string]string{"cpu": "8", "memory": "16Gi", "ephemeral-storage": "8Gi"},
			},
			Network: defaultNet,
		}},
		// "" means prod.
		{"", Preset{
			PodSecurity: PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"},
			ResourceQuota: map[string]string{
				"requests.cpu": "16", "requests.memory": "32Gi", "limits.cpu": "32", "limits.memory": "64Gi",
				"pods": "200", "persistentvolumeclaims": "50", "services.loadbalancers": "0", "services.nodeports": "0",
				"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "80Gi", "limits.ephemeral-storage": "160Gi", "services": "100", "secrets": "400", "configmaps": "400",
			},
			LimitRange: LimitRange{
				DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
				Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
				Max:            map[string]string{"cpu": "8", "memory": "16Gi", "ephemeral-storage": "8Gi"},
			},
			Network: defaultNet,
		}},
	}
	for _, tt := range tests {
		t.Run("env="+tt.env, func(t *testing.T) {
			got, err := PresetFor(tt.env)
			if err != nil {
				t.Fatalf("PresetFor(%q): %v", tt.env, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PresetFor(%q) =\n%#v\nwant\n%#v", tt.env, got, tt.want)
			}
		})
	}
}

func TestPresetForUnknownEnvironment(t *testing.T) {
	for _, env := range []string{"qa", "Prod", "production", " prod", "DEV"} {
		t.Run(env, func(t *testing.T) {
			_, err := PresetFor(env)
			if err == nil {
				t.Fatalf("PresetFor(%q) returned no error", env)
			}
			want := `"` + env + `" is not an environment: use one of dev, test, staging, prod`
			if err.Error() != want {
				t.Errorf("PresetFor(%q) error = %q, want %q", env, err.Error(), want)
			}
			if _, err := Resolve(NamespaceSpec{Name: "x", Environment: env}); err == nil || err.Error() != want {
				t.Errorf("Resolve(env %q) error = %v, want %q", env, err, want)
			}
		})
	}
}

// Every preset bans LoadBalancer and NodePort services and has a complete default network.
func TestEveryPresetBansExternalServices(t *testing.T) {
	for _, env := range []string{"dev", "test", "staging", "prod"} {
		p, err := PresetFor(env)
		if err != nil {
			t.Fatal(err)
		}
		if p.ResourceQuota["services.loadbalancers"] != "0" || p.ResourceQuota["services.nodeports"] != "0" {
			t.Errorf("%s: services.loadbalancers = %q, services.nodeports = %q, want \"0\" and \"0\"",
				env, p.ResourceQuota["services.loadbalancers"], p.ResourceQuota["services.nodeports"])
		}
		if p.LimitRange.Min != nil {
			t.Errorf("%s: preset LimitRange.Min = %v, want unset", env, p.LimitRange.Min)
		}
	}
	if !slices.Equal(Environments, []string{"dev", "test", "staging", "prod"}) {
		t.Errorf("Environments = %v", Environments)
	}
}

func TestPresetForReturnsCopies(t *testing.T) {
	for _, env := range []string{"dev", "test", "staging", "prod", ""} {
		t.Run("env="+env, func(t *testing.T) {
			first, err := PresetFor(env)
			if err != nil {
				t.Fatal(err)
			}
			wantQuota := maps.Clone(first.ResourceQuota)
			wantDefault := maps.Clone(first.LimitRange.Default)
			wantDefaultRequest := maps.Clone(first.LimitRange.DefaultRequest)
			wantMax := maps.Clone(first.LimitRange.Max)

			// Mutate everything reachable from the first result.
			first.ResourceQuota["services.loadbalancers"] = "99"
			first.ResourceQuota["requests.cpu"] = "1000"
			delete(first.ResourceQuota, "services.nodeports")
			first.ResourceQuota["count/secrets"] = "7"
			first.LimitRange.Default["cpu"] = "64"
			first.LimitRange.DefaultRequest["memory"] = "1Ti"
			delete(first.LimitRange.Max, "memory")
			first.LimitRange.Min = map[string]string{"cpu": "1"}
			first.PodSecurity.Enforce = "privileged"
			first.Network.DenyEgress = false
			first.Network.AllowEgressToCIDRs = append(first.Network.AllowEgressToCIDRs, "0.0.0.0/0")

			second, err := PresetFor(env)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(second.ResourceQuota, wantQuota) {
				t.Errorf("ResourceQuota changed by mutating an earlier result: %v, want %v", second.ResourceQuota, wantQuota)
			}
			if !maps.Equal(second.LimitRange.Default, wantDefault) ||
				!maps.Equal(second.LimitRange.DefaultRequest, wantDefaultRequest) ||
				!maps.Equal(second.LimitRange.Max, wantMax) || second.LimitRange.Min != nil {
				t.Errorf("LimitRange changed by mutating an earlier result: %#v", second.LimitRange)
			}
			if second.PodSecurity.Enforce == "privileged" || !second.Network.DenyEgress || second.Network.AllowEgressToCIDRs != nil {
				t.Errorf("PodSecurity/Network changed by mutating an earlier result: %#v %#v", second.PodSecurity, second.Network)
			}
		})
	}
}

// Resolving, and mutating what Resolve returned, must not leak into the presets either.
func TestResolveDoesNotAliasPresets(t *testing.T) {
	r, err := Resolve(NamespaceSpec{Name: "a", Environment: "staging", ResourceQuota: map[string]string{"pods": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	r.ResourceQuota["services.loadbalancers"] = "5"
	r.LimitRange.Max["cpu"] = "128"
	r.LimitRange.Min["cpu"] = "1"
	p, err := PresetFor("staging")
	if err != nil {
		t.Fatal(err)
	}
	if p.ResourceQuota["services.loadbalancers"] != "0" || p.ResourceQuota["pods"] != "100" {
		t.Errorf("staging quota after Resolve = %v", p.ResourceQuota)
	}
	if p.LimitRange.Max["cpu"] != "4" || p.LimitRange.Min != nil {
		t.Errorf("staging limit range after Resolve = %#v", p.LimitRange)
	}
}

func TestResolve(t *testing.T) {
	prodQuota := func() map[string]string {
		return map[string]string{
			"requests.cpu": "16", "requests.memory": "32Gi", "limits.cpu": "32", "limits.memory": "64Gi",
			"pods": "200", "persistentvolumeclaims": "50", "services.loadbalancers": "0", "services.nodeports": "0",
			"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "80Gi", "limits.ephemeral-storage": "160Gi", "services": "100", "secrets": "400", "configmaps": "400",
		}
	}
	prodLimits := func() LimitRange {
		return LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
			Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
			Max:            map[string]string{"cpu": "8", "memory": "16Gi", "ephemeral-storage": "8Gi"},
			Min:            map[string]string{},
		}
	}
	restricted := PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"}
	denyAll := Network{DenyIngress: true, DenyEgress: true, AllowDNS: true, AllowSameNamespace: true}

	tests := []struct {
		name string
		spec NamespaceSpec
		want Resolved
	}{
		{
			name: "prod default",
			spec: NamespaceSpec{Name: "team-a", Environment: "prod"},
			want: Resolved{Name: "team-a", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(), Network: denyAll},
		},
		{
			name: "empty environment means prod",
			spec: NamespaceSpec{Name: "team-a"},
			want: Resolved{Name: "team-a", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(), Network: denyAll},
		},
		{
			name: "dev default: enforce baseline, audit and warn restricted",
			spec: NamespaceSpec{Name: "sandbox", Environment: "dev"},
			want: Resolved{Name: "sandbox", Environment: "dev",
				PodSecurity: PodSecurity{Enforce: "baseline", Audit: "restricted", Warn: "restricted", Version: "latest"},
				ResourceQuota: map[string]string{
					"requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi",
					"pods": "20", "persistentvolumeclaims": "5", "services.loadbalancers": "0", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "10Gi", "limits.ephemeral-storage": "20Gi", "services": "10", "secrets": "50", "configmaps": "50",
				},
				LimitRange: LimitRange{
					DefaultRequest: map[string]string{"cpu": "50m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
					Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
					Max:            map[string]string{"cpu": "2", "memory": "2Gi", "ephemeral-storage": "4Gi"},
					Min:            map[string]string{},
				},
				Network: denyAll},
		},
		{
			name: "test default",
			spec: NamespaceSpec{Name: "t", Environment: "test"},
			want: Resolved{Name: "t", Environment: "test", PodSecurity: restricted,
				ResourceQuota: map[string]string{
					"requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi",
					"pods": "50", "persistentvolumeclaims": "10", "services.loadbalancers": "0", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "20Gi", "limits.ephemeral-storage": "40Gi", "services": "20", "secrets": "100", "configmaps": "100",
				},
				LimitRange: LimitRange{
					DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
					Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
					Max:            map[string]string{"cpu": "2", "memory": "4Gi", "ephemeral-storage": "4Gi"},
					Min:            map[string]string{},
				},
				Network: denyAll},
		},
		{
			name: "staging default",
			spec: NamespaceSpec{Name: "s", Environment: "staging"},
			want: Resolved{Name: "s", Environment: "staging", PodSecurity: restricted,
				ResourceQuota: map[string]string{
					"requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16", "limits.memory": "32Gi",
					"pods": "100", "persistentvolumeclaims": "20", "services.loadbalancers": "0", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "40Gi", "limits.ephemeral-storage": "80Gi", "services": "50", "secrets": "200", "configmaps": "200",
				},
				LimitRange: LimitRange{
					DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
					Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
					Max:            map[string]string{"cpu": "4", "memory": "8Gi", "ephemeral-storage": "8Gi"},
					Min:            map[string]string{},
				},
				Network: denyAll},
		},
		{
			name: "dev with explicit enforce restricted wins over the preset",
			spec: NamespaceSpec{Name: "sandbox", Environment: "dev", PodSecurity: PodSecurityInput{Enforce: tStrPtr("restricted")}},
			want: Resolved{Name: "sandbox", Environment: "dev",
				PodSecurity: PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"},
				ResourceQuota: map[string]string{
					"requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi",
					"pods": "20", "persistentvolumeclaims": "5", "services.loadbalancers": "0", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "10Gi", "limits.ephemeral-storage": "20Gi", "services": "10", "secrets": "50", "configmaps": "50",
				},
				LimitRange: LimitRange{
					DefaultRequest: map[string]string{"cpu": "50m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
					Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
					Max:            map[string]string{"cpu": "2", "memory": "2Gi", "ephemeral-storage": "4Gi"},
					Min:            map[string]string{},
				},
				Network: denyAll},
		},
		{
			name: "prod with every pod security value explicit",
			spec: NamespaceSpec{Name: "legacy", PodSecurity: PodSecurityInput{
				Enforce: tStrPtr("privileged"), Audit: tStrPtr("baseline"), Warn: tStrPtr("baseline"), Version: tStrPtr("v1.30")}},
			want: Resolved{Name: "legacy", Environment: "prod",
				PodSecurity:   PodSecurity{Enforce: "privileged", Audit: "baseline", Warn: "baseline", Version: "v1.30"},
				ResourceQuota: prodQuota(), LimitRange: prodLimits(), Network: denyAll},
		},
		{
			name: "only version explicit",
			spec: NamespaceSpec{Name: "pinned", PodSecurity: PodSecurityInput{Version: tStrPtr("v1.37")}},
			want: Resolved{Name: "pinned", Environment: "prod",
				PodSecurity:   PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "v1.37"},
				ResourceQuota: prodQuota(), LimitRange: prodLimits(), Network: denyAll},
		},
		{
			name: "quota requests.cpu merges key by key and keeps the service bans",
			spec: NamespaceSpec{Name: "q", ResourceQuota: map[string]string{"requests.cpu": "3"}},
			want: Resolved{Name: "q", Environment: "prod", PodSecurity: restricted,
				ResourceQuota: map[string]string{
					"requests.cpu": "3", "requests.memory": "32Gi", "limits.cpu": "32", "limits.memory": "64Gi",
					"pods": "200", "persistentvolumeclaims": "50", "services.loadbalancers": "0", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "80Gi", "limits.ephemeral-storage": "160Gi", "services": "100", "secrets": "400", "configmaps": "400",
				},
				LimitRange: prodLimits(), Network: denyAll},
		},
		{
			name: "dev quota override adds keys and can lift the LoadBalancer ban explicitly",
			spec: NamespaceSpec{Name: "q", Environment: "dev", ResourceQuota: map[string]string{
				"services.loadbalancers": "1", "count/deployments.apps": "10", "pods": "30"}},
			want: Resolved{Name: "q", Environment: "dev",
				PodSecurity: PodSecurity{Enforce: "baseline", Audit: "restricted", Warn: "restricted", Version: "latest"},
				ResourceQuota: map[string]string{
					"requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "8Gi",
					"pods": "30", "persistentvolumeclaims": "5", "services.loadbalancers": "1", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "10Gi", "limits.ephemeral-storage": "20Gi", "services": "10", "secrets": "50", "configmaps": "50",
					"count/deployments.apps": "10",
				},
				LimitRange: LimitRange{
					DefaultRequest: map[string]string{"cpu": "50m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
					Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
					Max:            map[string]string{"cpu": "2", "memory": "2Gi", "ephemeral-storage": "4Gi"},
					Min:            map[string]string{},
				},
				Network: denyAll},
		},
		{
			name: "limit range maps merge per key",
			spec: NamespaceSpec{Name: "lr", Environment: "staging", LimitRange: LimitRangeInput{
				DefaultRequest: map[string]string{"ephemeral-storage": "1Gi"},
				Default:        map[string]string{"cpu": "2"},
				Max:            map[string]string{"memory": "12Gi"},
				Min:            map[string]string{"memory": "16Mi"},
			}},
			want: Resolved{Name: "lr", Environment: "staging", PodSecurity: restricted,
				ResourceQuota: map[string]string{
					"requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16", "limits.memory": "32Gi",
					"pods": "100", "persistentvolumeclaims": "20", "services.loadbalancers": "0", "services.nodeports": "0",
					"replicationcontrollers": "10", "resourcequotas": "1", "requests.ephemeral-storage": "40Gi", "limits.ephemeral-storage": "80Gi", "services": "50", "secrets": "200", "configmaps": "200",
				},
				LimitRange: LimitRange{
					DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "1Gi"},
					Default:        map[string]string{"cpu": "2", "memory": "1Gi", "ephemeral-storage": "2Gi"},
					Max:            map[string]string{"cpu": "4", "memory": "12Gi", "ephemeral-storage": "8Gi"},
					Min:            map[string]string{"memory": "16Mi"},
				},
				Network: denyAll},
		},
		{
			name: "network booleans override, lists pass through",
			spec: NamespaceSpec{Name: "n", Network: NetworkInput{
				DenyIngress: tBoolPtr(false), AllowDNS: tBoolPtr(false), AllowSameNamespace: tBoolPtr(false),
				AllowEgressToNamespaces: []string{"db"}, AllowEgressToCIDRs: []string{"10.0.0.0/8"},
				AllowEgressPorts: []string{"5432"},
			}},
			want: Resolved{Name: "n", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(),
				Network: Network{DenyIngress: false, DenyEgress: true, AllowDNS: false, AllowSameNamespace: false,
					AllowEgressToNamespaces: []string{"db"}, AllowEgressToCIDRs: []string{"10.0.0.0/8"},
					AllowEgressPorts: []string{"5432"}}},
		},
		{
			name: "deny egress false",
			spec: NamespaceSpec{Name: "n", Network: NetworkInput{DenyEgress: tBoolPtr(false)}},
			want: Resolved{Name: "n", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(),
				Network:    Network{DenyIngress: true, DenyEgress: false, AllowDNS: true, AllowSameNamespace: true}},
		},
		{
			name: "explicit true network booleans equal the preset",
			spec: NamespaceSpec{Name: "n", Network: NetworkInput{DenyIngress: tBoolPtr(true), DenyEgress: tBoolPtr(true),
				AllowDNS: tBoolPtr(true), AllowSameNamespace: tBoolPtr(true),
				AllowIngressFromNamespaces: []string{"ingress"}, AllowIngressPorts: []string{"8080"}}},
			want: Resolved{Name: "n", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(),
				Network: Network{DenyIngress: true, DenyEgress: true, AllowDNS: true, AllowSameNamespace: true,
					AllowIngressFromNamespaces: []string{"ingress"}, AllowIngressPorts: []string{"8080"}}},
		},
		{
			name: "automount explicit true",
			spec: NamespaceSpec{Name: "a", AutomountServiceAccountToken: tBoolPtr(true)},
			want: Resolved{Name: "a", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(), Network: denyAll, AutomountServiceAccountToken: true},
		},
		{
			name: "automount explicit false",
			spec: NamespaceSpec{Name: "a", AutomountServiceAccountToken: tBoolPtr(false)},
			want: Resolved{Name: "a", Environment: "prod", PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(), Network: denyAll, AutomountServiceAccountToken: false},
		},
		{
			name: "labels, annotations and access are carried over",
			spec: NamespaceSpec{Name: "a", Labels: map[string]string{"team": "a"}, Annotations: map[string]string{"note": "x"},
				Access: []AccessEntry{{Role: "edit", Users: []string{"alice"}}}},
			want: Resolved{Name: "a", Environment: "prod", Labels: map[string]string{"team": "a"},
				Annotations: map[string]string{"note": "x"}, PodSecurity: restricted, ResourceQuota: prodQuota(),
				LimitRange: prodLimits(), Network: denyAll, Access: []AccessEntry{{Role: "edit", Users: []string{"alice"}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.spec)
			if err != nil {
				t.Fatalf("Resolve: %v", err)
			}
			// tamper_protection and the Services policy are on in every preset unless set.
			tt.want.TamperProtection = tt.spec.TamperProtection == nil || *tt.spec.TamperProtection
			if tt.spec.ServicePolicy == nil {
				tt.want.ServicePolicy = &ServicePolicy{Action: DefaultServiceAction, RequireLoadBalancerSourceRanges: true}
			}
			// prod bounds preempting priorities by default.
			if v, ok := PresetMaxPreemptingPriority(tt.spec.Environment); ok && tt.want.ClassPolicy == nil {
				tt.want.ClassPolicy = &ClassPolicy{MaxPreemptingPriority: &v}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Resolve =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

// The automount default is false for every environment.
func TestResolveAutomountDefaultsFalse(t *testing.T) {
	for _, env := range []string{"dev", "test", "staging", "prod", ""} {
		r, err := Resolve(NamespaceSpec{Name: "a", Environment: env})
		if err != nil {
			t.Fatal(err)
		}
		if r.AutomountServiceAccountToken {
			t.Errorf("env %q: AutomountServiceAccountToken = true, want false", env)
		}
	}
}

// Maps the user passed in are not aliased by the resolved spec.
func TestResolveClonesUserMaps(t *testing.T) {
	labels := map[string]string{"team": "a"}
	quota := map[string]string{"requests.cpu": "3"}
	s := NamespaceSpec{Name: "a", Labels: labels, ResourceQuota: quota}
	r, err := Resolve(s)
	if err != nil {
		t.Fatal(err)
	}
	r.Labels["team"] = "b"
	r.ResourceQuota["requests.cpu"] = "9"
	if labels["team"] != "a" || quota["requests.cpu"] != "3" || len(quota) != 1 {
		t.Errorf("user maps changed through Resolve's result: labels %v, quota %v", labels, quota)
	}
}

func TestPodSecurityLabels(t *testing.T) {
	got := PodSecurity{Enforce: "baseline", Audit: "restricted", Warn: "privileged", Version: "v1.36"}.Labels()
	want := map[string]string{
		"pod-security.kubernetes.io/enforce":         "baseline",
		"pod-security.kubernetes.io/enforce-version": "v1.36",
		"pod-security.kubernetes.io/audit":           "restricted",
		"pod-security.kubernetes.io/audit-version":   "v1.36",
		"pod-security.kubernetes.io/warn":            "privileged",
		"pod-security.kubernetes.io/warn-version":    "v1.36",
	}
	if !maps.Equal(got, want) {
		t.Errorf("Labels() = %v, want %v", got, want)
	}
	back := PodSecurityFromLabels(map[string]string{
		"pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/enforce-version": "v1.36",
		"pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "privileged",
		"pod-security.kubernetes.io/warn-version": "v1.20", "team": "x",
	})
	if want := (PodSecurity{Enforce: "baseline", Audit: "restricted", Warn: "privileged", Version: "v1.36"}); back != want {
		t.Errorf("PodSecurityFromLabels = %#v, want %#v", back, want)
	}
	if d := DefaultPodSecurity(); d != (PodSecurity{Enforce: "restricted", Audit: "restricted", Warn: "restricted", Version: "latest"}) {
		t.Errorf("DefaultPodSecurity() = %#v", d)
	}
}

func TestUserLabels(t *testing.T) {
	live := map[string]string{
		"team":                                       "a",
		"example.com/owner":                          "bob",
		"app.kubernetes.io/managed-by":               "terraform-provider-hardened",
		"app.kubernetes.io/name":                     "kept",
		"hardened.kubehardening.io/environment":      "prod",
		"kubernetes.io/metadata.name":                "team-a",
		"pod-security.kubernetes.io/enforce":         "restricted",
		"pod-security.kubernetes.io/enforce-version": "latest",
	}
	want := map[string]string{"team": "a", "example.com/owner": "bob", "app.kubernetes.io/name": "kept"}
	if got := UserLabels(live); !maps.Equal(got, want) {
		t.Errorf("UserLabels = %v, want %v", got, want)
	}
	if got := UserLabels(nil); got == nil || len(got) != 0 {
		t.Errorf("UserLabels(nil) = %#v, want empty non-nil map", got)
	}
}
