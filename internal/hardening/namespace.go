package hardening

import (
	"fmt"
	"maps"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// NamespaceSpec is what a user asks for.
type NamespaceSpec struct {
	Name        string
	Labels      map[string]string
	Annotations map[string]string
	PodSecurity PodSecurity
}

// Objects are the desired Kubernetes objects for one namespace.
type Objects struct {
	Namespace *corev1.Namespace
}

// reservedLabelPrefixes are label keys the provider or the API server own; letting users set them
// would let a label silently override the Pod Security levels.
var reservedLabelPrefixes = []string{PodSecurityLabelPrefix, "kubernetes.io/metadata.name"}

// ValidateName checks a namespace name (an RFC 1123 label).
func ValidateName(name string) error {
	if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
		return fmt.Errorf("%q is not a valid namespace name: %s", name, strings.Join(errs, "; "))
	}
	return nil
}

// ValidateLabel checks one user label.
func ValidateLabel(key, value string) error {
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		return fmt.Errorf("label key %q is invalid: %s", key, strings.Join(errs, "; "))
	}
	for _, p := range reservedLabelPrefixes {
		if strings.HasPrefix(key, p) {
			return fmt.Errorf("label key %q is managed by the provider or the API server: set pod_security instead of %s* labels", key, PodSecurityLabelPrefix)
		}
	}
	if key == ManagedByLabel {
		return fmt.Errorf("label key %q is set by the provider to %q", key, ManagedByValue)
	}
	if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
		return fmt.Errorf("label %q has an invalid value %q: %s", key, value, strings.Join(errs, "; "))
	}
	return nil
}

// ValidateAnnotationKey checks one annotation key.
func ValidateAnnotationKey(key string) error {
	if errs := validation.IsQualifiedName(strings.ToLower(key)); len(errs) > 0 {
		return fmt.Errorf("annotation key %q is invalid: %s", key, strings.Join(errs, "; "))
	}
	return nil
}

// Validate checks a whole spec; the provider also validates attribute by attribute, this is the
// last line for callers that build specs in code.
func (s NamespaceSpec) Validate() error {
	if err := ValidateName(s.Name); err != nil {
		return err
	}
	for k, v := range s.Labels {
		if err := ValidateLabel(k, v); err != nil {
			return err
		}
	}
	for k := range s.Annotations {
		if err := ValidateAnnotationKey(k); err != nil {
			return err
		}
	}
	for _, l := range []string{s.PodSecurity.Enforce, s.PodSecurity.Audit, s.PodSecurity.Warn} {
		if err := ValidateLevel(l); err != nil {
			return err
		}
	}
	return ValidatePodSecurityVersion(s.PodSecurity.Version)
}

// Build returns the desired objects for a spec.
func Build(s NamespaceSpec) (*Objects, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	labels := maps.Clone(s.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	maps.Copy(labels, s.PodSecurity.Labels())
	labels[ManagedByLabel] = ManagedByValue
	ns := &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: s.Name, Labels: labels, Annotations: maps.Clone(s.Annotations)},
	}
	return &Objects{Namespace: ns}, nil
}

// UserLabels strips the labels the provider or the API server set, leaving what a user manages.
func UserLabels(live map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range live {
		if k == ManagedByLabel || hasReservedPrefix(k) {
			continue
		}
		out[k] = v
	}
	return out
}

func hasReservedPrefix(key string) bool {
	for _, p := range reservedLabelPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}
