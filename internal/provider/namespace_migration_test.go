package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// migrationExample is the folder the guide docs/guides/migrating-from-hashicorp-kubernetes.md
// embeds: before/ is the hashicorp/kubernetes configuration, after/ the configuration of the move
// and after/cleanup.sh the step that follows it. The test runs exactly those files.
const migrationExample = "../../examples/migrating-from-hashicorp-kubernetes"

// TestAccNamespace_migrateFromHashicorpKubernetes follows the migration guide with the real
// terraform CLI: hashicorp/kubernetes 3.2.1 (built from its Go module, served from a filesystem
// mirror as registry.terraform.io/hashicorp/kubernetes) applies before/, an application ConfigMap
// is added to the namespace, after/ is planned and applied, and after/cleanup.sh is run.
//
// It proves: the plan forgets every kubernetes_* resource and deletes nothing (were a `removed`
// block dropped, that resource would be planned for "delete" and the test fails there, before
// anything is applied; for kubernetes_namespace_v1 that delete is the namespace with everything in
// it); the namespace keeps its UID and the application's ConfigMap; until the cleanup the old
// objects stay and the plan warns about the old allow-dns; the cleanup deletes every object of the
// old configuration but the namespace; then the namespace holds exactly hardened_namespace's
// quota, limit range, network policies and bindings, none wider than the old ones, compliance
// practice 5 is satisfied, the plan is empty and without warnings, and the state holds no
// kubernetes_* resource.
func TestAccNamespace_migrateFromHashicorpKubernetes(t *testing.T) {
	testAccPreCheck(t)
	t.Parallel()
	ctx := context.Background()
	name := acctest.RandomWithPrefix("acc-migrate")

	// The example names its namespace "payments"; the test gives it a name of its own. Only string
	// values (and the script's --namespace) change: resource names and addresses stay as in the guide.
	example := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(migrationExample, rel))
		if err != nil {
			t.Fatal(err)
		}
		s := quotedPayments.ReplaceAllString(string(b), `${1}"`+name)
		return strings.ReplaceAll(s, "--namespace payments ", "--namespace "+name+" ")
	}

	tf := migrationTerraform(t)
	dir := tf.dir
	writeConfig := func(folder string) {
		t.Helper()
		for _, f := range []string{"main.tf", "versions.tf"} {
			if err := os.WriteFile(filepath.Join(dir, f), []byte(example(filepath.Join(folder, f))), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	cs := adminClientset(t)
	t.Cleanup(func() {
		if out, err := tf.run("destroy", "-auto-approve"); err != nil {
			t.Errorf("destroy: %v\n%s", err, out)
		}
		// Whatever a failed step left: the namespace is this test's alone.
		_ = cs.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})

	// 1. The namespace as hashicorp/kubernetes manages it.
	writeConfig("before")
	tf.mustRun("init")
	tf.mustRun("apply", "-auto-approve")
	oldObjects := tf.kubernetesObjects()
	if len(oldObjects) != 7 {
		t.Fatalf("before/ should create 7 objects through hashicorp/kubernetes, the state has %v", oldObjects)
	}
	ns, err := cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	uid := ns.UID
	// The team's application, deployed by something other than this configuration.
	app := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "payments-app", Namespace: name},
		Data: map[string]string{"LISTEN": ":8080"}}
	if _, err := cs.CoreV1().ConfigMaps(name).Create(ctx, app, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// 2. The move: plan, check the plan deletes nothing, apply that plan.
	writeConfig("after")
	tf.mustRun("init")
	tf.mustRun("plan", "-out=migrate.tfplan")
	checkMigrationPlan(t, tf.mustRun("show", "-json", "migrate.tfplan"), oldObjects)
	tf.mustRun("apply", "migrate.tfplan")

	ns, err = cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("the namespace is gone after the migration: %v", err)
	}
	if ns.UID != uid {
		t.Fatalf("the namespace was recreated: UID %s, was %s", ns.UID, uid)
	}
	if _, err := cs.CoreV1().ConfigMaps(name).Get(ctx, app.Name, metav1.GetOptions{}); err != nil {
		t.Fatalf("the application's ConfigMap did not survive the migration: %v", err)
	}
	// As the guide says: the old objects are still there (nothing opened in between), and the plan
	// names the one that allows more than hardened_namespace (DNS to every namespace).
	for _, o := range oldObjects {
		if o.kind == "Namespace" {
			continue
		}
		if err := o.get(ctx, cs); err != nil {
			t.Errorf("%s should be left in place by the migration apply: %v", o, err)
		}
	}
	out := tf.mustRun("plan", "-detailed-exitcode")
	if !strings.Contains(out, "weakened by an object Terraform does not manage") || !strings.Contains(out, "NetworkPolicy/allow-dns") {
		t.Errorf("before the cleanup, the plan should warn about the old allow-dns policy:\n%s", out)
	}
	if ok, detail := tf.networkPractice(); ok || !strings.Contains(detail, "allow-dns") {
		t.Errorf("before the cleanup, compliance should report practice 5 unsatisfied because of allow-dns: %v %s", ok, detail)
	}
	if state := tf.mustRun("state", "list"); strings.Contains(state, "kubernetes_") {
		t.Errorf("the state still holds hashicorp/kubernetes resources:\n%s", state)
	}

	// 3. The cleanup step of the guide deletes every object of the old configuration but the namespace.
	deleted := runCleanup(ctx, t, cs, example("after/cleanup.sh"))
	for _, o := range oldObjects {
		if o.kind == "Namespace" {
			continue
		}
		if !slices.Contains(deleted, o.String()) {
			t.Errorf("after/cleanup.sh does not delete %s, which before/ created", o)
		}
		if err := o.get(ctx, cs); !apierrors.IsNotFound(err) {
			t.Errorf("%s is still there after the cleanup: %v", o, err)
		}
	}
	if _, err := cs.CoreV1().ConfigMaps(name).Get(ctx, app.Name, metav1.GetOptions{}); err != nil {
		t.Fatalf("the application's ConfigMap did not survive the cleanup: %v", err)
	}
	checkMigratedNamespace(ctx, t, cs, name)

	out = tf.mustRun("plan", "-detailed-exitcode")
	if strings.Contains(out, "Warning:") {
		t.Errorf("the plan after the cleanup has warnings:\n%s", out)
	}
	if state := tf.mustRun("state", "list"); strings.TrimSpace(state) != "hardened_namespace.payments" {
		t.Errorf("the state should hold hardened_namespace.payments alone:\n%s", state)
	}
	if ok, detail := tf.networkPractice(); !ok {
		t.Errorf("practice 5 (network policies) is not satisfied after the cleanup: %s", detail)
	}
}

