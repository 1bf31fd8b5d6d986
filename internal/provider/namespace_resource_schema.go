package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// The object types of hardened_namespace's nested attributes, read once from its schema.
var (
	namespaceSchema              = namespaceResourceSchema(context.Background())
	podSecurityAttrTypes         = nestedAttrTypes(namespaceSchema.Attributes, "pod_security")
	resourceQuotaAttrTypes       = nestedAttrTypes(namespaceSchema.Attributes, "resource_quota")
	limitRangeAttrTypes          = nestedAttrTypes(namespaceSchema.Attributes, "limit_range")
	effectiveLimitRangeAttrTypes = nestedAttrTypes(namespaceSchema.Attributes, "effective_limit_range")
	networkAttrTypes             = nestedAttrTypes(namespaceSchema.Attributes, "network_policy")
	imagePolicyAttrTypes         = nestedAttrTypes(namespaceSchema.Attributes, "image_policy")
	servicePolicyAttrTypes       = nestedAttrTypes(namespaceSchema.Attributes, "service_policy")
	accessAttrTypes              = nestedAttrTypes(namespaceSchema.Attributes, "access")
	complianceAttrTypes          = nestedAttrTypes(namespaceSchema.Attributes, "compliance")
	blastRadiusElemType          = types.ObjectType{AttrTypes: nestedAttrTypes(namespaceSchema.Attributes, "blast_radius")}
)

// Defaults of the attributes that say how Terraform handles the namespace rather than what it is
// made of; the defaults of the others are hardening's. The schema and an import use the same values.
const (
	defaultWaitForDefaultServiceAccount = true
	defaultDeletionProtection           = false
	defaultForceConflicts               = false
)

func (r *NamespaceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = namespaceResourceSchema(ctx)
}

