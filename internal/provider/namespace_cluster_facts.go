package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// withClusterFacts fills in what the objects depend on besides the configuration: whether the
// cluster serves MutatingAdmissionPolicy v1, which decides how the image policy's pull policy is
// enforced. Plan, apply and refresh ask the same cached question, so they build the same objects.
// Asked only when there is an image policy.
func withClusterFacts(ctx context.Context, client cluster, s *hardening.NamespaceSpec) {
	if s.ImagePolicy == nil || client == nil {
		return
	}
	ok, err := client.ServesResource(ctx, "admissionregistration.k8s.io/v1", "mutatingadmissionpolicies")
	if err != nil {
		tflog.Warn(ctx, "cannot tell whether the cluster serves MutatingAdmissionPolicy", map[string]any{"error": err.Error()})
		return
	}
	s.MutatingAdmissionPolicy = ok
}

// pullRefusalWarning: where nothing sets the pull policy for the tenants, every manifest must, and
// Kubernetes defaults a tagged image to IfNotPresent, so the plan says what will be refused.
func pullRefusalWarning(res hardening.Resolved) diag.Diagnostics {
	var diags diag.Diagnostics
	if ip := res.ImagePolicy; ip == nil || !ip.RefusesPullPolicies() {
		return diags
	}
	diags.AddAttributeWarning(path.Root("image_policy").AtName("always_pull_images"), "Pods must pull their images on every start",
		"The cluster does not serve MutatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes 1.36+), so namespace "+
			res.Name+" refuses pods and pod templates whose containers do not set imagePullPolicy: Always. Kubernetes gives "+
			"a container with a tag other than :latest IfNotPresent when it sets none, so most manifests need the field. "+
			"Set it in the manifests before apply, or set image_policy.always_pull_images = false (the prod default is true).")
	return diags
}