// quotedPayments finds string values starting with payments (`= "payments"`, `["payments-developers"]`),
// not block labels (`resource "kubernetes_namespace_v1" "payments"`).
var quotedPayments = regexp.MustCompile(`([=\[]\s*)"payments`)

// oldObject is an object of the hashicorp/kubernetes configuration, as kubectl names it.
type oldObject struct{ kind, namespace, name string }

func (o oldObject) String() string {
	return strings.ToLower(o.kind) + "/" + o.name
}

func (o oldObject) get(ctx context.Context, cs kubernetes.Interface) error {
	var err error
	switch o.kind {
	case "Namespace":
		_, err = cs.CoreV1().Namespaces().Get(ctx, o.name, metav1.GetOptions{})
	case "ResourceQuota":
		_, err = cs.CoreV1().ResourceQuotas(o.namespace).Get(ctx, o.name, metav1.GetOptions{})
	case "LimitRange":
		_, err = cs.CoreV1().LimitRanges(o.namespace).Get(ctx, o.name, metav1.GetOptions{})
	case "NetworkPolicy":
		_, err = cs.NetworkingV1().NetworkPolicies(o.namespace).Get(ctx, o.name, metav1.GetOptions{})
	case "RoleBinding":
		_, err = cs.RbacV1().RoleBindings(o.namespace).Get(ctx, o.name, metav1.GetOptions{})
	default:
		err = fmt.Errorf("unknown kind %s", o.kind)
	}
	return err
}

func (o oldObject) delete(ctx context.Context, cs kubernetes.Interface) error {
	var err error
	opts := metav1.DeleteOptions{}
	switch o.kind {
	case "ResourceQuota":
		err = cs.CoreV1().ResourceQuotas(o.namespace).Delete(ctx, o.name, opts)
	case "LimitRange":
		err = cs.CoreV1().LimitRanges(o.namespace).Delete(ctx, o.name, opts)
	case "NetworkPolicy":
		err = cs.NetworkingV1().NetworkPolicies(o.namespace).Delete(ctx, o.name, opts)
	case "RoleBinding":
		err = cs.RbacV1().RoleBindings(o.namespace).Delete(ctx, o.name, opts)
	default:
		err = fmt.Errorf("the cleanup deletes a %s, which the migration must keep", o.kind)
	}
	return err
}

