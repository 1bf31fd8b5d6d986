package hardening

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Names of the objects inside the namespace. Stable: they are how drift and pruning find them.
const (
	ResourceQuotaName     = "hardened-quota"
	LimitRangeName        = "hardened-limits"
	DefaultServiceAccount = "default"
	PolicyDefaultDeny     = "hardened-default-deny"
	PolicyAllowDNS        = "hardened-allow-dns"
	PolicyAllowSame       = "hardened-allow-same-namespace"
	PolicyAllowFromNS     = "hardened-allow-ingress-from-namespaces"
	PolicyAllowToNS       = "hardened-allow-egress-to-namespaces"
	PolicyAllowToCIDRs    = "hardened-allow-egress-to-cidrs"
	PolicyAllowFromCIDRs  = "hardened-allow-ingress-from-cidrs"
	RoleBindingPrefix     = "hardened-access-"
	EnvironmentLabel      = "hardened.kubehardening.io/environment"
	namespaceNameLabel    = "kubernetes.io/metadata.name"
	rbacAPIGroup          = "rbac.authorization.k8s.io"
	dnsNamespace          = "kube-system"
)

// Object is one desired Kubernetes object.
type Object struct {
	Kind, Name string
	// Obj is a typed API object with TypeMeta set, ready for server-side apply.
	Obj runtime.Object
}

// ClusterScoped says whether the object lives outside the namespace (see IsClusterScopedKind).
func (o Object) ClusterScoped() bool { return IsClusterScopedKind(o.Kind) }

// Annotation reads one annotation of the object ("" when it has none).
func (o Object) Annotation(key string) string {
	if m, ok := o.Obj.(metav1.Object); ok {
		return m.GetAnnotations()[key]
	}
	return ""
}

// Labels are the object's labels (nil when it has none).
func (o Object) Labels() map[string]string {
	if m, ok := o.Obj.(metav1.Object); ok {
		return m.GetLabels()
	}
	return nil
}

// ID is "Kind/name", the form managed_objects lists.
func (o Object) ID() string { return o.Kind + "/" + o.Name }

// Desired validates a spec, fills it from its preset and returns the objects to apply. It is the
// one path from user input to objects, shared by the resource and the manifests data source.
func Desired(s NamespaceSpec) (Resolved, []Object, error) {
	if errs := Validate(s); len(errs) > 0 {
		return Resolved{}, nil, errs[0]
	}
	r, err := Resolve(s)
	if err != nil {
		return Resolved{}, nil, err
	}
	return r, build(r), nil
}

// Build resolves and builds a spec its caller has already validated (the plan, after
// ValidateConfig judged the same configuration): Desired without judging it a second time.
func Build(s NamespaceSpec) (Resolved, []Object, error) {
	r, err := Resolve(s)
	if err != nil {
		return Resolved{}, nil, err
	}
	return r, build(r), nil
}

// FromState resolves and builds a spec that was accepted when it was written (Terraform state)
// without judging it by today's validation rules: a rule tightened in a later release must not
// make existing resources impossible to refresh or destroy.
func FromState(s NamespaceSpec) (Resolved, []Object, error) {
	if s.Environment != "" && ValidateEnvironment(s.Environment) != nil {
		s.Environment = DefaultEnvironment
	}
	r, err := Resolve(s)
	if err != nil {
		return Resolved{}, nil, err
	}
	return r, build(r), nil
}

// build returns the desired objects for a resolved, validated spec: the namespace first.
func build(r Resolved) []Object {
	managed := map[string]string{ManagedByLabel: ManagedByValue}
	meta := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Namespace: r.Name, Labels: maps.Clone(managed)}
	}
	labels, annotations, shared := namespaceMetadata(r)
	objs := []Object{{Kind: "Namespace", Name: r.Name, Obj: &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: r.Name, Labels: labels, Annotations: annotations},
	}}}
	// The default ServiceAccount is created by the controller manager; only the automount field is
	// applied (and owned) here, with no labels, so nothing else of it is taken over.
	automount := r.AutomountServiceAccountToken
	objs = append(objs, Object{Kind: "ServiceAccount", Name: DefaultServiceAccount, Obj: &corev1.ServiceAccount{
		TypeMeta:                     metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta:                   metav1.ObjectMeta{Name: DefaultServiceAccount, Namespace: r.Name},
		AutomountServiceAccountToken: &automount,
	}})
	objs = append(objs, Object{Kind: "ResourceQuota", Name: ResourceQuotaName, Obj: &corev1.ResourceQuota{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "ResourceQuota"},
		ObjectMeta: meta(ResourceQuotaName),
		Spec:       corev1.ResourceQuotaSpec{Hard: resourceList(r.ResourceQuota)},
	}})
	if lr := limitRange(r.LimitRange); lr != nil {
		lr.ObjectMeta = meta(LimitRangeName)
		objs = append(objs, Object{Kind: "LimitRange", Name: LimitRangeName, Obj: lr})
	}
	for _, np := range networkPolicies(r.Network) {
		np.ObjectMeta = meta(np.Name)
		np.TypeMeta = metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"}
		objs = append(objs, Object{Kind: "NetworkPolicy", Name: np.Name, Obj: np})
	}
	for _, e := range r.Access {
		name := RoleBindingName(e.Role)
		objs = append(objs, Object{Kind: "RoleBinding", Name: name, Obj: &rbacv1.RoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
			ObjectMeta: meta(name),
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacAPIGroup, Kind: "ClusterRole", Name: e.Role},
			Subjects:   subjects(e),
		}})
	}
	return append(objs, shared...)
}

