package kube

import (
	"errors"
	"regexp"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// conflictManager pulls the manager name out of an SSA conflict cause:
// `conflict with "kubectl-edit" using v1`.
var conflictManager = regexp.MustCompile(`conflict with "([^"]+)"`)

// applyRepairingDrift runs an apply without force. When it conflicts only with managers that
// changed the fields imperatively (operation Update: kubectl edit/label/patch), that is drift the
// plan already showed, so the apply is repeated with force to restore the desired values. A
// conflict with another declarative owner (operation Apply: another tool's server-side apply) is
// returned for the user to resolve, unless force was asked for.
func applyRepairingDrift(force bool, apply func(force bool) error, managedFields func() ([]metav1.ManagedFieldsEntry, error)) error {
	err := apply(force)
	if err == nil || force || !apierrors.IsConflict(err) {
		return err
	}
	managers := conflictingManagers(err)
	if len(managers) == 0 {
		return err
	}
	entries, getErr := managedFields()
	if getErr != nil {
		return errors.Join(err, getErr)
	}
	for _, e := range entries {
		if managers[e.Manager] && e.Operation == metav1.ManagedFieldsOperationApply {
			return err
		}
	}
	return apply(true)
}

func conflictingManagers(err error) map[string]bool {
	var status apierrors.APIStatus
	out := map[string]bool{}
	if !errors.As(err, &status) || status.Status().Details == nil {
		return out
	}
	for _, c := range status.Status().Details.Causes {
		if m := conflictManager.FindStringSubmatch(c.Message); m != nil {
			out[m[1]] = true
		}
	}
	return out
}
