package hardening

import (
	"fmt"
	"maps"
	"strings"
)

// Environments, from most relaxed to strictest.
const (
	EnvDev     = "dev"
	EnvTest    = "test"
	EnvStaging = "staging"
	EnvProd    = "prod"
)

// Environments lists the valid presets.
var Environments = []string{EnvDev, EnvTest, EnvStaging, EnvProd}

// Preset is the set of defaults an environment stands for. Documented as a table in the
// hardened_namespace docs; change both together.
type Preset struct {
	PodSecurity   PodSecurity
	ResourceQuota map[string]string
	LimitRange    LimitRange
	Network       Network
}

// Every preset bans LoadBalancer and NodePort services: exposing a tenant outside the cluster is
// a platform decision, not a namespace default.
var alwaysQuota = map[string]string{"services.loadbalancers": "0", "services.nodeports": "0"}

func quota(cpu, mem, limCPU, limMem, pods, pvcs string) map[string]string {
	q := map[string]string{
		"requests.cpu": cpu, "requests.memory": mem, "limits.cpu": limCPU, "limits.memory": limMem,
		"pods": pods, "persistentvolumeclaims": pvcs,
	}
	maps.Copy(q, alwaysQuota)
	return q
}

var defaultNetwork = Network{DenyIngress: true, DenyEgress: true, AllowDNS: true, AllowSameNamespace: true}

var presets = map[string]Preset{
	// dev relaxes enforcement to baseline but keeps restricted warnings and audit, so developers
	// see what prod would refuse.
	EnvDev: {
		PodSecurity:   PodSecurity{Enforce: LevelBaseline, Audit: LevelRestricted, Warn: LevelRestricted, Version: "latest"},
		ResourceQuota: quota("2", "4Gi", "4", "8Gi", "20", "5"),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "50m", "memory": "64Mi"},
			Default:        map[string]string{"cpu": "500m", "memory": "512Mi"},
			Max:            map[string]string{"cpu": "2", "memory": "2Gi"},
		},
		Network: defaultNetwork,
	},
	EnvTest: {
		PodSecurity:   DefaultPodSecurity(),
		ResourceQuota: quota("4", "8Gi", "8", "16Gi", "50", "10"),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi"},
			Default:        map[string]string{"cpu": "500m", "memory": "512Mi"},
			Max:            map[string]string{"cpu": "2", "memory": "4Gi"},
		},
		Network: defaultNetwork,
	},
	EnvStaging: {
		PodSecurity:   DefaultPodSecurity(),
		ResourceQuota: quota("8", "16Gi", "16", "32Gi", "100", "20"),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi"},
			Default:        map[string]string{"cpu": "1", "memory": "1Gi"},
			Max:            map[string]string{"cpu": "4", "memory": "8Gi"},
		},
		Network: defaultNetwork,
	},
	EnvProd: {
		PodSecurity:   DefaultPodSecurity(),
		ResourceQuota: quota("16", "32Gi", "32", "64Gi", "200", "50"),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi"},
			Default:        map[string]string{"cpu": "1", "memory": "1Gi"},
			Max:            map[string]string{"cpu": "8", "memory": "16Gi"},
		},
		Network: defaultNetwork,
	},
}

// PresetFor returns a copy of an environment's preset ("" is DefaultEnvironment's).
func PresetFor(env string) (Preset, error) {
	if env == "" {
		env = DefaultEnvironment
	}
	p, ok := presets[env]
	if !ok {
		return Preset{}, fmt.Errorf("%q is not an environment: use one of %s", env, strings.Join(Environments, ", "))
	}
	p.ResourceQuota = maps.Clone(p.ResourceQuota)
	p.LimitRange = LimitRange{
		DefaultRequest: maps.Clone(p.LimitRange.DefaultRequest), Default: maps.Clone(p.LimitRange.Default),
		Max: maps.Clone(p.LimitRange.Max), Min: maps.Clone(p.LimitRange.Min),
	}
	return p, nil
}

// Resolve fills every unset value from the environment's preset. Maps merge key by key, so
// setting requests.cpu keeps the preset's LoadBalancer ban.
func Resolve(s NamespaceSpec) (Resolved, error) {
	p, err := PresetFor(s.Environment)
	if err != nil {
		return Resolved{}, err
	}
	env := s.Environment
	if env == "" {
		env = DefaultEnvironment
	}
	r := Resolved{
		Name: s.Name, Labels: maps.Clone(s.Labels), Annotations: maps.Clone(s.Annotations), Environment: env,
		PodSecurity: PodSecurity{
			Enforce: pick(s.PodSecurity.Enforce, p.PodSecurity.Enforce),
			Audit:   pick(s.PodSecurity.Audit, p.PodSecurity.Audit),
			Warn:    pick(s.PodSecurity.Warn, p.PodSecurity.Warn),
			Version: pick(s.PodSecurity.Version, p.PodSecurity.Version),
		},
		ResourceQuota: merge(p.ResourceQuota, s.ResourceQuota),
		LimitRange: LimitRange{
			DefaultRequest: merge(p.LimitRange.DefaultRequest, s.LimitRange.DefaultRequest),
			Default:        merge(p.LimitRange.Default, s.LimitRange.Default),
			Max:            merge(p.LimitRange.Max, s.LimitRange.Max),
			Min:            merge(p.LimitRange.Min, s.LimitRange.Min),
		},
		Network: Network{
			DenyIngress:                pick(s.Network.DenyIngress, p.Network.DenyIngress),
			DenyEgress:                 pick(s.Network.DenyEgress, p.Network.DenyEgress),
			AllowDNS:                   pick(s.Network.AllowDNS, p.Network.AllowDNS),
			AllowSameNamespace:         pick(s.Network.AllowSameNamespace, p.Network.AllowSameNamespace),
			AllowIngressFromNamespaces: s.Network.AllowIngressFromNamespaces,
			AllowEgressToNamespaces:    s.Network.AllowEgressToNamespaces,
			AllowEgressToCIDRs:         s.Network.AllowEgressToCIDRs,
			AllowIngressFromCIDRs:      s.Network.AllowIngressFromCIDRs,
			AllowIngressPorts:          s.Network.AllowIngressPorts,
			AllowEgressPorts:           s.Network.AllowEgressPorts,
		},
		Access:                       s.Access,
		AutomountServiceAccountToken: pick(s.AutomountServiceAccountToken, DefaultAutomountServiceAccountToken),
		TamperProtection:             pick(s.TamperProtection, DefaultTamperProtection),
		Runner:                       s.Runner,
		BreakGlassGroups:             s.BreakGlassGroups,
	}
	if ip := s.ImagePolicy; ip != nil {
		r.ImagePolicy = &ImagePolicy{
			AllowedRegistries: ip.AllowedRegistries,
			ForbidLatestTag:   pick(ip.ForbidLatestTag, DefaultForbidLatestTag),
			RequireDigest:     pick(ip.RequireDigest, DefaultRequireDigest),
			Action:            pick(ip.Action, DefaultImageAction),
		}
	}
	return r, nil
}

func pick[T any](v *T, def T) T {
	if v != nil {
		return *v
	}
	return def
}

func merge(base, over map[string]string) map[string]string {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, over)
	return out
}