// kindOf maps the hashicorp/kubernetes resource types and kubectl's resource names to kinds.
var kindOf = map[string]string{
	"kubernetes_namespace_v1": "Namespace", "kubernetes_resource_quota_v1": "ResourceQuota",
	"kubernetes_limit_range_v1": "LimitRange", "kubernetes_network_policy_v1": "NetworkPolicy",
	"kubernetes_role_binding_v1": "RoleBinding",
	"resourcequota":              "ResourceQuota", "limitrange": "LimitRange", "networkpolicy": "NetworkPolicy",
	"rolebinding": "RoleBinding",
}

// runCleanup runs the kubectl delete lines of after/cleanup.sh through client-go (CI has no
// kubectl) and returns what they delete, as kind/name. A line it cannot read fails the test, so
// the script stays in the one form the test understands.
func runCleanup(ctx context.Context, t *testing.T, cs kubernetes.Interface, script string) []string {
	t.Helper()
	var deleted []string
	sc := bufio.NewScanner(strings.NewReader(script))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || line == "set -eu" {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 6 || f[0] != "kubectl" || f[1] != "delete" || f[2] != "--namespace" || kindOf[f[4]] == "" {
			t.Fatalf("after/cleanup.sh: cannot run %q (expected: kubectl delete --namespace NS KIND NAME...)", line)
		}
		for _, n := range f[5:] {
			o := oldObject{kind: kindOf[f[4]], namespace: f[3], name: n}
			if err := o.delete(ctx, cs); err != nil {
				t.Fatalf("after/cleanup.sh: deleting %s: %v", o, err)
			}
			deleted = append(deleted, o.String())
		}
	}
	return deleted
}