// namespaceMetadata is the namespace's labels and annotations and the shared admission objects
// they bind: the shared policies read what differs per namespace from the namespace itself.
func namespaceMetadata(r Resolved) (labels, annotations map[string]string, shared []Object) {
	labels = maps.Clone(r.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	maps.Copy(labels, r.PodSecurity.Labels())
	labels[ManagedByLabel] = ManagedByValue
	labels[EnvironmentLabel] = r.Environment
	annotations = maps.Clone(r.Annotations)
	if annotations == nil {
		annotations = map[string]string{}
	}
	if r.TamperProtection {
		labels[TamperProtectionLabel] = tamperEnabled
		for key, list := range map[string][]string{TerraformIdentityAnnotation: r.Runner.Users,
			TerraformGroupsAnnotation: r.Runner.Groups, BreakGlassGroupsAnnotation: r.BreakGlassGroups} {
			if len(list) > 0 {
				annotations[key] = strings.Join(list, ",")
			}
		}
		shared = append(shared, tamperObjects()...)
	}
	// A shared policy is bound by a namespace label and reads its values from annotations.
	bind := func(l, a map[string]string, objs []Object) {
		maps.Copy(labels, l)
		maps.Copy(annotations, a)
		shared = append(shared, objs...)
	}
	if r.ImagePolicy != nil {
		l, a := imagePolicyMetadata(*r.ImagePolicy)
		bind(l, a, imagePolicyObjects(r.ImagePolicy.Action))
		if r.ImagePolicy.pullPolicyMode() == PullPolicyMutate {
			shared = append(shared, pullPolicyObjects()...)
		}
	}
	if r.ClassPolicy != nil {
		l, a := classPolicyMetadata(*r.ClassPolicy)
		bind(l, a, classPolicyObjects())
	}
	if len(r.Hostnames) > 0 {
		l, a := hostnamePolicyMetadata(r.Hostnames)
		bind(l, a, hostnamePolicyObjects())
	}
	if r.ServicePolicy != nil {
		l, a := servicePolicyMetadata(*r.ServicePolicy)
		bind(l, a, servicePolicyObjects(r.ServicePolicy.Action))
	}
	if len(annotations) == 0 {
		annotations = nil
	}
	return labels, annotations, shared
}

// limitRange is the container LimitRange of lr (nil when it sets nothing), written already
// defaulted the way the API server defaults it (a limit defaults to max, a request to the limit,
// then to min), so the stored object equals the applied one and any difference is drift.
func limitRange(lr LimitRange) *corev1.LimitRange {
	if len(lr.DefaultRequest)+len(lr.Default)+len(lr.Max)+len(lr.Min) == 0 {
		return nil
	}
	def := merge(lr.Max, lr.Default)
	defaultRequest := merge(merge(lr.Min, def), lr.DefaultRequest)
	return &corev1.LimitRange{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "LimitRange"},
		Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
			Type:           corev1.LimitTypeContainer,
			DefaultRequest: resourceList(defaultRequest),
			Default:        resourceList(def),
			Max:            resourceList(lr.Max),
			Min:            resourceList(lr.Min),
		}}},
	}
}

// RoleBindingName names the binding for a role; colons (system:...) are not valid in names.
func RoleBindingName(role string) string {
	return RoleBindingPrefix + strings.ToLower(strings.NewReplacer(":", "-", "_", "-").Replace(role))
}

// subjects spells out apiGroup and namespace exactly as the API server stores them, so a read
// never differs from what was applied (the cause of RoleBindings that diff on every plan).
func subjects(e AccessEntry) []rbacv1.Subject {
	var out []rbacv1.Subject
	for _, u := range e.Users {
		out = append(out, rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacAPIGroup, Name: u})
	}
	for _, g := range e.Groups {
		out = append(out, rbacv1.Subject{Kind: rbacv1.GroupKind, APIGroup: rbacAPIGroup, Name: g})
	}
	for _, sa := range e.ServiceAccounts {
		ns, name, _ := strings.Cut(sa, "/")
		out = append(out, rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name})
	}
	return out
}

func resourceList(m map[string]string) corev1.ResourceList {
	if len(m) == 0 {
		return nil
	}
	out := corev1.ResourceList{}
	for k, v := range m {
		// Desired validated every quantity; state written by an older release is never a reason to panic.
		if q, err := resource.ParseQuantity(v); err == nil {
			out[corev1.ResourceName(k)] = q
		}
	}
	return out
}