func namespaceResourceSchema(ctx context.Context) schema.Schema {
	attributes := namespaceInputAttributes()
	maps.Copy(attributes, map[string]schema.Attribute{
		"id": schema.StringAttribute{
			Computed: true, MarkdownDescription: "The namespace name.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"uid": schema.StringAttribute{
			Computed: true, MarkdownDescription: "The namespace's UID assigned by the API server.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"wait_for_default_service_account": schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(defaultWaitForDefaultServiceAccount),
			MarkdownDescription: "Make sure the `default` ServiceAccount exists when apply returns, so pods can be " +
				"created at once (default `true`). The provider writes its `automountServiceAccountToken`, which creates " +
				"it when the controller manager has not yet, so apply does not wait for the controller either way.",
		},
		"deletion_protection": schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(defaultDeletionProtection),
			MarkdownDescription: "When `true`, destroying or replacing the namespace fails with an explanation (default `false`).",
		},
		"tamper_protection": schema.BoolAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Guard the namespace against its own tenants (default `true` in every environment): the " +
				"shared ValidatingAdmissionPolicy `hardened-tamper` refuses anyone but the runner (the provider's " +
				"`runner_identity`, or else the user name the API server reports for the run that applies), break-glass " +
				"identities (`system:masters` and `break_glass_groups`) and, while the namespace is being deleted, the " +
				"system controllers that empty it: creating, changing or deleting the objects this resource owns " +
				"(their content, managed-by label, `ownerReferences` and `finalizers`), changing the namespace's Pod " +
				"Security labels, its `hardened.kubehardening.io/` labels and annotations, its `ownerReferences` and " +
				"`finalizers`, deleting it, or changing `automountServiceAccountToken`, `ownerReferences` or `finalizers` " +
				"of the `default` ServiceAccount. Needs Kubernetes 1.30 or newer: set explicitly on an older cluster it is " +
				"a plan-time error; left unset it is turned off with a warning. See the threat model guide.",
		},
		"break_glass_groups": schema.ListAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "Groups whose members may change what tamper protection guards, besides `system:masters` " +
				"(always exempt). For platforms where cluster administrators do not hold `system:masters` (on EKS they " +
				"usually act through access policies). Every request admitted only because of break-glass is recorded " +
				"in the API server's audit log with the annotation `hardened-tamper/break-glass`, and what it changed " +
				"shows in the next plan. Not `system:authenticated` or another group every identity holds.",
			Validators: []validator.List{listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
		},
		"force_conflicts": schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(defaultForceConflicts),
			MarkdownDescription: "Take over fields another server-side apply manager owns instead of failing with a " +
				"conflict (default `false`). Imperative edits (kubectl edit/label) are drift and are always repaired.",
		},
		"effective_resource_quota": schema.MapAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "The ResourceQuota `hard` values applied: the preset merged with `resource_quota.hard`.",
		},
		"effective_limit_range": schema.SingleNestedAttribute{
			Computed: true, MarkdownDescription: "The LimitRange values applied: the preset merged with `limit_range`.",
			Attributes: map[string]schema.Attribute{
				"default_request": schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Default requests."},
				"default":         schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Default limits."},
				"max":             schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Maximum limits."},
				"min":             schema.MapAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Minimum requests."},
			},
		},
		"managed_objects": schema.ListAttribute{
			Computed: true, ElementType: types.StringType,
			MarkdownDescription: "The objects this resource owns, as `Kind/name`. An object changed or deleted outside " +
				"Terraform drops out of this list on refresh, so the plan shows it being restored.",
		},
		"compliance": schema.SingleNestedAttribute{
			Computed: true,
			MarkdownDescription: "Whether the namespace passes every check of the checklist practices this resource " +
				"covers, and a line for each check it does not pass. The checks and the scanner checks each answers are " +
				"listed under Compliance above.",
			Attributes: map[string]schema.Attribute{
				"satisfied": schema.BoolAttribute{Computed: true,
					MarkdownDescription: "Whether every check is satisfied (`gaps` is empty)."},
				"gaps": schema.ListAttribute{Computed: true, ElementType: types.StringType,
					MarkdownDescription: "One line per check not satisfied, in the order of the table under Compliance " +
						"above: `practice N (what is checked): the values the verdict rests on [the scanner checks that " +
						"report the same gap]`. Practice 4 has two checks."},
			},
		},
		"compute_blast_radius": schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Compute `blast_radius` when a plan changes an existing namespace (default `true`). " +
				"Set `false` for very large namespaces whose objects you do not want read at every change; " +
				"`blast_radius` is then null.",
		},
		"blast_radius": schema.ListNestedAttribute{
			Computed: true,
			MarkdownDescription: "What the planned change would break in the namespace as it runs today, one entry per " +
				"object, computed when a plan changes an existing (for example imported) namespace: the pods the planned " +
				"Pod Security `enforce` level refuses, the workloads whose images the planned image policy refuses on " +
				"their next rollout, quota keys in use beyond the planned `hard`, containers the planned LimitRange " +
				"defaults or refuses, Services that lose every caller from outside the namespace, subjects that lose a " +
				"role. Empty when nothing breaks or nothing changes; gate on it with a `check` block or a " +
				"`precondition`. See Blast radius above.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"impact": schema.StringAttribute{Computed: true, MarkdownDescription: "`pod_security`, `image_policy`, " +
					"`quota`, `limit_range`, `network` or `access`."},
				"object": schema.StringAttribute{Computed: true, MarkdownDescription: "What breaks, as `Kind/name`: the " +
					"workload that owns a pod rather than the pod, a Service, a ResourceQuota, or the subject that loses a role."},
				"reason": schema.StringAttribute{Computed: true, MarkdownDescription: "Why, in the words of the check " +
					"(for Pod Security, the API server's)."},
			}},
		},
		"timeouts": timeoutsAttribute(ctx),
	})
	return schema.Schema{
		// 1: compliance became an object holding the verdict and the gaps (UpgradeState).
		Version: 1,
		MarkdownDescription: "A tenant namespace hardened by default, as one resource: the Namespace with Pod Security " +
			"Admission labels, a ResourceQuota, a LimitRange, default-deny NetworkPolicies with explicit allows, " +
			"namespace-scoped RoleBindings and a default ServiceAccount that does not mount API tokens. An " +
			"`environment` preset fills every value left unset; explicit values win. Changes made outside Terraform " +
			"show in the next plan and apply repairs them; fields other tools own are left alone (server-side apply).",
		Attributes: attributes,
	}
}

