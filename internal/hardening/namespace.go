package hardening

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// reservedLabelPrefixes are label keys the provider or the API server own; letting users set them
// would let a label silently override the Pod Security levels.
var reservedLabelPrefixes = []string{PodSecurityLabelPrefix, "kubernetes.io/metadata.name", MetadataPrefix}

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
	if strings.HasPrefix(key, PodSecurityLabelPrefix) {
		return fmt.Errorf("label key %q is managed by the provider: set pod_security instead of %s* labels", key, PodSecurityLabelPrefix)
	}
	if key == namespaceNameLabel {
		return fmt.Errorf("label key %q is set by the API server to the namespace name", key)
	}
	if key == ManagedByLabel || key == EnvironmentLabel {
		return fmt.Errorf("label key %q is set by the provider (see environment)", key)
	}
	if strings.HasPrefix(key, MetadataPrefix) {
		return fmt.Errorf("label key %q is reserved: keys starting with %s are set by the provider", key, MetadataPrefix)
	}
	if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
		return fmt.Errorf("label %q has an invalid value %q: %s", key, Truncate(value), strings.Join(errs, "; "))
	}
	return nil
}

// ValidateAnnotationKey checks one annotation key.
func ValidateAnnotationKey(key string) error {
	if errs := validation.IsQualifiedName(strings.ToLower(key)); len(errs) > 0 {
		return fmt.Errorf("annotation key %q is invalid: %s", key, strings.Join(errs, "; "))
	}
	if strings.HasPrefix(key, MetadataPrefix) {
		return fmt.Errorf("annotation key %q is reserved: keys starting with %s are set by the provider (image_policy, tamper_protection)", key, MetadataPrefix)
	}
	return nil
}

// kubectlLastApplied is the annotation kubectl apply leaves on what it applied.
const kubectlLastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// UserAnnotations strips the annotations the provider or kubectl set, leaving what a user manages.
func UserAnnotations(live map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range live {
		if strings.HasPrefix(k, MetadataPrefix) || k == kubectlLastApplied {
			continue
		}
		out[k] = v
	}
	return out
}

// UserLabels strips the labels the provider or the API server set, leaving what a user manages.
func UserLabels(live map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range live {
		if k == ManagedByLabel || k == EnvironmentLabel || hasReservedPrefix(k) {
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

// Truncate shortens user input quoted in messages, so a huge value does not flood the output.
func Truncate(s string) string {
	const maxLen = 64
	if len(s) <= maxLen {
		return s
	}
	return s[:maxLen] + fmt.Sprintf("... (%d bytes)", len(s))
}
