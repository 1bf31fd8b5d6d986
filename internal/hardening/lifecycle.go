package hardening

import (
	"slices"
	"strings"
)

// NamespacedKinds are the kinds that may live inside a hardened namespace.
var NamespacedKinds = []string{"ServiceAccount", "ResourceQuota", "LimitRange", "NetworkPolicy", "RoleBinding", "ConfigMap"}

// ClusterScopedKinds are the kinds the provider writes outside any namespace: the namespace itself,
// and the admission policies and their bindings.
var ClusterScopedKinds = []string{"Namespace", validatingPolicyKind, validatingPolicyBindKind, mutatingPolicyKind, mutatingPolicyBindKind}

// IsClusterScopedKind says whether objects of a kind live outside namespaces. Those other than the
// namespace are not removed with it and must be deleted explicitly.
func IsClusterScopedKind(kind string) bool { return slices.Contains(ClusterScopedKinds, kind) }

// IsManaged says whether an object's labels mark it as written by this provider.
func IsManaged(labels map[string]string) bool { return labels[ManagedByLabel] == ManagedByValue }

// RefreshScope is what a refresh of a namespace reads: every kind inside it (an import cannot know
// which it uses, and a labelled object the configuration no longer wants must be found) and the
// cluster-scoped objects it may use, by name (see ClusterObjectIDs).
func RefreshScope(namespace string) (kinds, clusterIDs []string) {
	return NamespacedKinds, ClusterObjectIDs(namespace)
}

// PruneScope is what apply reads to find the objects to prune: every kind inside the namespace and
// its legacy cluster-scoped objects. A namespace just created holds nothing stale, so then only the
// cluster-scoped objects (left by an earlier namespace of the same name deleted out of band) are read.
func PruneScope(namespace string, created bool) (kinds, clusterIDs []string) {
	if created {
		return nil, LegacyClusterObjectIDs(namespace)
	}
	return NamespacedKinds, LegacyClusterObjectIDs(namespace)
}

// DeleteScope is what destroying a namespace deletes before the namespace itself: the objects
// inside go with it, and the shared admission policies serve other namespaces, but an earlier
// release's per-namespace policies do not go with it.
func DeleteScope(namespace string) (kinds, clusterIDs []string) {
	return nil, LegacyClusterObjectIDs(namespace)
}

// ApplyOrder splits objects into the batches apply writes one after another:
//   - the tamper guard first, so a new Terraform identity is exempt before it touches anything;
//   - the namespace;
//   - everything inside the namespace, and admission policies;
//   - policy bindings other than the guard's last: an image policy bound before the policy exists
//     would refuse every pod for a moment.
func ApplyOrder(objs []Object) (guard []Object, namespace Object, inside, last []Object) {
	for _, o := range objs {
		isGuard := o.ClusterScoped() && strings.HasPrefix(o.Name, TamperPolicyName)
		switch {
		case o.Kind == "Namespace":
			namespace = o
		case isGuard:
			guard = append(guard, o)
		case o.Kind == validatingPolicyBindKind || o.Kind == mutatingPolicyBindKind:
			last = append(last, o)
		default:
			inside = append(inside, o)
		}
	}
	return guard, namespace, inside, last
}

// Stale lists, in the order given, the labelled live objects (IDs, "Kind/name", see IsManaged)
// that objs no longer has and that may be pruned (see NeverPruned).
func Stale(labelled []string, objs []Object) []string {
	want := ManagedIDs(objs)
	var out []string
	for _, id := range labelled {
		if !slices.Contains(want, id) && !NeverPruned(id) {
			out = append(out, id)
		}
	}
	return out
}

// PruneOrder sorts objects to delete so that nothing is briefly enforced half-configured: policy
// bindings before their policies.
func PruneOrder(ids []string) []string {
	out := slices.Clone(ids)
	rank := func(id string) int {
		switch {
		case strings.HasPrefix(id, validatingPolicyBindKind+"/"), strings.HasPrefix(id, mutatingPolicyBindKind+"/"):
			return 0
		case strings.HasPrefix(id, validatingPolicyKind+"/"), strings.HasPrefix(id, mutatingPolicyKind+"/"):
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	return out
}

// NeverPruned are objects that stay when one namespace no longer wants them: the namespace is the
// resource itself, the default ServiceAccount belongs to the controller manager, and the shared
// admission policies serve other namespaces (they select namespaces by label, so one that no longer
// carries the label is no longer judged).
func NeverPruned(id string) bool {
	kind, _, _ := strings.Cut(id, "/")
	return kind == "Namespace" || kind == "ServiceAccount" || IsShared(id)
}
