package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// sharedObjects are the cluster-wide policies and bindings a namespace with an image policy (Deny)
// and tamper protection uses: resource name -> object name.
var sharedObjects = [][2]string{
	{"validatingadmissionpolicies", "hardened-images"},
	{"validatingadmissionpolicies", "hardened-tamper"},
	{"validatingadmissionpolicybindings", "hardened-images-deny"},
	{"validatingadmissionpolicybindings", "hardened-tamper"},
	{"validatingadmissionpolicybindings", "hardened-tamper-namespaces"},
}

// providerVersioned serves the provider as a given release.
func providerVersioned(version string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"hardened": func() (tfprotov6.ProviderServer, error) { return NewProtocol6(version)(), nil },
	}
}

// TestAccNamespace_sharedObjects: the shared admission policies and bindings drift both ways like
// the namespace's own objects (a selector anyone adds switches a policy off for every namespace: the
// plan shows it and apply removes it), and an older release refuses to rewrite what a newer one
// wrote. Not parallel: it changes objects every namespace of the test cluster depends on.
func TestAccNamespace_sharedObjects(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-shared")
	ctx := context.Background()
	cfg := func(label string) string {
		return fmt.Sprintf(`
resource "hardened_namespace" "test" {
  name         = %q
  labels       = { step = %q }
  image_policy = { allowed_registries = ["registry.example.com"] }
}
`, name, label)
	}
	selectors := func(*terraform.State) error {
		dyn := adminDynamic(t)
		for _, o := range sharedObjects {
			u, err := dyn.Resource(admissionGVR(o[0])).Get(ctx, o[1], metav1.GetOptions{})
			if err != nil {
				return err
			}
			path := []string{"spec", "matchResources", "objectSelector"}
			if o[0] == "validatingadmissionpolicies" {
				path = []string{"spec", "matchConstraints", "objectSelector"}
			}
			if sel, _, _ := unstructured.NestedMap(u.Object, path...); len(sel) > 0 && fmt.Sprint(sel["matchLabels"]) == "map[hardened.test/off:true]" {
				return fmt.Errorf("%s %s still carries the added objectSelector %v", o[0], o[1], sel)
			}
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		PreCheck:     func() { testAccPreCheck(t) },
		CheckDestroy: testAccCheckNamespacesGone(t, name),
		// Providers per step: the last steps run other releases.
		Steps: []resource.TestStep{
			{Config: cfg("1"), ProtoV6ProviderFactories: testAccProtoV6ProviderFactories},
			{
				// A selector only objects labelled hardened.test/off=true match: every other object
				// escapes the policy.
				PreConfig: func() {
					dyn := adminDynamic(t)
					for _, o := range sharedObjects {
						field := "matchResources"
						if o[0] == "validatingadmissionpolicies" {
							field = "matchConstraints"
						}
						patch := `{"spec":{"` + field + `":{"objectSelector":{"matchLabels":{"hardened.test/off":"true"}}}}}`
						if _, err := dyn.Resource(admissionGVR(o[0])).Patch(ctx, o[1], types.MergePatchType, []byte(patch),
							metav1.PatchOptions{FieldManager: "kubectl-edit"}); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: cfg("1"), PlanOnly: true, ExpectNonEmptyPlan: true, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			},
			{Config: cfg("1"), Check: selectors, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories},
			{Config: cfg("1"), PlanOnly: true, ProtoV6ProviderFactories: testAccProtoV6ProviderFactories},
			// Release 0.3.0 writes the shared objects; release 0.2.0 may not rewrite them.
			{Config: cfg("2"), ProtoV6ProviderFactories: providerVersioned("0.3.0"), Check: func(*terraform.State) error {
				u, err := adminDynamic(t).Resource(admissionGVR("validatingadmissionpolicies")).Get(ctx, "hardened-tamper", metav1.GetOptions{})
				if err != nil {
					return err
				}
				if got := u.GetAnnotations()[kube.ProviderVersionAnnotation]; got != "0.3.0" {
					return fmt.Errorf("hardened-tamper records release %q, want 0.3.0", got)
				}
				return nil
			}},
			{
				Config: cfg("3"), ProtoV6ProviderFactories: providerVersioned("0.2.0"),
				ExpectError: regexp.MustCompile(wrapTolerant(`(?s)written by terraform-provider-hardened 0\.3\.0, and this is 0\.2\.0.*Upgrade the provider to 0\.3\.0 or later`)),
			},
			{Config: cfg("3"), ProtoV6ProviderFactories: providerVersioned("0.3.0")},
		},
	})
}

func adminDynamic(t *testing.T) dynamic.Interface {
	t.Helper()
	return dynamicFor(t, testCluster.AdminKubeconfig)
}

func admissionGVR(resource string) schema.GroupVersionResource {
	return schema.GroupVersionResource{Group: "admissionregistration.k8s.io", Version: "v1", Resource: resource}
}
