package blastradius

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

func plannedNamespace(planned []hardening.Object) *corev1.Namespace {
	for _, o := range planned {
		if ns, ok := o.Obj.(*corev1.Namespace); ok {
			return ns
		}
	}
	return nil
}

func plannedOf[T any](planned []hardening.Object) []*T {
	var out []*T
	for _, o := range planned {
		if t, ok := any(o.Obj).(*T); ok {
			out = append(out, t)
		}
	}
	return out
}

// typed converts the live objects of one kind; objects that do not convert are skipped (the API
// server wrote them, so that does not happen in practice).
func typed[T any](live Live, kind string) []T {
	var out []T
	for _, m := range live.Objects[kind] {
		var t T
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, &t); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// managed says whether a live object is one this provider wrote.
func managed(labels map[string]string) bool {
	return labels[hardening.ManagedByLabel] == hardening.ManagedByValue
}

func fromMap(m map[string]any, out any) error {
	return runtime.DefaultUnstructuredConverter.FromUnstructured(m, out)
}