// checkMigrationPlan: the plan of after/ forgets every kubernetes_* resource, deletes nothing, and
// imports the namespace into hardened_namespace.payments instead of creating one.
func checkMigrationPlan(t *testing.T, planJSON string, old []oldObject) {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Type    string `json:"type"`
			Change  struct {
				Actions   []string `json:"actions"`
				Importing *struct {
					ID string `json:"id"`
				} `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	forgotten := 0
	imported := false
	for _, rc := range plan.ResourceChanges {
		actions := strings.Join(rc.Change.Actions, ",")
		if strings.Contains(actions, "delete") {
			// Without its removed block, an old resource is destroyed: for kubernetes_namespace_v1
			// that is the namespace and everything in it.
			t.Errorf("the migration plan deletes %s (actions %s): is its removed block (lifecycle { destroy = false }) missing?", rc.Address, actions)
		}
		if strings.HasPrefix(rc.Type, "kubernetes_") {
			if actions != "forget" {
				t.Errorf("%s: actions %s, want forget", rc.Address, actions)
			}
			forgotten++
		}
		if rc.Address == "hardened_namespace.payments" {
			imported = rc.Change.Importing != nil
			if slices.Contains(rc.Change.Actions, "create") {
				t.Errorf("hardened_namespace.payments is created, not imported (actions %s)", actions)
			}
		}
	}
	if forgotten != len(old) {
		t.Errorf("the plan forgets %d kubernetes_* resources, the state had %d", forgotten, len(old))
	}
	if !imported {
		t.Errorf("the plan does not import hardened_namespace.payments:\n%s", planJSON)
	}
	if t.Failed() {
		t.FailNow() // nothing is applied after a plan that would lose the namespace
	}
}

// checkMigratedNamespace: what is left in the namespace is exactly hardened_namespace's, and no
// wider than what the old configuration allowed.
func checkMigratedNamespace(ctx context.Context, t *testing.T, cs kubernetes.Interface, ns string) {
	t.Helper()
	nps, err := cs.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, np := range nps.Items {
		names = append(names, np.Name)
	}
	sort.Strings(names)
	want := []string{"hardened-allow-dns", "hardened-allow-ingress-from-namespaces", "hardened-allow-same-namespace", "hardened-default-deny"}
	if !slices.Equal(names, want) {
		t.Errorf("network policies %v, want exactly %v", names, want)
	}
	for _, np := range nps.Items {
		switch np.Name {
		case "hardened-allow-dns":
			// Narrower than the old allow-dns: kube-system only, not every namespace.
			for _, rule := range np.Spec.Egress {
				for _, peer := range rule.To {
					if peer.NamespaceSelector == nil || peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] != "kube-system" {
						t.Errorf("hardened-allow-dns allows more than DNS to kube-system: %+v", np.Spec.Egress)
					}
				}
			}
		case "hardened-allow-ingress-from-namespaces":
			for _, rule := range np.Spec.Ingress {
				if len(rule.Ports) != 1 || rule.Ports[0].Port.IntValue() != 8080 {
					t.Errorf("ingress from ingress-nginx is not limited to 8080: %+v", rule)
				}
				for _, peer := range rule.From {
					if peer.NamespaceSelector == nil || peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] != "ingress-nginx" {
						t.Errorf("ingress allowed from more than ingress-nginx: %+v", rule)
					}
				}
			}
		}
	}

	quotas, err := cs.CoreV1().ResourceQuotas(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(quotas.Items) != 1 || quotas.Items[0].Name != "hardened-quota" {
		t.Errorf("resource quotas %v, want hardened-quota alone", quotaNames(quotas.Items))
	} else {
		// The old quota's values, none raised (the preset adds persistentvolumeclaims and nodeports).
		old := map[corev1.ResourceName]string{"requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": "16",
			"limits.memory": "32Gi", "pods": "50", "services.loadbalancers": "0"}
		for k, v := range old {
			got, ok := quotas.Items[0].Spec.Hard[k]
			if !ok || got.Cmp(resource.MustParse(v)) > 0 {
				t.Errorf("hardened-quota %s = %v, the old quota had %s", k, got.String(), v)
			}
		}
	}
	lrs, err := cs.CoreV1().LimitRanges(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lrs.Items) != 1 || lrs.Items[0].Name != "hardened-limits" {
		t.Errorf("limit ranges: %d, want hardened-limits alone", len(lrs.Items))
	} else {
		l := lrs.Items[0].Spec.Limits[0]
		for what, pair := range map[string][2]string{
			"default_request cpu": {l.DefaultRequest.Cpu().String(), "250m"}, "default memory": {l.Default.Memory().String(), "512Mi"},
			"max cpu": {l.Max.Cpu().String(), "4"}, "max memory": {l.Max.Memory().String(), "8Gi"},
		} {
			if pair[0] != pair[1] {
				t.Errorf("hardened-limits %s = %s, the old limit range had %s", what, pair[0], pair[1])
			}
		}
	}
	rbs, err := cs.RbacV1().RoleBindings(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rbs.Items) != 1 || rbs.Items[0].Name != "hardened-access-edit" {
		t.Errorf("role bindings: %d, want hardened-access-edit alone", len(rbs.Items))
	} else if rb := rbs.Items[0]; rb.RoleRef.Name != "edit" || len(rb.Subjects) != 1 || rb.Subjects[0].Kind != "Group" ||
		rb.Subjects[0].Name != ns+"-developers" {
		t.Errorf("hardened-access-edit: %+v %+v, want the edit role for group %s-developers alone", rb.RoleRef, rb.Subjects, ns)
	}
	nsObj, err := cs.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if nsObj.Labels["team"] != ns || nsObj.Annotations["example.com/owner"] != ns+"-team@example.com" {
		t.Errorf("the namespace's own label and annotation changed: %v %v", nsObj.Labels, nsObj.Annotations)
	}
	if nsObj.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Errorf("Pod Security enforce is %q, was restricted", nsObj.Labels["pod-security.kubernetes.io/enforce"])
	}
}

func quotaNames(items []corev1.ResourceQuota) []string {
	var out []string
	for _, q := range items {
		out = append(out, q.Name)
	}
	return out
}

// migrationRunner drives the terraform CLI in one folder with both providers installed from a
// local filesystem mirror, as a user's `terraform init` installs them from the registry.
type migrationRunner struct {
	t   *testing.T
	dir string
	rc  string
}

// migrationTerraform sets up the mirror: hashicorp/kubernetes 3.2.1 built from its Go module
// (cached in the user cache dir with the control plane; `make testacc` builds it before the tests
// run), and this provider as kubehardening/hardened 0.3.0 built from this tree.
func migrationTerraform(t *testing.T) *migrationRunner {
	t.Helper()
	cache, err := testcluster.CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	anchor, err := testcluster.EnsureAnchor(ctx, cache, os.Stderr)
	if err != nil {
		t.Fatalf("building hashicorp/kubernetes %s: %v", testcluster.AnchorVersion, err)
	}
	devTerraform(t, t.TempDir()) // builds this provider once per test binary
	dir := t.TempDir()
	mirror := filepath.Join(t.TempDir(), "mirror")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	if err := testcluster.CopyExecutable(anchor, testcluster.MirrorPath(mirror, "hashicorp", "kubernetes", testcluster.AnchorVersion, platform)); err != nil {
		t.Fatal(err)
	}
	ours := filepath.Join(devProviderDir, "terraform-provider-hardened")
	if err := testcluster.CopyExecutable(ours, testcluster.MirrorPath(mirror, "kubehardening", "hardened", "0.3.0", platform)); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(t.TempDir(), "mirror.tfrc")
	if err := os.WriteFile(rc, []byte(testcluster.CLIConfig(mirror)), 0o600); err != nil {
		t.Fatal(err)
	}
	return &migrationRunner{t: t, dir: dir, rc: rc}
}

func (r *migrationRunner) run(args ...string) (string, error) {
	// Options go before the positional arguments (a plan file): terraform stops reading options there.
	full := []string{args[0]}
	switch args[0] {
	case "state":
	case "show":
		full = append(full, "-no-color")
	default:
		full = append(full, "-no-color", "-input=false")
	}
	full = append(full, args[1:]...)
	cmd := exec.Command(os.Getenv("TF_ACC_TERRAFORM_PATH"), full...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+r.rc, "KUBE_CONFIG_PATH="+testCluster.AdminKubeconfig,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if args[0] == "show" || args[0] == "state" {
		// Machine-readable output: stderr (warnings) kept apart.
		if err != nil {
			return stdout.String() + stderr.String(), err
		}
		return stdout.String(), nil
	}
	return stdout.String() + stderr.String(), err
}

// mustRun fails the test when terraform fails (plan -detailed-exitcode: when it is not 0).
func (r *migrationRunner) mustRun(args ...string) string {
	r.t.Helper()
	start := time.Now()
	out, err := r.run(args...)
	r.t.Logf("terraform %s: %s", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		r.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// kubernetesObjects lists the objects the state's kubernetes_* resources manage.
func (r *migrationRunner) kubernetesObjects() []oldObject {
	r.t.Helper()
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string `json:"type"`
					Values struct {
						Metadata []struct {
							Name      string `json:"name"`
							Namespace string `json:"namespace"`
						} `json:"metadata"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(r.mustRun("show", "-json")), &shown); err != nil {
		r.t.Fatal(err)
	}
	var out []oldObject
	for _, res := range shown.Values.RootModule.Resources {
		if kindOf[res.Type] == "" || len(res.Values.Metadata) != 1 {
			r.t.Fatalf("unexpected resource %s in the state of before/", res.Type)
		}
		m := res.Values.Metadata[0]
		out = append(out, oldObject{kind: kindOf[res.Type], namespace: m.Namespace, name: m.Name})
	}
	return out
}

// networkPractice returns whether hardened_namespace.payments satisfies practice 5 (network
// policies), and its compliance gap line when not, as a refresh finds it: from the prior state of a
// saved plan.
func (r *migrationRunner) networkPractice() (bool, string) {
	r.t.Helper()
	r.mustRun("plan", "-out=check.tfplan")
	var shown struct {
		PriorState struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Address string `json:"address"`
						Values  struct {
							Compliance *struct {
								Gaps []string `json:"gaps"`
							} `json:"compliance"`
						} `json:"values"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal([]byte(r.mustRun("show", "-json", "check.tfplan")), &shown); err != nil {
		r.t.Fatal(err)
	}
	for _, res := range shown.PriorState.Values.RootModule.Resources {
		if res.Address != "hardened_namespace.payments" {
			continue
		}
		if res.Values.Compliance == nil {
			break
		}
		for _, gap := range res.Values.Compliance.Gaps {
			if strings.HasPrefix(gap, "practice 5 (") {
				return false, gap
			}
		}
		return true, ""
	}
	r.t.Fatal("the state has no compliance for hardened_namespace.payments")
	return false, ""
}