// namespaceInputAttributes are the arguments that say what the namespace is made of: the resource
// takes them, and hardened_namespace_manifests takes the same ones (converted by
// dataSourceAttributes), so both document them with the same words.
func namespaceInputAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name": schema.StringAttribute{
			Required: true, MarkdownDescription: "Name of the namespace (an RFC 1123 label: lower case letters, digits " +
				"and `-`, at most 63 characters). Changing it on `hardened_namespace` replaces the namespace.",
			PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		},
		"labels": schema.MapAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "Labels for the namespace. `pod-security.kubernetes.io/*` keys are refused: use " +
				"`pod_security`. Labels other tools add are left alone and never show as a diff.",
		},
		"annotations": schema.MapAttribute{
			Optional: true, ElementType: types.StringType,
			MarkdownDescription: "Annotations for the namespace. Annotations other tools add are left alone.",
		},
		"environment": schema.StringAttribute{
			Optional: true, Computed: true, Default: stringdefault.StaticString(hardening.DefaultEnvironment),
			Validators: []validator.String{stringvalidator.OneOf(hardening.Environments...)},
			MarkdownDescription: "Preset that fills every value left unset: `dev`, `test`, `staging` or `prod` " +
				"(default); every preset enforces Pod Security, a quota, container limits and default-deny network policies, and " +
				"`dev` enforces `baseline` but keeps `restricted` warnings and audit (values per preset: Environment presets in the documentation).",
		},
		"pod_security": schema.SingleNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Pod Security Admission labels. Unset modes come from the `environment` preset " +
				"(`restricted` everywhere except `dev`'s `baseline` enforce).",
			Attributes: map[string]schema.Attribute{
				"enforce": levelAttribute("enforce"),
				"audit":   levelAttribute("audit"),
				"warn":    levelAttribute("warn"),
				"version": schema.StringAttribute{
					Optional: true, Computed: true,
					MarkdownDescription: "Policy version the levels refer to: `latest` (preset) or a minor such as `v1.37`.",
				},
			},
		},
		"resource_quota": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "ResourceQuota for the namespace. `hard` accepts any ResourceQuota key; it is merged key " +
				"by key over the preset's, so setting `requests.cpu` keeps the preset's `services.loadbalancers = \"0\"`. " +
				"`hardened_namespace` shows the result in `effective_resource_quota`.",
			Attributes: map[string]schema.Attribute{
				"hard": schema.MapAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Quota keys and quantities, for example `{ \"requests.cpu\" = \"8\", pods = \"50\" }`."},
			},
		},
		"limit_range": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Container LimitRange (`cpu`, `memory`, `ephemeral-storage`). Each map is merged key by key " +
				"over the preset's; `hardened_namespace` shows the result in `effective_limit_range`. Values must satisfy " +
				"min <= default_request <= default <= max.",
			Attributes: map[string]schema.Attribute{
				"default_request": limitMap("Requests given to containers that set none."),
				"default":         limitMap("Limits given to containers that set none."),
				"max":             limitMap("Largest limit a container may set."),
				"min":             limitMap("Smallest request a container may set."),
			},
		},
		"network_policy": schema.SingleNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "NetworkPolicies: default deny with explicit allows. Namespaces are matched by the " +
				"`kubernetes.io/metadata.name` label, which the API server sets and tenants cannot forge.",
			Attributes: map[string]schema.Attribute{
				"deny_ingress":         presetBool("Deny all ingress not explicitly allowed (preset: `true`)."),
				"deny_egress":          presetBool("Deny all egress not explicitly allowed (preset: `true`)."),
				"allow_dns":            presetBool("Allow DNS (UDP and TCP 53) to `kube-system` when egress is denied (preset: `true`)."),
				"allow_same_namespace": presetBool("Allow traffic between pods of this namespace (preset: `true`)."),
				"allow_ingress_from_namespaces": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Namespaces whose pods may connect in."},
				"allow_ingress_from_cidrs": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Networks (`\"35.191.0.0/16\"`) that may connect in: cloud load balancers' health checks and " +
						"targets, control-plane webhooks. A range narrower than every address is no compliance gap; together covering " +
						"every address (`0.0.0.0/0`) is."},
				"allow_ingress_ports": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Ports (`\"8080\"`, `\"8443/TCP\"`, `\"53/UDP\"`) the ingress allows from namespaces and CIDRs are limited to; all when empty."},
				"allow_egress_to_namespaces": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Namespaces this namespace's pods may connect to."},
				"allow_egress_to_cidrs": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Networks (`\"10.0.0.0/8\"`) this namespace's pods may connect to."},
				"allow_egress_ports": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Ports the egress allows to namespaces and CIDRs are limited to; all when empty."},
			},
		},
		"access": schema.ListNestedAttribute{
			Optional:            true,
			MarkdownDescription: "Who may do what inside the namespace: one RoleBinding per entry, never cluster-wide.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"role": schema.StringAttribute{Required: true, MarkdownDescription: "`view`, `edit`, `admin` or the name of " +
					"another ClusterRole. `cluster-admin` is refused unless `allow_cluster_admin = true`."},
				"users":  schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "User names."},
				"groups": schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Group names."},
				"service_accounts": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Service accounts as `namespace/name`."},
				"allow_cluster_admin": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Allow `role = \"cluster-admin\"` for this entry."},
			}},
		},
		"image_policy": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Admission-level image policy: the shared ValidatingAdmissionPolicy `hardened-images` " +
				"(admissionregistration.k8s.io/v1, Kubernetes 1.30+), bound to this namespace by a label, reading its values from " +
				"the namespace's annotations. It covers Pods (all container kinds, including init and " +
				"ephemeral) and the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs. " +
				"Tenants cannot change the registries it allows.",
			Attributes: map[string]schema.Attribute{
				"allowed_registries": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Registries (or registry/path prefixes) images must come from, such as " +
						"`registry.example.com` or `ghcr.io/my-org`. An image matches when it starts with the value followed by `/`, " +
						"so `registry.example.com.evil.io/x` does not pass for `registry.example.com`. Images must name their registry."},
				"forbid_latest_tag": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(hardening.DefaultForbidLatestTag),
					MarkdownDescription: "Refuse images without a tag or with the `:latest` tag (default `true`)."},
				"require_digest": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(hardening.DefaultRequireDigest),
					MarkdownDescription: "Refuse images not pinned by digest (`image@sha256:...`) (default `false`)."},
				"action": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(hardening.DefaultImageAction),
					Validators:          []validator.String{stringvalidator.OneOf(hardening.ImageActions...)},
					MarkdownDescription: "`Deny` (default) refuses the object; `Warn` admits it with a warning; `Audit` records it in the audit log."},
				"always_pull_images": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Make every container pull its image when it starts, so an image another tenant's pod " +
						"left on the node cannot run without the registry checking this pod's credentials (what the " +
						"`AlwaysPullImages` admission plugin does cluster-wide). Where the cluster serves MutatingAdmissionPolicy " +
						"(`admissionregistration.k8s.io/v1`, Kubernetes 1.36+), the shared policy `hardened-pull-always` sets " +
						"`imagePullPolicy: Always` on new pods' containers and manifests need no change; elsewhere pods and pod " +
						"templates whose containers pull otherwise are refused with a message that says what to change. " +
						"Unset: on in `prod`, off in the other presets."},
			},
		},
		"allowed_storage_classes": schema.ListAttribute{Optional: true, ElementType: types.StringType,
			MarkdownDescription: "StorageClasses the namespace's PersistentVolumeClaims and generic ephemeral volumes may " +
				"use; a claim that names none (and would get the cluster's default class) is refused too. Unset: any class. " +
				"Enforced by the shared ValidatingAdmissionPolicy `hardened-classes` (Kubernetes 1.30+)."},
		"allowed_priority_classes": schema.ListAttribute{Optional: true, ElementType: types.StringType,
			MarkdownDescription: "PriorityClasses the namespace's pods and pod templates may name. Unset: any class. " +
				"Pods that name no class get the cluster's default and are not judged."},
		"max_preempting_priority": schema.Int64Attribute{Optional: true,
			MarkdownDescription: "The highest priority at which the namespace's pods may preempt (evict) other pods: a pod " +
				"naming a PriorityClass above it is refused unless the class has `preemptionPolicy: Never`. Unset: the " +
				"environment's bound, `0` in `prod` (a tenant's pods preempt no one), none in the other presets."},
		"allowed_hostnames": schema.ListAttribute{Optional: true, ElementType: types.StringType,
			MarkdownDescription: "DNS names this namespace owns, each with every name under it (`shop.example.com` owns " +
				"`www.shop.example.com` and `*.shop.example.com`). When set, the shared ValidatingAdmissionPolicy " +
				"`hardened-hostnames` (Kubernetes 1.30+) refuses Ingress `rules[].host` and `tls[].hosts`, and Gateway API " +
				"`HTTPRoute`, `GRPCRoute` and `TLSRoute` `spec.hostnames`, outside them; wildcards not under them; and what " +
				"serves every hostname (an Ingress rule without a host, a `defaultBackend`, a route without hostnames). " +
				"Updates are judged on the hosts they add. Unset: any hostname. Hostnames are unique across namespaces only " +
				"when each name is listed for one namespace."},
		"service_policy": schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "Keeps the namespace's Services inside it, on by default (unset: the defaults below): " +
				"the shared ValidatingAdmissionPolicy `hardened-services` (Kubernetes 1.30+), bound to this namespace by a " +
				"label and reading its values from the namespace's annotations, which tenants cannot change. It refuses " +
				"`spec.externalIPs` outside `allowed_external_ip_cidrs` (CVE-2020-8554), Services of type `ExternalName` " +
				"(CVE-2021-25740) and LoadBalancers without `loadBalancerSourceRanges`. An update is judged on what it adds, " +
				"so Services admitted earlier can still be updated and deleted.",
			Attributes: map[string]schema.Attribute{
				"enabled": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "`false` turns the Services policy off for this namespace (default `true`)."},
				"allowed_external_ip_cidrs": schema.ListAttribute{Optional: true, ElementType: types.StringType,
					MarkdownDescription: "Address ranges `spec.externalIPs` may use, such as `192.0.2.0/28`. Empty (default): " +
						"no external IPs. A Service with external IPs receives traffic for those addresses from every pod and node."},
				"allow_external_name": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Admit Services of type `ExternalName` (default `false`)."},
				"require_load_balancer_source_ranges": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Refuse a LoadBalancer Service without `spec.loadBalancerSourceRanges` (default `true`). " +
						"The presets' quota allows no LoadBalancers at all; this applies once `services.loadbalancers` is raised."},
				"action": schema.StringAttribute{Optional: true,
					Validators:          []validator.String{stringvalidator.OneOf(hardening.ImageActions...)},
					MarkdownDescription: "`Deny` (default) refuses the Service; `Warn` admits it with a warning; `Audit` records it in the audit log."},
			},
		},
		"automount_service_account_token": schema.BoolAttribute{
			Optional: true, Computed: true, Default: booldefault.StaticBool(hardening.DefaultAutomountServiceAccountToken),
			MarkdownDescription: "Value of `automountServiceAccountToken` on the namespace's `default` ServiceAccount " +
				"(default `false`: pods get no API token unless they ask for one).",
		},
	}
}

