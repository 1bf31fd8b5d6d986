package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configureWith runs Configure on a provider block where only set is non-null.
func configureWith(t *testing.T, set map[string]tftypes.Value, deferralAllowed bool) *provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	s := providerSchema()
	vals := map[string]tftypes.Value{}
	for name, a := range s.Attributes {
		vals[name] = tftypes.NewValue(a.GetType().TerraformType(ctx), nil)
	}
	for name, b := range s.Blocks {
		vals[name] = tftypes.NewValue(b.Type().TerraformType(ctx), nil)
	}
	for k, v := range set {
		vals[k] = v
	}
	req := provider.ConfigureRequest{Config: tfsdk.Config{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), vals)}}
	req.ClientCapabilities.DeferralAllowed = deferralAllowed
	resp := &provider.ConfigureResponse{}
	New("test")().Configure(ctx, req, resp)
	return resp
}

func TestConfigure(t *testing.T) {
	clearKubeEnvForTest(t)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

	t.Run("insecure warns", func(t *testing.T) {
		resp := configureWith(t, map[string]tftypes.Value{"host": str("https://127.0.0.1:6443"), "insecure": tftypes.NewValue(tftypes.Bool, true)}, false)
		if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
			!strings.Contains(resp.Diagnostics.Warnings()[0].Summary(), "TLS verification is disabled") {
			t.Fatalf("want one TLS warning, got %v", resp.Diagnostics)
		}
	})
	t.Run("KUBE_INSECURE warns", func(t *testing.T) {
		t.Setenv("KUBE_INSECURE", "true")
		resp := configureWith(t, map[string]tftypes.Value{"host": str("https://127.0.0.1:6443")}, false)
		if resp.Diagnostics.WarningsCount() != 1 {
			t.Fatalf("want a warning, got %v", resp.Diagnostics)
		}
	})
	t.Run("kubeconfig that skips verification warns", func(t *testing.T) {
		kc := filepath.Join(t.TempDir(), "config")
		doc := "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true\n" +
			"users:\n- name: u\n  user:\n    token: x\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n"
		if err := os.WriteFile(kc, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		resp := configureWith(t, map[string]tftypes.Value{"config_path": str(kc)}, false)
		if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 ||
			!strings.Contains(resp.Diagnostics.Warnings()[0].Detail(), "insecure-skip-tls-verify") {
			t.Fatalf("want one TLS warning naming insecure-skip-tls-verify, got %v", resp.Diagnostics)
		}
	})
	t.Run("plain http refused at host", func(t *testing.T) {
		resp := configureWith(t, map[string]tftypes.Value{"host": str("http://10.0.0.1:8080")}, false)
		if !resp.Diagnostics.HasError() {
			t.Fatal("http host accepted")
		}
		d := resp.Diagnostics.Errors()[0]
		if wp, ok := d.(interface{ Path() path.Path }); !ok || !wp.Path().Equal(path.Root("host")) {
			t.Fatalf("error not attached to host: %v", d)
		}
		if !strings.Contains(d.Detail(), "plain http") {
			t.Fatalf("unclear detail: %s", d.Detail())
		}
	})
	t.Run("KUBE_HOST http refused", func(t *testing.T) {
		t.Setenv("KUBE_HOST", "http://10.0.0.1")
		if resp := configureWith(t, nil, false); !resp.Diagnostics.HasError() {
			t.Fatal("http KUBE_HOST accepted")
		}
	})
	t.Run("no cluster needed to configure", func(t *testing.T) {
		resp := configureWith(t, nil, false)
		if resp.Diagnostics.HasError() || resp.ResourceData == nil {
			t.Fatalf("configure without any cluster must succeed lazily: %v", resp.Diagnostics)
		}
	})
	t.Run("unknown config deferred when allowed", func(t *testing.T) {
		resp := configureWith(t, map[string]tftypes.Value{"host": unknown}, true)
		if resp.Deferred == nil || resp.Deferred.Reason != provider.DeferredReasonProviderConfigUnknown {
			t.Fatalf("want a deferral, got %+v", resp.Deferred)
		}
	})
	t.Run("unknown config without deferral plans without the cluster", func(t *testing.T) {
		resp := configureWith(t, map[string]tftypes.Value{"host": unknown}, false)
		d, ok := resp.ResourceData.(*providerData)
		if resp.Deferred != nil || !ok || !d.configUnknown {
			t.Fatalf("want configUnknown provider data, got %#v", resp.ResourceData)
		}
		if _, diags := d.client(); !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "only known after apply") {
			t.Fatalf("client() must explain the unknown configuration: %v", diags)
		}
	})
	t.Run("unknown element of a list plans without the cluster", func(t *testing.T) {
		paths := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{unknown})
		resp := configureWith(t, map[string]tftypes.Value{"config_paths": paths}, false)
		if d, ok := resp.ResourceData.(*providerData); resp.Diagnostics.HasError() || !ok || !d.configUnknown {
			t.Fatalf("want configUnknown provider data, got %#v (%v)", resp.ResourceData, resp.Diagnostics)
		}
	})
	t.Run("insecure with CA conflicts", func(t *testing.T) {
		resp := configureWith(t, map[string]tftypes.Value{"host": str("https://h"), "insecure": tftypes.NewValue(tftypes.Bool, true), "cluster_ca_certificate": str("x")}, false)
		if !resp.Diagnostics.HasError() {
			t.Fatal("insecure + CA accepted")
		}
	})
	t.Run("bad KUBE_INSECURE", func(t *testing.T) {
		t.Setenv("KUBE_INSECURE", "maybe")
		if resp := configureWith(t, nil, false); !resp.Diagnostics.HasError() {
			t.Fatal("KUBE_INSECURE=maybe accepted")
		}
	})
}

func clearKubeEnvForTest(t *testing.T) {
	for _, k := range []string{"KUBE_HOST", "KUBE_TOKEN", "KUBE_CONFIG_PATH", "KUBE_CONFIG_PATHS", "KUBE_INSECURE", "KUBE_CLUSTER_CA_CERT_DATA"} {
		t.Setenv(k, "")
	}
}
