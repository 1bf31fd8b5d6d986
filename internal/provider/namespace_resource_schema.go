package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

var podSecurityAttrTypes = map[string]attr.Type{
	"enforce": types.StringType, "audit": types.StringType, "warn": types.StringType, "version": types.StringType,
}

func (r *NamespaceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	def := hardening.DefaultPodSecurity()
	level := func(mode string, d string) schema.StringAttribute {
		return schema.StringAttribute{
			Optional: true, Computed: true, Default: stringdefault.StaticString(d),
			Validators: []validator.String{stringvalidator.OneOf(hardening.Levels...)},
			MarkdownDescription: "Pod Security Admission level for `" + mode + "`: `privileged`, `baseline` or `restricted` " +
				"(default `" + d + "`).",
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Kubernetes namespace hardened by default: Pod Security Admission `restricted` in enforce, " +
			"audit and warn modes. Changes made outside Terraform to what this resource manages show in the next plan " +
			"and are repaired by apply; fields other tools own are left alone (server-side apply).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The namespace name.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "Name of the namespace (an RFC 1123 label: lower case letters, digits " +
					"and `-`, at most 63 characters). Changing it replaces the namespace.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{stringCheck{"namespace name", hardening.ValidateName}},
			},
			"uid": schema.StringAttribute{
				Computed: true, MarkdownDescription: "The namespace's UID assigned by the API server.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"labels": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Labels for the namespace. `pod-security.kubernetes.io/*` keys are refused: use " +
					"`pod_security`. Labels other tools add are left alone and not shown.",
				Validators: []validator.Map{mapCheck{"label", hardening.ValidateLabel}},
			},
			"annotations": schema.MapAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Annotations for the namespace. Annotations other tools add are left alone and not shown.",
				Validators:          []validator.Map{mapCheck{"annotation", func(k, _ string) error { return hardening.ValidateAnnotationKey(k) }}},
			},
			"pod_security": schema.SingleNestedAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Pod Security Admission labels. Every mode defaults to `restricted`.",
				Default: objectdefault.StaticValue(types.ObjectValueMust(podSecurityAttrTypes, map[string]attr.Value{
					"enforce": types.StringValue(def.Enforce), "audit": types.StringValue(def.Audit),
					"warn": types.StringValue(def.Warn), "version": types.StringValue(def.Version),
				})),
				Attributes: map[string]schema.Attribute{
					"enforce": level("enforce", def.Enforce),
					"audit":   level("audit", def.Audit),
					"warn":    level("warn", def.Warn),
					"version": schema.StringAttribute{
						Optional: true, Computed: true, Default: stringdefault.StaticString(def.Version),
						Validators:          []validator.String{stringCheck{"Pod Security version", hardening.ValidatePodSecurityVersion}},
						MarkdownDescription: "Policy version the levels refer to: `latest` (default) or a minor such as `v1.37`.",
					},
				},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}
