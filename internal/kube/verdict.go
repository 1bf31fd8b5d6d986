package kube

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// LiveState is how one object in the cluster compares with what apply writes.
type LiveState int

const (
	// Present: the object is as apply writes it.
	Present LiveState = iota
	// Missing: the object does not exist.
	Missing
	// Drifted: the object differs from what apply writes (Where says how).
	Drifted
	// Stale: the object carries the managed-by label but is not desired; apply deletes it.
	Stale
)

// ObjectVerdict is the live state of one object, by ID ("Kind/name").
type ObjectVerdict struct {
	ID    string
	State LiveState
	Where string // for Drifted: the first difference
}

// Verdicts compares what apply writes (objs) with the live objects (by ID) of an observation:
// each desired object is present, missing or drifted, in the order of objs, followed by the stale
// objects among managedIDs.
func Verdicts(objs []hardening.Object, live map[string]*unstructured.Unstructured, managedIDs []string) ([]ObjectVerdict, error) {
	out := make([]ObjectVerdict, 0, len(objs))
	for _, o := range objs {
		l, ok := live[o.ID()]
		if !ok {
			out = append(out, ObjectVerdict{ID: o.ID(), State: Missing})
			continue
		}
		body, err := hardening.Unstructured(o)
		if err != nil {
			return nil, err
		}
		if where, differs := Drift(body, l.Object); differs {
			out = append(out, ObjectVerdict{ID: o.ID(), State: Drifted, Where: where})
			continue
		}
		out = append(out, ObjectVerdict{ID: o.ID(), State: Present})
	}
	for _, id := range hardening.Stale(managedIDs, objs) {
		out = append(out, ObjectVerdict{ID: id, State: Stale})
	}
	return out, nil
}
