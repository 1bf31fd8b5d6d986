package posture

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// Finding is one failed or not evaluable check, about one object.
type Finding struct {
	ID       string
	Practice int
	Severity Severity
	Status   Status
	// Kind, Namespace and Name identify the object. Cluster-wide findings have Kind "Cluster" (or
	// "Provider" for the provider's own connection) and empty Namespace and Name. A Namespace
	// finding has both Namespace and Name set to the namespace, so filtering on namespace finds it.
	Kind, Namespace, Name string
	Message               string
	Remediation           string
	References            []string
}

// Options tune Evaluate.
type Options struct {
	// AsOf is the date the version is judged on. Zero means the release data's own date (Evaluate
	// never reads the clock).
	AsOf time.Time
	// Include limits the per-namespace checks (HRD-5001, 5002, 5004, 5005, 6001, 6002, 7001 to 7003) to the
	// namespaces matching one of these names or glob patterns (path.Match: "team-*"); empty means
	// every namespace. Exclude removes namespaces matching one of its patterns. SystemNamespaces
	// are always excluded.
	Include, Exclude []string
	// Releases is the release table for the version check when Distribution is upstream; nil
	// means releases.Embedded().
	Releases *releases.Table
	// Distribution is whose calendar judges the version and whose managed bindings and namespaces
	// are recognised (releases.DistEKS...); "" means upstream Kubernetes.
	Distribution string
	// ExcludeSubjects are RBAC subjects whose grants are not findings; each one that hides a
	// finding is reported as an Exclusion.
	ExcludeSubjects []Subject
}

// ValidatePattern reports a namespace pattern path.Match cannot use.
func ValidatePattern(p string) error {
	if strings.TrimSpace(p) == "" {
		return fmt.Errorf("empty namespace pattern: use a namespace name or a glob such as \"team-*\"")
	}
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("%q is not a valid namespace pattern (%v): use a name or a glob with *, ? and [a-z]", p, err)
	}
	return nil
}

// Selects says whether the per-namespace checks apply to ns.
func (o Options) Selects(ns string) bool {
	if slices.Contains(SystemNamespaces, ns) {
		return false
	}
	match := func(patterns []string) bool {
		return slices.ContainsFunc(patterns, func(p string) bool {
			ok, err := path.Match(p, ns)
			return err == nil && ok
		})
	}
	if len(o.Include) > 0 && !match(o.Include) {
		return false
	}
	return !match(o.Exclude)
}

// Evaluate runs every check over the snapshot and returns the findings sorted by severity (highest
// first), then check id, then namespace and name.
func Evaluate(s Snapshot, o Options) []Finding {
	fs, _ := EvaluateWithExclusions(s, o)
	return fs
}

// EvaluateWithExclusions is Evaluate that also returns the findings it did not report because
// the distribution manages the object or the options exclude its subject, in the same order.
func EvaluateWithExclusions(s Snapshot, o Options) ([]Finding, []Exclusion) {
	if o.Distribution == "" {
		o.Distribution = releases.DistKubernetes
	}
	e := &evaluator{s: s, o: o, out: []Finding{}, excluded: []Exclusion{}}
	e.version()
	e.transport()
	e.clusterAdmin()
	e.providerClusterAdmin()
	e.anonymousBindings()
	e.namespaces()
	e.reopened()
	e.services()
	e.escalatingBindings()
	e.defaultNamespace()
	e.anonymousRequests()
	e.apiServerPods()
	e.dashboard()
	Sort(e.out)
	slices.SortStableFunc(e.excluded, func(a, b Exclusion) int { return compareFindings(a.Finding, b.Finding) })
	return e.out, e.excluded
}

type evaluator struct {
	s        Snapshot
	o        Options
	out      []Finding
	excluded []Exclusion
}

const (
	kindCluster  = "Cluster"
	kindProvider = "Provider"
)

func (e *evaluator) add(id string, sev Severity, kind, ns, name, msg string) {
	c := checksByID[id]
	if sev == "" {
		sev = c.Severity
	}
	refs := slices.Clone(c.References)
	if refs == nil {
		refs = []string{}
	}
	e.out = append(e.out, Finding{ID: id, Practice: c.Practice, Severity: sev, Status: StatusFailed, Kind: kind,
		Namespace: ns, Name: name, Message: msg, Remediation: c.Remediation, References: refs})
}

// last returns the finding just added, to adjust its remediation.
func (e *evaluator) last() *Finding { return &e.out[len(e.out)-1] }

func (e *evaluator) isUnknown(p Part) bool {
	_, ok := e.s.unknown(p)
	return ok
}

// unknownIf adds an "unknown" finding for the check when any of the parts could not be read, and
// says whether it did.
func (e *evaluator) unknownIf(id string, parts ...Part) bool {
	var reasons []string
	for _, p := range parts {
		if r, ok := e.s.unknown(p); ok {
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		return false
	}
	e.unknown(id, "Not evaluated: "+strings.Join(reasons, "; ")+".")
	return true
}

func (e *evaluator) unknown(id, msg string) {
	e.add(id, "", kindCluster, "", "", msg)
	e.last().Status = StatusUnknown
}

func qualified(ns, name string) string {
	if ns == "" {
		return name
	}
	return ns + "/" + name
}
