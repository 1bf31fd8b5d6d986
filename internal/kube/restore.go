package kube

import (
	"context"
	"encoding/json"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/dynamic"
)

// replaceContent makes an object the provider owns whole equal to desired again. Server-side
// apply cannot do it: it removes only fields the applier owned, and a field a tenant added with
// kubectl (an ingress rule on the default-deny policy) belongs to the tenant. So the content is
// written with an update (PUT) that replaces everything but metadata, and the managedFields entries
// of other managers that claimed that content are dropped in the same request, so the next plan
// compares against a clean object. Metadata (labels and annotations other tools own) is kept.
func (c *Client) replaceContent(ctx context.Context, ri dynamic.ResourceInterface, desired map[string]any, live *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	for attempt := 0; ; attempt++ {
		obj := live.DeepCopy()
		for k := range obj.Object {
			if !isMetaKey(k) {
				delete(obj.Object, k)
			}
		}
		for k, v := range desired {
			if !isMetaKey(k) {
				obj.Object[k] = runtime.DeepCopyJSONValue(v)
			}
		}
		var keep []metav1.ManagedFieldsEntry
		for _, e := range obj.GetManagedFields() {
			if e.Manager == c.fieldManager || metadataOnly(e) {
				keep = append(keep, e)
			}
		}
		if len(keep) > 0 { // an empty list would leave managedFields as they are
			obj.SetManagedFields(keep)
		}
		out, err := ri.Update(ctx, obj, metav1.UpdateOptions{FieldManager: c.fieldManager})
		if err == nil || !apierrors.IsConflict(err) || attempt >= 3 {
			return out, err
		}
		// Someone wrote in between: start again from what is there now.
		if live, err = ri.Get(ctx, live.GetName(), metav1.GetOptions{}); err != nil {
			return nil, err
		}
	}
}

func isMetaKey(k string) bool {
	return k == "metadata" || k == "status" || k == "apiVersion" || k == "kind"
}

// metadataOnly reports whether a managedFields entry claims nothing but metadata or status.
func metadataOnly(e metav1.ManagedFieldsEntry) bool {
	if e.FieldsV1 == nil {
		return true
	}
	var fields map[string]any
	if err := json.Unmarshal(e.FieldsV1.GetRawBytes(), &fields); err != nil {
		return false
	}
	for k := range fields {
		if k != "f:metadata" && k != "f:status" && k != "." {
			return false
		}
	}
	return true
}

// AppliedMetadataKeys lists the label and annotation keys a manager set with server-side apply on
// an object: on import, the labels the provider's earlier applies set are the configuration's, and
// the ones other tools added (a mesh's revision label) are theirs.
func AppliedMetadataKeys(entries []metav1.ManagedFieldsEntry, manager string) (labels, annotations map[string]bool) {
	labels, annotations = map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		if e.Manager != manager || e.Operation != metav1.ManagedFieldsOperationApply || e.FieldsV1 == nil {
			continue
		}
		var fields struct {
			Metadata struct {
				Labels      map[string]any `json:"f:labels"`
				Annotations map[string]any `json:"f:annotations"`
			} `json:"f:metadata"`
		}
		if err := json.Unmarshal(e.FieldsV1.GetRawBytes(), &fields); err != nil {
			continue
		}
		for k := range fields.Metadata.Labels {
			if key, ok := strings.CutPrefix(k, "f:"); ok {
				labels[key] = true
			}
		}
		for k := range fields.Metadata.Annotations {
			if key, ok := strings.CutPrefix(k, "f:"); ok {
				annotations[key] = true
			}
		}
	}
	return labels, annotations
}
