package hardening

// Defaults of what a spec leaves unset that no environment preset decides. The provider's schema
// defaults are these values.
const (
	DefaultEnvironment                  = EnvProd
	DefaultAutomountServiceAccountToken = false
	DefaultTamperProtection             = true
	DefaultForbidLatestTag              = true
	DefaultRequireDigest                = false
	DefaultImageAction                  = ImageActionDeny
)

// NamespaceSpec is what a user asks for. Nil pointers, nil maps and nil slices mean "not set":
// Resolve fills them from the environment preset, and explicit values always win.
type NamespaceSpec struct {
	Name        string
	Labels      map[string]string
	Annotations map[string]string
	// Environment is dev, test, staging or prod ("" means DefaultEnvironment).
	Environment string
	PodSecurity PodSecurityInput
	// ResourceQuota holds the user's ResourceQuota hard keys, merged key by key over the preset's.
	ResourceQuota map[string]string
	LimitRange    LimitRangeInput
	Network       NetworkInput
	Access        []AccessEntry
	// AutomountServiceAccountToken is what the default ServiceAccount gets (nil: DefaultAutomountServiceAccountToken).
	AutomountServiceAccountToken *bool
	// ImagePolicy, when set, restricts the images pods may run (nil: no image policy).
	ImagePolicy *ImagePolicyInput
	// ServicePolicy keeps Services inside the namespace (nil: the default policy, on).
	ServicePolicy *ServicePolicyInput
	// AllowedStorageClasses and AllowedPriorityClasses bound the classes claims and pods may use
	// (empty: any); MaxPreemptingPriority bounds the priority at which pods may preempt others
	// (nil: the environment's bound, if it has one).
	AllowedStorageClasses, AllowedPriorityClasses []string
	MaxPreemptingPriority                         *int64
	// AllowedHostnames are the DNS names (and everything under them) the namespace's Ingresses and
	// Gateway API routes may claim (empty: any).
	AllowedHostnames []string
	// TamperProtection guards the namespace's objects against everyone but Terraform (nil: DefaultTamperProtection).
	TamperProtection *bool
	// Runner is who Terraform runs as, exempt from tamper protection: declared in the provider
	// configuration (runner_identity), or else the user name the API server reports at apply time.
	// Empty renders a guard that exempts no one but break-glass and terminating-namespace cleanup.
	Runner RunnerIdentity
	// BreakGlassGroups are exempt from tamper protection besides system:masters.
	BreakGlassGroups []string
	// MutatingAdmissionPolicy says the cluster serves MutatingAdmissionPolicy v1 (a fact of the
	// cluster, not a setting): the pull policy then sets imagePullPolicy instead of refusing others.
	MutatingAdmissionPolicy bool
}

// UsesAdmissionPolicies says whether the spec needs ValidatingAdmissionPolicy (Kubernetes 1.30+):
// for an image policy or explicit class bounds, or for the Services policy or tamper protection
// unless they are turned off.
func (s NamespaceSpec) UsesAdmissionPolicies() bool {
	return s.ImagePolicy != nil || s.servicePolicyEnabled() || pick(s.TamperProtection, DefaultTamperProtection) ||
		s.ExplicitClassBounds() || len(s.AllowedHostnames) > 0 ||
		len(s.AllowedStorageClasses) > 0 || len(s.AllowedPriorityClasses) > 0 || s.MaxPreemptingPriority != nil
}

// ImagePolicyInput is the user's image_policy block; nil fields take their defaults.
type ImagePolicyInput struct {
	AllowedRegistries []string
	ForbidLatestTag   *bool
	RequireDigest     *bool
	Action            *string
	// AlwaysPullImages makes every container pull on start (nil: the environment's default, on in prod).
	AlwaysPullImages *bool
}

// PodSecurityInput is the user's pod_security block; nil fields come from the preset.
type PodSecurityInput struct {
	Enforce, Audit, Warn, Version *string
}

// LimitRangeInput holds container limits; each map is merged key by key over the preset's.
type LimitRangeInput struct {
	DefaultRequest, Default, Max, Min map[string]string
}

// NetworkInput is the user's network_policy block; nil fields come from the preset.
type NetworkInput struct {
	DenyIngress, DenyEgress, AllowDNS, AllowSameNamespace                   *bool
	AllowIngressFromNamespaces, AllowEgressToNamespaces, AllowEgressToCIDRs []string
	AllowIngressFromCIDRs                                                   []string
	AllowIngressPorts, AllowEgressPorts                                     []string
}

// AccessEntry becomes one RoleBinding inside the namespace.
type AccessEntry struct {
	Role              string
	Users             []string
	Groups            []string
	ServiceAccounts   []string // "namespace/name"
	AllowClusterAdmin bool
}

// Resolved is a spec with every preset value filled in: exactly what will be applied.
type Resolved struct {
	Name                         string
	Labels, Annotations          map[string]string
	Environment                  string
	PodSecurity                  PodSecurity
	ResourceQuota                map[string]string
	LimitRange                   LimitRange
	Network                      Network
	Access                       []AccessEntry
	AutomountServiceAccountToken bool
	ImagePolicy                  *ImagePolicy
	ServicePolicy                *ServicePolicy // nil: turned off
	ClassPolicy                  *ClassPolicy   // nil: no class is bounded
	Hostnames                    []string       // empty: no hostname policy
	TamperProtection             bool
	Runner                       RunnerIdentity
	BreakGlassGroups             []string
}

// LimitRange holds effective container limits.
type LimitRange struct {
	DefaultRequest, Default, Max, Min map[string]string
}

// Network holds effective network policy settings.
type Network struct {
	DenyIngress, DenyEgress, AllowDNS, AllowSameNamespace                   bool
	AllowIngressFromNamespaces, AllowEgressToNamespaces, AllowEgressToCIDRs []string
	AllowIngressFromCIDRs                                                   []string
	AllowIngressPorts, AllowEgressPorts                                     []string
}

// ExplicitClassBounds says whether the configuration itself bounds storage or priority classes
// (rather than the environment's preset).
func (s NamespaceSpec) ExplicitClassBounds() bool {
	return len(s.AllowedStorageClasses) > 0 || len(s.AllowedPriorityClasses) > 0 || s.MaxPreemptingPriority != nil
}
