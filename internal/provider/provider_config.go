package provider

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// Defaults high enough that client-go's own throttling (5 QPS) never slows a plan; the API
// server's priority and fairness still protects the cluster.
const (
	defaultQPS          = 500
	defaultBurst        = 1000
	defaultFieldManager = "terraform-provider-hardened"
)

type providerModel struct {
	Host                  types.String  `tfsdk:"host"`
	Token                 types.String  `tfsdk:"token"`
	ClientCertificate     types.String  `tfsdk:"client_certificate"`
	ClientKey             types.String  `tfsdk:"client_key"`
	ClusterCACertificate  types.String  `tfsdk:"cluster_ca_certificate"`
	Insecure              types.Bool    `tfsdk:"insecure"`
	TLSServerName         types.String  `tfsdk:"tls_server_name"`
	ProxyURL              types.String  `tfsdk:"proxy_url"`
	ConfigPath            types.String  `tfsdk:"config_path"`
	ConfigPaths           types.List    `tfsdk:"config_paths"`
	ConfigContext         types.String  `tfsdk:"config_context"`
	ConfigContextAuthInfo types.String  `tfsdk:"config_context_auth_info"`
	ConfigContextCluster  types.String  `tfsdk:"config_context_cluster"`
	Exec                  *execModel    `tfsdk:"exec"`
	QPS                   types.Float64 `tfsdk:"qps"`
	Burst                 types.Int64   `tfsdk:"burst"`
	FieldManager          types.String  `tfsdk:"field_manager"`
	RunnerIdentity        types.Object  `tfsdk:"runner_identity"`
}

type runnerIdentityModel struct {
	Users  types.List `tfsdk:"users"`
	Groups types.List `tfsdk:"groups"`
}

type execModel struct {
	APIVersion types.String `tfsdk:"api_version"`
	Command    types.String `tfsdk:"command"`
	Args       types.List   `tfsdk:"args"`
	Env        types.Map    `tfsdk:"env"`
}

