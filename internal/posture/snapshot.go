package posture

import (
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// Part names one read that goes into a Snapshot. A part that could not be read is recorded in
// Snapshot.Unknown with the reason, and the checks that need it report "unknown" findings.
type Part string

// The parts of a Snapshot.
const (
	PartServerVersion       Part = "server version"
	PartNamespaces          Part = "Namespaces"
	PartNetworkPolicies     Part = "NetworkPolicies"
	PartResourceQuotas      Part = "ResourceQuotas"
	PartLimitRanges         Part = "LimitRanges"
	PartClusterRoleBindings Part = "ClusterRoleBindings"
	PartRoleBindings        Part = "RoleBindings"
	PartServices            Part = "Services"
	PartServiceAccounts     Part = "ServiceAccounts"
	PartAPIServerPods       Part = "kube-system Pods"
	PartAnonymousProbe      Part = "anonymous request"
	PartIdentity            Part = "the provider's identity (SelfSubjectReview)"
	// Workloads in the default namespace, one part per kind.
	PartPods         Part = "Pods in default"
	PartDeployments  Part = "Deployments in default"
	PartStatefulSets Part = "StatefulSets in default"
	PartDaemonSets   Part = "DaemonSets in default"
	PartReplicaSets  Part = "ReplicaSets in default"
	PartJobs         Part = "Jobs in default"
	PartCronJobs     Part = "CronJobs in default"
)

// WorkloadParts are the parts HRD-6003 reads, in the order it reports them.
var WorkloadParts = []Part{PartPods, PartDeployments, PartStatefulSets, PartDaemonSets, PartReplicaSets, PartJobs, PartCronJobs}

// DefaultNamespace is the namespace HRD-6003 looks into.
const DefaultNamespace = "default"

// SystemNamespaces are never subject to the per-namespace checks.
var SystemNamespaces = []string{"kube-system", "kube-public", "kube-node-lease"}

// Snapshot is what was read from the cluster. Lists are complete for the parts that are not in
// Unknown; a part in Unknown is empty and its checks report "unknown".
type Snapshot struct {
	// ServerVersion is the API server's gitVersion (GET /version), for example "v1.37.2".
	ServerVersion string

	Namespaces      []corev1.Namespace
	NetworkPolicies []networkingv1.NetworkPolicy
	ResourceQuotas  []corev1.ResourceQuota
	LimitRanges     []corev1.LimitRange

	// Workloads are the workload objects in the default namespace (pods, deployments,
	// statefulsets, daemonsets, replicasets, jobs, cronjobs).
	Workloads []Workload

	ClusterRoleBindings []rbacv1.ClusterRoleBinding
	RoleBindings        []rbacv1.RoleBinding
	Services            []corev1.Service
	ServiceAccounts     []corev1.ServiceAccount

	// APIServerPods are the kube-apiserver (static) pods visible in kube-system; usually none on
	// managed clusters, whose control plane is not visible.
	APIServerPods []corev1.Pod

	// Anonymous is the result of an HTTPS request to the API server without credentials.
	Anonymous AnonymousProbe

	// Provider is how the provider itself reaches the API server.
	Provider ProviderFacts

	// Unknown maps a part that could not be read to the reason ("listing ClusterRoleBindings is
	// forbidden for ...").
	Unknown map[Part]string
}

// Workload is one workload object in the default namespace.
type Workload struct {
	Kind, Name string
	// Controlled is true when the object has a controller owner reference (a Deployment's
	// ReplicaSet, a CronJob's Job, a ReplicaSet's Pod...): it is reported through its owner.
	Controlled bool
}

// AnonymousProbe is the answer to GET <host>/api/v1/namespaces sent with no credentials.
type AnonymousProbe struct {
	// StatusCode is the HTTP status: 401 means anonymous authentication is off, 403 that anonymous
	// requests are authenticated (as system:anonymous) but denied, 2xx that they can list namespaces.
	StatusCode int
	URL        string
}

// ProviderFacts describe the provider's own connection to the API server.
type ProviderFacts struct {
	Host string
	// Insecure is true when TLS verification of the API server is disabled (insecure = true).
	Insecure bool
	// Scheme is the scheme of the API server address: "https", or "http" for plain HTTP.
	Scheme string
	// Username and Groups are who the API server says the provider is (SelfSubjectReview).
	Username string
	Groups   []string
}

// unknown returns why a part could not be read, and whether it could not.
func (s Snapshot) unknown(p Part) (string, bool) {
	reason, ok := s.Unknown[p]
	return reason, ok
}
