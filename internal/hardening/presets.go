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

// Every preset bans LoadBalancer and NodePort services (exposing a tenant outside the cluster is
// a platform decision, not a namespace default), bounds ReplicationControllers (a legacy kind, kept
// small), and allows only the provider's own ResourceQuota.
var alwaysQuota = map[string]string{
	"services.loadbalancers": "0", "services.nodeports": "0", "replicationcontrollers": "10", "resourcequotas": "1",
}

// QuotaCompleteKeys are what a namespace's quota must bound for nothing a tenant can create to be
// unbounded: compute, ephemeral storage (a node's disk) and the object counts of every namespaced
// kind that fills etcd or exposes the tenant. Every preset sets them all.
var QuotaCompleteKeys = []string{
	"requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
	"requests.ephemeral-storage", "limits.ephemeral-storage",
	"pods", "services", "secrets", "configmaps", "persistentvolumeclaims", "replicationcontrollers",
	"resourcequotas", "services.loadbalancers", "services.nodeports",
}

// QuotaUnbounded lists the QuotaCompleteKeys a quota's hard values leave out, in that order.
// cpu, memory and ephemeral-storage without a prefix stand for their requests.
func QuotaUnbounded(hard map[string]string) []string {
	var out []string
	for _, k := range QuotaCompleteKeys {
		if _, ok := hard[k]; ok {
			continue
		}
		if short, ok := strings.CutPrefix(k, "requests."); ok {
			if _, ok := hard[short]; ok {
				continue
			}
		}
		if _, ok := hard["count/"+k]; ok && !strings.Contains(k, ".") {
			continue
		}
		out = append(out, k)
	}
	return out
}

// quotaSize is one preset's quota; alwaysQuota is added to it.
type quotaSize struct {
	cpu, mem, limCPU, limMem, eph, limEph, pods, pvcs, services, secrets, configMaps string
}

func quota(z quotaSize) map[string]string {
	q := map[string]string{
		"requests.cpu": z.cpu, "requests.memory": z.mem, "limits.cpu": z.limCPU, "limits.memory": z.limMem,
		"requests.ephemeral-storage": z.eph, "limits.ephemeral-storage": z.limEph,
		"pods": z.pods, "persistentvolumeclaims": z.pvcs, "services": z.services, "secrets": z.secrets,
		"configmaps": z.configMaps,
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
		ResourceQuota: quota(quotaSize{"2", "4Gi", "4", "8Gi", "10Gi", "20Gi", "20", "5", "10", "50", "50"}),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "50m", "memory": "64Mi", "ephemeral-storage": "100Mi"},
			Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
			Max:            map[string]string{"cpu": "2", "memory": "2Gi", "ephemeral-storage": "4Gi"},
		},
		Network: defaultNetwork,
	},
	EnvTest: {
		PodSecurity:   DefaultPodSecurity(),
		ResourceQuota: quota(quotaSize{"4", "8Gi", "8", "16Gi", "20Gi", "40Gi", "50", "10", "20", "100", "100"}),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
			Default:        map[string]string{"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"},
			Max:            map[string]string{"cpu": "2", "memory": "4Gi", "ephemeral-storage": "4Gi"},
		},
		Network: defaultNetwork,
	},
	EnvStaging: {
		PodSecurity:   DefaultPodSecurity(),
		ResourceQuota: quota(quotaSize{"8", "16Gi", "16", "32Gi", "40Gi", "80Gi", "100", "20", "50", "200", "200"}),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
			Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
			Max:            map[string]string{"cpu": "4", "memory": "8Gi", "ephemeral-storage": "8Gi"},
		},
		Network: defaultNetwork,
	},
	EnvProd: {
		PodSecurity:   DefaultPodSecurity(),
		ResourceQuota: quota(quotaSize{"16", "32Gi", "32", "64Gi", "80Gi", "160Gi", "200", "50", "100", "400", "400"}),
		LimitRange: LimitRange{
			DefaultRequest: map[string]string{"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "100Mi"},
			Default:        map[string]string{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "2Gi"},
			Max:            map[string]string{"cpu": "8", "memory": "16Gi", "ephemeral-storage": "8Gi"},
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
	r.ServicePolicy = resolveServicePolicy(s.ServicePolicy)
	r.ClassPolicy = resolveClassPolicy(s, env)
	r.Hostnames = s.AllowedHostnames
	if ip := s.ImagePolicy; ip != nil {
		r.ImagePolicy = &ImagePolicy{
			AllowedRegistries: ip.AllowedRegistries,
			ForbidLatestTag:   pick(ip.ForbidLatestTag, DefaultForbidLatestTag),
			RequireDigest:     pick(ip.RequireDigest, DefaultRequireDigest),
			Action:            pick(ip.Action, DefaultImageAction),
			AlwaysPull:        pick(ip.AlwaysPullImages, PresetAlwaysPull(env)),
		}
		r.ImagePolicy.PullMutates = r.ImagePolicy.AlwaysPull && s.MutatingAdmissionPolicy
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
