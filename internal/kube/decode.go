package kube

import (
	"maps"
	"slices"
	"strings"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// What a refresh observed is read as unstructured objects; the pure core judges typed ones. The
// decoding between the two is here, so the Terraform layer only translates.

// Live decodes what was observed of a namespace into what hardening.Adopt reconstructs a
// configuration from. Objects that cannot be decoded are returned by ID ("Kind/name"), and what
// was decoded of them is used.
func (o *Observed) Live() (hardening.Live, map[string]error) {
	errs := map[string]error{}
	ns := o.Namespace
	l := hardening.Live{Namespace: ns, Policies: map[string]*networkingv1.NetworkPolicy{}}
	for id, u := range o.Managed {
		kind, _, _ := strings.Cut(id, "/")
		var err error
		switch kind {
		case "ServiceAccount":
			l.ServiceAccount = &corev1.ServiceAccount{}
			err = decode(u, l.ServiceAccount)
		case "ResourceQuota":
			if u.GetName() == hardening.ResourceQuotaName {
				l.ResourceQuota = &corev1.ResourceQuota{}
				err = decode(u, l.ResourceQuota)
			}
		case "LimitRange":
			if u.GetName() == hardening.LimitRangeName {
				l.LimitRange = &corev1.LimitRange{}
				err = decode(u, l.LimitRange)
			}
		case "NetworkPolicy":
			np := &networkingv1.NetworkPolicy{}
			err = decode(u, np)
			l.Policies[np.Name] = np
		case "ValidatingAdmissionPolicy":
			switch id {
			case hardening.LegacyImagePolicyID(ns.Name):
				l.LegacyImagePolicy = &admissionv1.ValidatingAdmissionPolicy{}
				err = decode(u, l.LegacyImagePolicy)
			case hardening.LegacyTamperPolicyID(ns.Name):
				l.LegacyTamperProtection = true
			}
		case "ValidatingAdmissionPolicyBinding":
			if id == hardening.LegacyImageBindingID(ns.Name) {
				l.LegacyImageBinding = &admissionv1.ValidatingAdmissionPolicyBinding{}
				err = decode(u, l.LegacyImageBinding)
			}
		case "RoleBinding":
			rb := &rbacv1.RoleBinding{}
			err = decode(u, rb)
			l.RoleBindings = append(l.RoleBindings, rb)
		}
		if err != nil {
			errs[id] = err
		}
	}
	return l, errs
}

// ForeignObjects decodes the NetworkPolicies and RoleBindings in the namespace that are not among
// wanted (IDs, "Kind/name"): the tenant's own, then the labelled ones no longer wanted (until apply
// prunes them), for hardening.ForeignFindings. Objects that cannot be decoded are returned by ID,
// and what was decoded of them is judged.
func (o *Observed) ForeignObjects(wanted []string) ([]networkingv1.NetworkPolicy, []rbacv1.RoleBinding, map[string]error) {
	want := map[string]bool{}
	for _, id := range wanted {
		want[id] = true
	}
	candidates := append([]*unstructured.Unstructured(nil), o.Others...)
	for _, id := range slices.Sorted(maps.Keys(o.Managed)) {
		if !want[id] {
			candidates = append(candidates, o.Managed[id])
		}
	}
	var policies []networkingv1.NetworkPolicy
	var bindings []rbacv1.RoleBinding
	errs := map[string]error{}
	for _, u := range candidates {
		var err error
		switch u.GetKind() {
		case "NetworkPolicy":
			var np networkingv1.NetworkPolicy
			err = decode(u, &np)
			policies = append(policies, np)
		case "RoleBinding":
			var rb rbacv1.RoleBinding
			err = decode(u, &rb)
			bindings = append(bindings, rb)
		}
		if err != nil {
			errs[u.GetKind()+"/"+u.GetName()] = err
		}
	}
	return policies, bindings, errs
}

// LegacyTamperExempt is the identity an earlier release's per-namespace tamper guard exempts, when
// one was observed ("" when none, or when it cannot be decoded).
func (o *Observed) LegacyTamperExempt() string {
	u, ok := o.Managed[hardening.LegacyTamperPolicyID(o.Namespace.Name)]
	if !ok {
		return ""
	}
	p := &admissionv1.ValidatingAdmissionPolicy{}
	if err := decode(u, p); err != nil {
		return ""
	}
	return hardening.TamperExemptUser(p)
}

// NamespaceObject is the observed namespace in the form drift is compared in.
func (o *Observed) NamespaceObject() (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o.Namespace)
	return &unstructured.Unstructured{Object: m}, err
}

func decode(u *unstructured.Unstructured, into any) error {
	return runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, into)
}
