package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// runnerFor returns the identity the tamper guard exempts for this run: the declared
// runner_identity, which the API server must confirm this run is, or else the user name the API
// server reports.
func (d *providerData) runnerFor(ctx context.Context, client cluster) (hardening.RunnerIdentity, diag.Diagnostics) {
	var diags diag.Diagnostics
	id, err := client.WhoAmI(ctx)
	if err != nil {
		diags.AddError("Cannot learn the identity Terraform runs as",
			err.Error()+". tamper_protection exempts that identity from its guard; set tamper_protection = false to go without it.")
		return hardening.RunnerIdentity{}, diags
	}
	if d != nil && d.runner != nil {
		if !d.runner.Matches(id.Username, id.Groups) {
			diags.AddError("This run is not the declared runner_identity", runnerMismatch(*d.runner, id))
		}
		return *d.runner, diags
	}
	return hardening.RunnerIdentity{Users: []string{id.Username}}, diags
}

func runnerMismatch(declared hardening.RunnerIdentity, id kube.Identity) string {
	return fmt.Sprintf("The API server authenticates this run as user %q with groups [%s]; the provider's runner_identity "+
		"names %s, which the tamper guard of every namespace this configuration manages exempts. Run Terraform with the "+
		"runner's credentials, or add this user or one of its groups to runner_identity (and apply once as the runner "+
		"or a cluster administrator, so the guards exempt it).", id.Username, strings.Join(id.Groups, ", "), declared)
}

// guardIdentity is the runner the tamper guard should exempt after this run (nobody when the
// state wants no guard: then no request is made). A declared
// runner_identity must match this run (an error otherwise). Without one it is this run's user
// name; when the live guard exempts someone else, the plan says what apply will do: a break-glass
// identity takes the guard over, anyone else is refused by it.
func (r *NamespaceResource) guardIdentity(ctx context.Context, client cluster, obs *kube.Observed, guarded bool, diags *diag.Diagnostics) hardening.RunnerIdentity {
	if !guarded {
		return hardening.RunnerIdentity{} // no guard wanted: who this run is does not matter
	}
	name := obs.Namespace.Name
	exempt := hardening.TamperIdentity(obs.Namespace.Annotations)
	if legacy := obs.LegacyTamperExempt(); exempt.Empty() && legacy != "" {
		exempt.Users = []string{legacy}
	}
	if r.data != nil && r.data.runner != nil {
		runner, d := r.data.runnerFor(ctx, client)
		diags.Append(d...)
		return runner
	}
	id, err := client.WhoAmI(ctx)
	if err != nil {
		tflog.Warn(ctx, "cannot learn the identity Terraform runs as; keeping the guard's", map[string]any{"error": err.Error()})
		return exempt
	}
	// No exempt identity live (no guard, or its annotation removed by break-glass): the guard
	// should exempt this run, which the plan shows when the guard is on.
	if exempt.Empty() || exempt.Matches(id.Username, id.Groups) {
		// Exempt (perhaps through a group a removed runner_identity declared): the configuration
		// wins, and without runner_identity the guard exempts this run's user name.
		return hardening.RunnerIdentity{Users: []string{id.Username}}
	}
	if hardening.IsBreakGlass(id.Groups, obs.Namespace.Annotations) {
		diags.AddWarning("Tamper protection exempts another identity",
			fmt.Sprintf("The tamper protection of namespace %s exempts %s; this run authenticates as %q, a break-glass identity. "+
				"Apply hands the guard to %q. Declare the provider's runner_identity when the runner's user name changes per "+
				"session.", name, exempt, id.Username, id.Username))
	} else {
		diags.AddWarning("Tamper protection exempts another identity",
			fmt.Sprintf("The tamper protection of namespace %s exempts %s; this run authenticates as %q with groups [%s], "+
				"so the guard will refuse its apply. Declare the runner in the provider's runner_identity (a group that "+
				"every session of the runner holds) and apply once as the exempt identity or a cluster administrator.",
				name, exempt, id.Username, strings.Join(id.Groups, ", ")))
	}
	return hardening.RunnerIdentity{Users: []string{id.Username}}
}

// explainGuardRefusal adds what to do to the guard's refusal of the runner's own write.
func explainGuardRefusal(err error, namespace string) string {
	if !guardRefusal(err) {
		return err.Error()
	}
	return err.Error() + fmt.Sprintf(". The tamper protection of namespace %s exempts another identity than this run "+
		"(its hardened.kubehardening.io/terraform-identity and terraform-groups annotations say which). Run Terraform as "+
		"that identity, declare the runner in the provider's runner_identity and apply once as a cluster administrator, "+
		"or break glass as a member of system:masters or of the namespace's break_glass_groups.", namespace)
}
