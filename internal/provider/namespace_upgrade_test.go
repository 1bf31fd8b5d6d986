package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/kube"
)

// TestAccNamespace_upgradeFromPreviousRelease: what release 0.1.0 wrote for a namespace with
// image_policy (testdata/upgrade-0.1.0: its state file, state.json since *.tfstate is ignored, and the objects read back from the cluster,
// with the registries in a ConfigMap tenants could edit) is put in place, then this provider plans,
// applies and destroys it: the plan shows tamper protection arriving, apply removes the registry
// ConfigMap and the per-namespace image policy (the shared one takes over), the next plan is
// empty, destroy removes everything.
func TestAccNamespace_upgradeFromPreviousRelease(t *testing.T) {
	testAccPreCheck(t)
	ctx := context.Background()
	name := acctest.RandomWithPrefix("acc-upgrade")
	dir := putReleaseFixture(t, "0.1.0", name)
	cs := adminClientset(t)
	current := devTerraform(t, dir)
	t.Cleanup(func() { // runs after destroyAtCleanup's destroy
		for _, n := range []string{"hardened-images." + name, "hardened-tamper." + name} {
			if _, err := cs.AdmissionregistrationV1().ValidatingAdmissionPolicies().Get(context.Background(), n, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Errorf("policy %s left after destroy: %v", n, err)
			}
		}
	})
	destroyAtCleanup(t, cs, name, current)
	out, err := current("plan", "-detailed-exitcode")
	if err == nil || !strings.Contains(out, "tamper_protection") {
		t.Fatalf("the plan with this provider should show tamper protection arriving:\n%s", out)
	}
	if out, err := current("apply", "-auto-approve"); err != nil {
		t.Fatalf("apply with this provider over the previous release's state: %v\n%s", err, out)
	}
	// The stored state is the current version now, with compliance in its new shape (the verdict
	// and its gaps: none, this configuration satisfies every check). The conversion of 0.1.0's list
	// itself is TestUpgradeState_v0Compliance's.
	var stored struct {
		Resources []struct {
			Instances []struct {
				SchemaVersion int `json:"schema_version"`
				Attributes    struct {
					Compliance *struct {
						Satisfied bool     `json:"satisfied"`
						Gaps      []string `json:"gaps"`
					} `json:"compliance"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err == nil {
		err = json.Unmarshal(b, &stored)
	}
	if err != nil || len(stored.Resources) != 1 || len(stored.Resources[0].Instances) != 1 {
		t.Fatalf("cannot read the state after the upgrade apply (%v):\n%s", err, b)
	}
	if inst := stored.Resources[0].Instances[0]; inst.SchemaVersion != 1 || inst.Attributes.Compliance == nil ||
		!inst.Attributes.Compliance.Satisfied || inst.Attributes.Compliance.Gaps == nil || len(inst.Attributes.Compliance.Gaps) > 0 {
		t.Errorf("after the upgrade apply: schema_version %d, compliance %+v; want 1, satisfied and no gaps", inst.SchemaVersion, inst.Attributes.Compliance)
	}
	if _, err := cs.CoreV1().ConfigMaps(name).Get(ctx, "hardened-image-policy", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the tenant-writable registry ConfigMap survived the upgrade: %v", err)
	}
	// The per-namespace policy and binding of the old release are gone; the shared ones judge the
	// namespace, selected by its labels and reading the registries from its annotations.
	if _, err := cs.AdmissionregistrationV1().ValidatingAdmissionPolicies().Get(ctx, "hardened-images."+name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the previous release's image policy survived the upgrade: %v", err)
	}
	if _, err := cs.AdmissionregistrationV1().ValidatingAdmissionPolicyBindings().Get(ctx, "hardened-images."+name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the previous release's image policy binding survived the upgrade: %v", err)
	}
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ns.Labels[hardening.ImagePolicyLabel] != "Deny" || ns.Labels[hardening.TamperProtectionLabel] != "enabled" ||
		ns.Annotations[hardening.AllowedRegistriesAnnotation] != "registry.example.com" {
		t.Errorf("after the upgrade the namespace does not select the shared policies: labels %v, annotations %v", ns.Labels, ns.Annotations)
	}
	for _, check := range []resource.TestCheckFunc{
		expectImage(t, name, "registry.example.com/app:1.0", ""),
		expectImage(t, name, "docker.io/library/nginx:1.27", "is not from an allowed registry"),
	} {
		if err := check(nil); err != nil {
			t.Error(err)
		}
	}
	if out, err := current("plan", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the upgrade apply is not empty: %v\n%s", err, out)
	}
}

// upgradeConfig is the configuration the release fixtures were written for.
const upgradeConfig = `
resource "hardened_namespace" "test" {
  name         = %q
  access       = [{ role = "edit", groups = ["devs"] }]
  image_policy = { allowed_registries = ["registry.example.com"] }
}
`

// putReleaseFixture puts in place what an earlier release wrote for upgradeConfig
// (testdata/upgrade-<release>: its state file, state.json since *.tfstate is ignored, and the
// objects read back from the cluster), and returns a folder with that state and the configuration.
func putReleaseFixture(t *testing.T, release, name string) string {
	t.Helper()
	ctx := context.Background()
	fixture := func(file string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "upgrade-"+release, file))
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(b), "__NAME__", name)
	}
	dyn := adminDynamic(t)
	gvr := map[string]schema.GroupVersionResource{
		"Namespace":      {Version: "v1", Resource: "namespaces"},
		"ServiceAccount": {Version: "v1", Resource: "serviceaccounts"},
		"ResourceQuota":  {Version: "v1", Resource: "resourcequotas"},
		"LimitRange":     {Version: "v1", Resource: "limitranges"},
		"ConfigMap":      {Version: "v1", Resource: "configmaps"},
		"NetworkPolicy":  {Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"},
		"RoleBinding":    {Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "rolebindings"},
		"ValidatingAdmissionPolicy": {Group: "admissionregistration.k8s.io", Version: "v1",
			Resource: "validatingadmissionpolicies"},
		"ValidatingAdmissionPolicyBinding": {Group: "admissionregistration.k8s.io", Version: "v1",
			Resource: "validatingadmissionpolicybindings"},
	}
	for _, doc := range strings.Split(fixture("objects.yaml"), "\n---\n") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil || m == nil {
			t.Fatalf("objects.yaml: %v", err)
		}
		u := &unstructured.Unstructured{Object: m}
		ri := dyn.Resource(gvr[u.GetKind()])
		var r dynamic.ResourceInterface = ri
		if u.GetNamespace() != "" {
			r = ri.Namespace(u.GetNamespace())
		}
		// As the old release wrote them: server-side apply under the provider's field manager.
		if _, err := r.Apply(ctx, u.GetName(), u, metav1.ApplyOptions{FieldManager: "terraform-provider-hardened", Force: true}); err != nil {
			t.Fatalf("putting %s %s in place: %v", u.GetKind(), u.GetName(), err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(fixture("state.json")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(fmt.Sprintf(upgradeConfig, name)), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAccNamespace_upgradeFrom02: what release 0.2 wrote (testdata/upgrade-0.2.0: schema version 1
// state without break_glass_groups, and the shared admission policies with 0.2's guard, which
// exempted one user name and the system controllers at all times) refreshes, updates and destroys
// with this provider: the plan shows the shared guard changing, apply rewrites it and stamps this
// release on it, the next plan is empty, and the new guard holds.
func TestAccNamespace_upgradeFrom02(t *testing.T) {
	testAccPreCheck(t)
	ctx := context.Background()
	name := acctest.RandomWithPrefix("acc-upgrade02")
	dir := putReleaseFixture(t, "0.2.0", name)
	cs := adminClientset(t)
	current := devTerraform(t, dir)
	destroyAtCleanup(t, cs, name, current)
	out, err := current("plan", "-detailed-exitcode")
	if err == nil || !strings.Contains(out, "ValidatingAdmissionPolicy/hardened-tamper") {
		t.Fatalf("the plan with this provider should show 0.2's shared guard being replaced:\n%s", out)
	}
	if out, err := current("apply", "-auto-approve"); err != nil {
		t.Fatalf("apply with this provider over 0.2's state: %v\n%s", err, out)
	}
	if out, err := current("plan", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the upgrade apply is not empty: %v\n%s", err, out)
	}
	guard, err := cs.AdmissionregistrationV1().ValidatingAdmissionPolicies().Get(ctx, hardening.TamperPolicyName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(guard.Spec.AuditAnnotations) == 0 || guard.Annotations[kube.ProviderVersionAnnotation] == "" {
		t.Errorf("the shared guard was not rewritten by this release: audit annotations %v, annotations %v", guard.Spec.AuditAnnotations, guard.Annotations)
	}
	// 0.2's guard let anyone change ownerReferences; this one does not.
	tenantCS := clientsetFor(t, func() string {
		kc, _, err := testCluster.User("dev-"+name, "devs")
		if err != nil {
			t.Fatal(err)
		}
		return kc
	}())
	if err := refused("a tenant sets an ownerReference on the default deny after the upgrade", tamperRefusal, func() error {
		_, err := tenantCS.NetworkingV1().NetworkPolicies(name).Patch(ctx, "hardened-default-deny", types.MergePatchType, metaPatch("ownerReferences", name), dryPatch)
		return err
	}); err != nil {
		t.Error(err)
	}
}

// destroyAtCleanup destroys the configuration with run when the test ends, and checks with cs that
// the namespace is gone. Cleanups registered before it run after the destroy.
func destroyAtCleanup(t *testing.T, cs kubernetes.Interface, name string, run func(args ...string) (string, error)) {
	t.Helper()
	t.Cleanup(func() {
		if out, err := run("destroy", "-auto-approve"); err != nil {
			t.Errorf("destroy with this provider: %v\n%s", err, out)
		}
		if _, err := cs.CoreV1().Namespaces().Get(context.Background(), name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
			t.Errorf("namespace %s still there after destroy: %v", name, err)
		}
	})
}