// timeoutsAttribute is the timeouts package's attribute with Markdown descriptions: the package
// sets only plain Description, which the Registry documentation does not show.
func timeoutsAttribute(ctx context.Context) schema.Attribute {
	attr := timeouts.Attributes(ctx, timeouts.Opts{
		Create:            true,
		Update:            true,
		Delete:            true,
		CreateDescription: "How long create may take, including the wait for the `default` ServiceAccount (default `5m`).",
		UpdateDescription: "How long update may take (default `5m`).",
		DeleteDescription: "How long to wait for the namespace, and everything in it, to be gone (default `10m`). " +
			"When it runs out, the error names the finalizers and remaining content that hold the namespace.",
	})
	a, ok := attr.(schema.SingleNestedAttribute)
	if !ok {
		return attr // TestSchemaDescriptions_resources reports the missing descriptions
	}
	a.MarkdownDescription = "Operation timeouts, as Go durations such as `30s` or `15m`."
	for name, nested := range a.Attributes {
		if str, ok := nested.(schema.StringAttribute); ok {
			str.MarkdownDescription = str.Description
			a.Attributes[name] = str
		}
	}
	return a
}

func levelAttribute(mode string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		Validators:          []validator.String{stringvalidator.OneOf(hardening.Levels...)},
		MarkdownDescription: "Pod Security Admission level for `" + mode + "`: `privileged`, `baseline` or `restricted`.",
	}
}

func limitMap(desc string) schema.MapAttribute {
	return schema.MapAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: desc}
}

func presetBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: desc}
}