func providerSchema() schema.Schema {
	str := func(desc string, sensitive bool, v ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, MarkdownDescription: desc, Validators: v}
	}
	return schema.Schema{
		MarkdownDescription: "The hardened provider turns the Kubernetes security best practices into declarative " +
			"infrastructure. It is configured like the `hashicorp/kubernetes` provider: the same attribute names and the " +
			"same `KUBE_*` environment variables. No request reaches the cluster until a resource or data source needs one.",
		Attributes: map[string]schema.Attribute{
			"host": str("The address of the Kubernetes API server, `https://...` (a host without a scheme gets https). "+
				"Plain `http://` is refused. Env: `KUBE_HOST`.", false, stringvalidator.LengthAtLeast(1)),
			"token":              str("Bearer token for the API server. Env: `KUBE_TOKEN`.", true),
			"client_certificate": str("PEM-encoded client certificate for TLS authentication. Env: `KUBE_CLIENT_CERT_DATA`.", false),
			"client_key":         str("PEM-encoded client certificate key for TLS authentication. Env: `KUBE_CLIENT_KEY_DATA`.", true),
			"cluster_ca_certificate": str("PEM-encoded root certificate(s) the API server's certificate must chain to. "+
				"Env: `KUBE_CLUSTER_CA_CERT_DATA`.", false),
			"insecure": schema.BoolAttribute{Optional: true, MarkdownDescription: "Skip verification of the API server's " +
				"certificate. Not recommended: every run then warns. Env: `KUBE_INSECURE`."},
			"tls_server_name": str("Server name used to verify the API server's certificate when it differs from `host`. "+
				"Env: `KUBE_TLS_SERVER_NAME`.", false),
			"proxy_url": str("URL of a proxy to reach the API server through. Env: `KUBE_PROXY_URL`.", false),
			"config_path": str("Path to a kubeconfig file. Env: `KUBE_CONFIG_PATH`. Unlike kubectl, `~/.kube/config` is "+
				"never read implicitly.", false, stringvalidator.ConflictsWith(path.MatchRoot("config_paths"))),
			"config_paths": schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Paths " +
				"to kubeconfig files, merged in order. Env: `KUBE_CONFIG_PATHS` (separated by `:`)."},
			"config_context":           str("Context to use from the kubeconfig. Env: `KUBE_CTX`.", false),
			"config_context_auth_info": str("User from the kubeconfig to use instead of the context's. Env: `KUBE_CTX_AUTH_INFO`.", false),
			"config_context_cluster":   str("Cluster from the kubeconfig to use instead of the context's. Env: `KUBE_CTX_CLUSTER`.", false),
			"qps": schema.Float64Attribute{Optional: true, Validators: []validator.Float64{float64validator.AtLeast(1)},
				MarkdownDescription: "Client-side request rate limit (requests per second). Defaults to `500`, high enough " +
					"that client-go's default of 5 never slows a plan; the API server's own fairness limits still apply."},
			"burst": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
				MarkdownDescription: "Client-side burst above `qps`. Defaults to `1000`."},
			"field_manager": str("Server-side apply field manager for every write. Defaults to `terraform-provider-hardened`.",
				false, stringvalidator.LengthBetween(1, 128)),
			"runner_identity": schema.SingleNestedAttribute{
				Optional: true,
				MarkdownDescription: "Who Terraform runs as, for tamper protection: the users and groups the guard of every " +
					"`hardened_namespace` this configuration manages exempts. Declare it when the runner's user name changes " +
					"per session or per phase (EKS access entries, whose user name carries the session; HCP Terraform " +
					"dynamic credentials, which authenticate plan and apply as different subjects): name the stable group " +
					"(or user names) instead. Every plan, apply and destroy then checks that the API server authenticates " +
					"the run as one of them and fails, naming the user and groups it saw, when it does not. Unset, the " +
					"guard exempts exactly the user name of the run that last applied the namespace.",
				Attributes: map[string]schema.Attribute{
					"users": schema.ListAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "User names, exactly as the API server reports them (`kubectl auth whoami`)."},
					"groups": schema.ListAttribute{Optional: true, ElementType: types.StringType,
						MarkdownDescription: "Groups; a run authenticated with any of them is the runner. Not `system:authenticated` " +
							"or another group every identity holds."},
				},
			},
		},
		Blocks: map[string]schema.Block{
			"exec": schema.SingleNestedBlock{
				MarkdownDescription: "Get credentials from a client-go credential plugin, such as `aws eks get-token` or " +
					"`gke-gcloud-auth-plugin`.",
				Attributes: map[string]schema.Attribute{
					"api_version": schema.StringAttribute{Optional: true, MarkdownDescription: "API version of the " +
						"ExecCredential, for example `client.authentication.k8s.io/v1beta1`."},
					"command": schema.StringAttribute{Optional: true, MarkdownDescription: "Command to run."},
					"args":    schema.ListAttribute{Optional: true, ElementType: types.StringType, MarkdownDescription: "Arguments."},
					"env": schema.MapAttribute{Optional: true, Sensitive: true, ElementType: types.StringType,
						MarkdownDescription: "Extra environment variables (sensitive: they often carry credentials)."},
				},
			},
		},
	}
}

// runnerIdentity reads runner_identity (nil when unset), reporting invalid names at their path.
func (m providerModel) runnerIdentity(ctx context.Context) (*hardening.RunnerIdentity, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.RunnerIdentity.IsNull() || m.RunnerIdentity.IsUnknown() {
		return nil, diags
	}
	var rm runnerIdentityModel
	diags.Append(m.RunnerIdentity.As(ctx, &rm, basetypes.ObjectAsOptions{})...)
	var r hardening.RunnerIdentity
	if !rm.Users.IsNull() {
		diags.Append(rm.Users.ElementsAs(ctx, &r.Users, false)...)
	}
	if !rm.Groups.IsNull() {
		diags.Append(rm.Groups.ElementsAs(ctx, &r.Groups, false)...)
	}
	if diags.HasError() {
		return nil, diags
	}
	if r.Empty() {
		diags.AddAttributeError(path.Root("runner_identity"), "runner_identity names nobody",
			"Set runner_identity.users or runner_identity.groups (or both) to the identity Terraform runs as, or remove runner_identity.")
	}
	for _, fe := range hardening.ValidateRunnerIdentity(r) {
		diags.AddAttributeError(fieldErrorPath(fe.Path), "Invalid runner_identity", fe.Msg)
	}
	if diags.HasError() {
		return nil, diags
	}
	return &r, diags
}

