package blastradius

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// Kinds of impact, in the order they are reported.
const (
	PodSecurity = "pod_security"
	ImagePolicy = "image_policy"
	Quota       = "quota"
	LimitRange  = "limit_range"
	Network     = "network"
	Access      = "access"
)

// Kinds lists the kinds of impact in report order.
var Kinds = []string{PodSecurity, ImagePolicy, Quota, LimitRange, Network, Access}

// MaxJudged caps the objects of one kind that are read and judged in a namespace; beyond it the
// result says that only the first ones were judged.
const MaxJudged = 1000

// MaxNamed is how many objects one warning names before it gives a count.
const MaxNamed = 20

// Impact is one object a planned change breaks. Object names the workload that owns what breaks
// (Deployment/web rather than one of its pods), so the list stays the same while pods come and go.
type Impact struct {
	Kind, Object, Reason string
}

// Live is what the namespace holds today, as internal/kube reads it.
type Live struct {
	Namespace string
	// Objects are the live objects by kind (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
	// Job, CronJob, Service, ResourceQuota, LimitRange, NetworkPolicy, RoleBinding), each a
	// JSON-shaped map.
	Objects map[string][]map[string]any
	// Truncated names the kinds that had more than MaxJudged objects.
	Truncated []string
	// PodSecurityWarnings are the warnings the API server returned for a dry run of the planned
	// Pod Security labels on the namespace.
	PodSecurityWarnings []string
}

// LiveKinds are the kinds Live.Objects holds.
var LiveKinds = []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
	"Service", "ResourceQuota", "LimitRange", "NetworkPolicy", "RoleBinding"}

// Result is the blast radius of one planned change.
type Result struct {
	Impacts []Impact
	// Notes say what was not judged (caps), for the warnings.
	Notes []string
}

// Judge compares the planned objects with what lives in the namespace.
func Judge(live Live, planned []hardening.Object) (Result, error) {
	var r Result
	owners := newOwners(live)
	r.Impacts = append(r.Impacts, podSecurity(live, owners, &r.Notes)...)
	images, err := imagePolicy(live, planned, owners)
	if err != nil {
		return Result{}, err
	}
	r.Impacts = append(r.Impacts, images...)
	r.Impacts = append(r.Impacts, quota(live, planned)...)
	r.Impacts = append(r.Impacts, limitRange(live, planned, owners)...)
	r.Impacts = append(r.Impacts, network(live, planned, owners, &r.Notes)...)
	r.Impacts = append(r.Impacts, access(live, planned)...)
	for _, k := range live.Truncated {
		r.Notes = append(r.Notes, fmt.Sprintf("the namespace has more than %d objects of kind %s: only the first %d were judged", MaxJudged, k, MaxJudged))
	}
	r.Impacts = dedupe(r.Impacts)
	return r, nil
}

// dedupe sorts impacts by kind, then object, and merges the reasons of one object.
func dedupe(in []Impact) []Impact {
	order := func(k string) int { return slices.Index(Kinds, k) }
	slices.SortStableFunc(in, func(a, b Impact) int {
		return cmp.Or(cmp.Compare(order(a.Kind), order(b.Kind)), strings.Compare(a.Object, b.Object))
	})
	var out []Impact
	for _, i := range in {
		if n := len(out); n > 0 && out[n-1].Kind == i.Kind && out[n-1].Object == i.Object {
			if !strings.Contains(out[n-1].Reason, i.Reason) {
				out[n-1].Reason += "; " + i.Reason
			}
			continue
		}
		out = append(out, i)
	}
	return out
}

// Summary renders the impacts of one kind for a warning: at most MaxNamed objects, then a count.
func Summary(impacts []Impact) string {
	var b strings.Builder
	for i, im := range impacts {
		if i == MaxNamed {
			fmt.Fprintf(&b, "\n  ... and %d more", len(impacts)-MaxNamed)
			break
		}
		fmt.Fprintf(&b, "\n  - %s: %s", im.Object, im.Reason)
	}
	return b.String()
}
