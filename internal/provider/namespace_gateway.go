package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// checkGatewayRoutes: the hostname policy names the Gateway API routes whether or not the cluster
// serves them (they are judged from the moment their CRDs are installed), but where none is
// served the plan says that only Ingresses are judged today.
func (r *NamespaceResource) checkGatewayRoutes(ctx context.Context, s hardening.NamespaceSpec) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(s.AllowedHostnames) == 0 || !r.data.known() {
		return diags
	}
	client, d := r.data.client()
	if d.HasError() || servesGatewayRoutes(ctx, client) {
		return diags
	}
	diags.AddAttributeWarning(path.Root("allowed_hostnames"), "The cluster serves no Gateway API routes",
		fmt.Sprintf("The cluster at %s serves none of %s (%s): allowed_hostnames judges Ingresses only. The shared policy "+
			"%s already names the routes, so they are judged as soon as the Gateway API CRDs are installed; no apply is needed then.",
			client.Host(), strings.Join(hardening.GatewayRouteResources, ", "), hardening.GatewayAPIGroup, hardening.HostnamePolicyName))
	return diags
}

// servesGatewayRoutes says whether the cluster serves any of the routes; an unanswered discovery
// request counts as served (no warning is better than a wrong one).
func servesGatewayRoutes(ctx context.Context, client cluster) bool {
	served, err := client.ServedResources(ctx, hardening.GatewayAPIGroup)
	if err != nil {
		tflog.Warn(ctx, "cannot list the Gateway API resources the cluster serves", map[string]any{"error": err.Error()})
		return true
	}
	for _, res := range hardening.GatewayRouteResources {
		if served[res] {
			return true
		}
	}
	return false
}