// strOrEnv returns the attribute when set, else the environment variable.
func strOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

// kubeConfig resolves attributes and KUBE_* fallbacks into the kube package's Config.
func (m providerModel) kubeConfig(ctx context.Context) (kube.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := kube.Config{
		Host:                  strOrEnv(m.Host, "KUBE_HOST"),
		Token:                 strOrEnv(m.Token, "KUBE_TOKEN"),
		ClientCertificate:     strOrEnv(m.ClientCertificate, "KUBE_CLIENT_CERT_DATA"),
		ClientKey:             strOrEnv(m.ClientKey, "KUBE_CLIENT_KEY_DATA"),
		ClusterCACertificate:  strOrEnv(m.ClusterCACertificate, "KUBE_CLUSTER_CA_CERT_DATA"),
		TLSServerName:         strOrEnv(m.TLSServerName, "KUBE_TLS_SERVER_NAME"),
		ProxyURL:              strOrEnv(m.ProxyURL, "KUBE_PROXY_URL"),
		ConfigContext:         strOrEnv(m.ConfigContext, "KUBE_CTX"),
		ConfigContextAuthInfo: strOrEnv(m.ConfigContextAuthInfo, "KUBE_CTX_AUTH_INFO"),
		ConfigContextCluster:  strOrEnv(m.ConfigContextCluster, "KUBE_CTX_CLUSTER"),
		QPS:                   defaultQPS,
		Burst:                 defaultBurst,
		FieldManager:          defaultFieldManager,
	}
	if !m.Insecure.IsNull() {
		c.Insecure = m.Insecure.ValueBool()
	} else if v := os.Getenv("KUBE_INSECURE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			diags.AddAttributeError(path.Root("insecure"), "Invalid KUBE_INSECURE",
				"KUBE_INSECURE must be true or false, got "+strconv.Quote(v)+".")
		}
		c.Insecure = b
	}
	switch {
	case !m.ConfigPath.IsNull():
		c.ConfigPaths = []string{m.ConfigPath.ValueString()}
	case !m.ConfigPaths.IsNull():
		diags.Append(m.ConfigPaths.ElementsAs(ctx, &c.ConfigPaths, false)...)
	case os.Getenv("KUBE_CONFIG_PATH") != "":
		c.ConfigPaths = []string{os.Getenv("KUBE_CONFIG_PATH")}
	case os.Getenv("KUBE_CONFIG_PATHS") != "":
		c.ConfigPaths = filepath.SplitList(os.Getenv("KUBE_CONFIG_PATHS"))
	}
	if m.Exec != nil && !m.Exec.Command.IsNull() {
		e := &kube.ExecConfig{APIVersion: m.Exec.APIVersion.ValueString(), Command: m.Exec.Command.ValueString()}
		if !m.Exec.Args.IsNull() {
			diags.Append(m.Exec.Args.ElementsAs(ctx, &e.Args, false)...)
		}
		if !m.Exec.Env.IsNull() {
			diags.Append(m.Exec.Env.ElementsAs(ctx, &e.Env, false)...)
		}
		if e.APIVersion == "" {
			diags.AddAttributeError(path.Root("exec").AtName("api_version"), "Missing exec api_version",
				"Set api_version, for example \"client.authentication.k8s.io/v1beta1\".")
		}
		c.Exec = e
	}
	if !m.QPS.IsNull() {
		c.QPS = float32(m.QPS.ValueFloat64())
	}
	if !m.Burst.IsNull() {
		c.Burst = int(m.Burst.ValueInt64())
	}
	if !m.FieldManager.IsNull() {
		c.FieldManager = m.FieldManager.ValueString()
	}
	if c.Insecure && c.ClusterCACertificate != "" {
		diags.AddAttributeError(path.Root("insecure"), "Conflicting TLS settings",
			"insecure = true and cluster_ca_certificate cannot both be set: keep the CA certificate and remove insecure.")
	}
	return c, diags
}

// hostWithScheme gives a scheme-less host the https scheme client-go would give it.
func hostWithScheme(h string) string {
	if strings.Contains(h, "://") {
		return h
	}
	return "https://" + h
}