func networkPolicies(n Network) []*networkingv1.NetworkPolicy {
	var out []*networkingv1.NetworkPolicy
	var denied []networkingv1.PolicyType
	if n.DenyIngress {
		denied = append(denied, networkingv1.PolicyTypeIngress)
	}
	if n.DenyEgress {
		denied = append(denied, networkingv1.PolicyTypeEgress)
	}
	if len(denied) == 0 {
		return nil
	}
	// An empty podSelector with policyTypes and no rules denies everything in those directions.
	out = append(out, &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: PolicyDefaultDeny},
		Spec:       networkingv1.NetworkPolicySpec{PolicyTypes: denied},
	})
	if n.DenyEgress && n.AllowDNS {
		out = append(out, &networkingv1.NetworkPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: PolicyAllowDNS},
			Spec: networkingv1.NetworkPolicySpec{
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
				Egress: []networkingv1.NetworkPolicyEgressRule{{
					// kubernetes.io/metadata.name is set by the API server and cannot be forged by a
					// tenant, unlike a hand-set "name" label.
					To:    []networkingv1.NetworkPolicyPeer{{NamespaceSelector: namespaceSelector(dnsNamespace)}},
					Ports: ports([]string{"53/UDP", "53/TCP"}),
				}},
			},
		})
	}
	if n.AllowSameNamespace {
		same := []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{}}}
		spec := networkingv1.NetworkPolicySpec{PolicyTypes: denied}
		if n.DenyIngress {
			spec.Ingress = []networkingv1.NetworkPolicyIngressRule{{From: same}}
		}
		if n.DenyEgress {
			spec.Egress = []networkingv1.NetworkPolicyEgressRule{{To: same}}
		}
		out = append(out, &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: PolicyAllowSame}, Spec: spec})
	}
	if n.DenyIngress && len(n.AllowIngressFromNamespaces) > 0 {
		out = append(out, &networkingv1.NetworkPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: PolicyAllowFromNS},
			Spec: networkingv1.NetworkPolicySpec{
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
				Ingress: []networkingv1.NetworkPolicyIngressRule{{
					From:  []networkingv1.NetworkPolicyPeer{{NamespaceSelector: namespaceSelector(n.AllowIngressFromNamespaces...)}},
					Ports: ports(n.AllowIngressPorts),
				}},
			},
		})
	}
	if n.DenyEgress && len(n.AllowEgressToNamespaces) > 0 {
		out = append(out, &networkingv1.NetworkPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: PolicyAllowToNS},
			Spec: networkingv1.NetworkPolicySpec{
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
				Egress: []networkingv1.NetworkPolicyEgressRule{{
					To:    []networkingv1.NetworkPolicyPeer{{NamespaceSelector: namespaceSelector(n.AllowEgressToNamespaces...)}},
					Ports: ports(n.AllowEgressPorts),
				}},
			},
		})
	}
	if n.DenyIngress && len(n.AllowIngressFromCIDRs) > 0 {
		out = append(out, &networkingv1.NetworkPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: PolicyAllowFromCIDRs},
			Spec: networkingv1.NetworkPolicySpec{
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
				Ingress:     []networkingv1.NetworkPolicyIngressRule{{From: cidrPeers(n.AllowIngressFromCIDRs), Ports: ports(n.AllowIngressPorts)}},
			},
		})
	}
	if n.DenyEgress && len(n.AllowEgressToCIDRs) > 0 {
		out = append(out, &networkingv1.NetworkPolicy{
			ObjectMeta: metav1.ObjectMeta{Name: PolicyAllowToCIDRs},
			Spec: networkingv1.NetworkPolicySpec{
				PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
				Egress:      []networkingv1.NetworkPolicyEgressRule{{To: cidrPeers(n.AllowEgressToCIDRs), Ports: ports(n.AllowEgressPorts)}},
			},
		})
	}
	return out
}

// cidrPeers are address blocks as NetworkPolicy peers.
func cidrPeers(cidrs []string) []networkingv1.NetworkPolicyPeer {
	peers := make([]networkingv1.NetworkPolicyPeer, 0, len(cidrs))
	for _, c := range cidrs {
		peers = append(peers, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: c}})
	}
	return peers
}

func namespaceSelector(names ...string) *metav1.LabelSelector {
	if len(names) == 1 {
		return &metav1.LabelSelector{MatchLabels: map[string]string{namespaceNameLabel: names[0]}}
	}
	sorted := slices.Sorted(slices.Values(names))
	return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{
		Key: namespaceNameLabel, Operator: metav1.LabelSelectorOpIn, Values: sorted,
	}}}
}

// ports turns "443", "443/TCP", "53/UDP" into NetworkPolicy ports; the protocol is always written
// (the API server defaults it to TCP) so what is read back equals what was applied.
func ports(specs []string) []networkingv1.NetworkPolicyPort {
	var out []networkingv1.NetworkPolicyPort
	for _, s := range specs {
		num, proto, ok := strings.Cut(s, "/")
		if !ok {
			proto = "TCP"
		}
		n, _ := strconv.Atoi(num)
		p := corev1.Protocol(proto)
		port := intstr.FromInt32(int32(n))
		out = append(out, networkingv1.NetworkPolicyPort{Protocol: &p, Port: &port})
	}
	return out
}

// ManagedIDs lists "Kind/name" for objects.
func ManagedIDs(objs []Object) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.ID())
	}
	return out
}
