package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// TestImagePolicyNeedsKubernetes130 covers the one path the 1.37 test cluster cannot reach: a
// cluster older than 1.30 gets a plan-time error naming its version.
func TestImagePolicyNeedsKubernetes130(t *testing.T) {
	for _, tc := range []struct {
		server string
		refuse bool
	}{{"v1.29.4-eks-1a2b3c", true}, {"v1.28.0", true}, {"v1.30.0", false}, {"v1.37.2", false}} {
		r := resourceOnServer(t, tc.server)
		resp := &resource.ModifyPlanResponse{}
		off := false
		spec := hardening.NamespaceSpec{ImagePolicy: &hardening.ImagePolicyInput{}, TamperProtection: &off}
		r.checkAdmissionPoliciesSupported(context.Background(), &spec, resp)
		if !tc.refuse {
			if resp.Diagnostics.HasError() {
				t.Errorf("%s: image_policy refused: %v", tc.server, resp.Diagnostics)
			}
			continue
		}
		if !resp.Diagnostics.HasError() {
			t.Fatalf("%s: image_policy accepted on a cluster without ValidatingAdmissionPolicy v1", tc.server)
		}
		d := resp.Diagnostics.Errors()[0]
		if !strings.Contains(d.Detail(), tc.server) || !strings.Contains(d.Detail(), "1.30") {
			t.Errorf("%s: detail should name the server version and 1.30: %s", tc.server, d.Detail())
		}
		if wp, ok := d.(interface{ Path() path.Path }); !ok || !wp.Path().Equal(path.Root("image_policy")) {
			t.Errorf("%s: error not at image_policy", tc.server)
		}
	}
}

// TestTamperProtectionNeedsKubernetes130: left to its default, tamper_protection turns itself off
// with a warning on an older cluster; set explicitly, it is a plan-time error at the attribute.
func TestTamperProtectionNeedsKubernetes130(t *testing.T) {
	on := true
	for _, tc := range []struct {
		server   string
		explicit *bool
		wantErr  bool
		wantWarn bool
		wantOn   bool
	}{
		{"v1.29.4", nil, false, true, false},
		{"v1.29.4", &on, true, false, true},
		{"v1.30.0", nil, false, false, true},
		{"v1.37.2", &on, false, false, true},
	} {
		r := resourceOnServer(t, tc.server)
		resp := &resource.ModifyPlanResponse{}
		off := false // the Services policy has its own test below
		spec := hardening.NamespaceSpec{TamperProtection: tc.explicit, ServicePolicy: &hardening.ServicePolicyInput{Enabled: &off}}
		r.checkAdmissionPoliciesSupported(context.Background(), &spec, resp)
		if resp.Diagnostics.HasError() != tc.wantErr {
			t.Errorf("%s explicit=%v: error = %v, want %v (%v)", tc.server, tc.explicit != nil, resp.Diagnostics.HasError(), tc.wantErr, resp.Diagnostics)
		}
		if got := resp.Diagnostics.WarningsCount() > 0; got != tc.wantWarn {
			t.Errorf("%s explicit=%v: warning = %v, want %v", tc.server, tc.explicit != nil, got, tc.wantWarn)
		}
		if got := spec.TamperProtection == nil || *spec.TamperProtection; got != tc.wantOn {
			t.Errorf("%s explicit=%v: tamper_protection on = %v, want %v", tc.server, tc.explicit != nil, got, tc.wantOn)
		}
		for _, d := range resp.Diagnostics {
			if wp, ok := d.(interface{ Path() path.Path }); !ok || !wp.Path().Equal(path.Root("tamper_protection")) {
				t.Errorf("%s: diagnostic not at tamper_protection: %v", tc.server, d)
			}
			if !strings.Contains(d.Detail(), tc.server) {
				t.Errorf("%s: detail does not name the server version: %s", tc.server, d.Detail())
			}
		}
	}
}

// resourceOnServer is the resource configured against a fake API server reporting version.
func resourceOnServer(t *testing.T, server string) *NamespaceResource {
	t.Helper()
	return &NamespaceResource{data: onCluster(&fakeCluster{version: server})}
}

// TestServicePolicyNeedsKubernetes130: left unset, the Services policy turns itself off with a
// warning on an older cluster; enabled explicitly, it is a plan-time error at the attribute.
func TestServicePolicyNeedsKubernetes130(t *testing.T) {
	on, off := true, false
	for _, tc := range []struct {
		server          string
		policy          *hardening.ServicePolicyInput
		wantErr, wantOn bool
		wantWarn        bool
	}{
		{"v1.29.4", nil, false, false, true},
		{"v1.29.4", &hardening.ServicePolicyInput{Enabled: &on}, true, true, false},
		{"v1.29.4", &hardening.ServicePolicyInput{}, true, true, false},
		{"v1.29.4", &hardening.ServicePolicyInput{Enabled: &off}, false, false, false},
		{"v1.30.0", nil, false, true, false},
	} {
		r := resourceOnServer(t, tc.server)
		resp := &resource.ModifyPlanResponse{}
		spec := hardening.NamespaceSpec{TamperProtection: &off, ServicePolicy: tc.policy}
		r.checkAdmissionPoliciesSupported(context.Background(), &spec, resp)
		name := fmt.Sprintf("%s %+v", tc.server, tc.policy)
		if resp.Diagnostics.HasError() != tc.wantErr || (resp.Diagnostics.WarningsCount() > 0) != tc.wantWarn {
			t.Errorf("%s: diagnostics %v", name, resp.Diagnostics)
		}
		if got := spec.ServicePolicy == nil || spec.ServicePolicy.Enabled == nil || *spec.ServicePolicy.Enabled; got != tc.wantOn {
			t.Errorf("%s: on = %v, want %v", name, got, tc.wantOn)
		}
		for _, d := range resp.Diagnostics {
			if wp, ok := d.(interface{ Path() path.Path }); !ok || !wp.Path().Equal(path.Root("service_policy")) || !strings.Contains(d.Detail(), tc.server) {
				t.Errorf("%s: diagnostic not at service_policy or without the version: %v", name, d)
			}
		}
	}
}

// TestClassBoundsNeedKubernetes130: class bounds the configuration sets are a plan-time error on an
// older cluster; prod's preset bound leaves with the other admission policies, without an error.
func TestClassBoundsNeedKubernetes130(t *testing.T) {
	off := false
	noServices := &hardening.ServicePolicyInput{Enabled: &off}
	for _, tc := range []struct {
		spec    hardening.NamespaceSpec
		wantErr bool
	}{
		{hardening.NamespaceSpec{TamperProtection: &off, ServicePolicy: noServices, AllowedStorageClasses: []string{"gp3"}}, true},
		{hardening.NamespaceSpec{TamperProtection: &off, ServicePolicy: noServices}, false},
	} {
		r := resourceOnServer(t, "v1.29.4")
		resp := &resource.ModifyPlanResponse{}
		r.checkAdmissionPoliciesSupported(context.Background(), &tc.spec, resp)
		if resp.Diagnostics.HasError() != tc.wantErr {
			t.Errorf("%+v: diagnostics %v", tc.spec, resp.Diagnostics)
		}
		if tc.wantErr && !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), "v1.29.4") {
			t.Errorf("the error does not name the server version: %v", resp.Diagnostics)
		}
	}
	if r, _ := hardening.Resolve(hardening.NamespaceSpec{Name: "x", TamperProtection: &off, ServicePolicy: noServices}); r.ClassPolicy != nil {
		t.Errorf("prod without admission policies carries a class policy: %+v", r.ClassPolicy)
	}
}
