package provider

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubehardening/terraform-provider-hardened/internal/audit"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// The policy each profile renders through terraform is loaded by a real kube-apiserver
// (--audit-policy-file), and its audit log shows what the policy promises: Secret and ConfigMap
// data never reach it, RBAC changes do with both bodies, health probes do not. Each test starts its
// own control plane (the shared one has no audit log) and stops it.

func TestAccAuditPolicy_minimalLive(t *testing.T) {
	testAccPreCheck(t)
	testAccAuditPolicyLive(t, audit.ProfileMinimal)
}

func TestAccAuditPolicy_standardLive(t *testing.T) {
	testAccPreCheck(t)
	testAccAuditPolicyLive(t, audit.ProfileStandard)
}

func TestAccAuditPolicy_verboseLive(t *testing.T) {
	testAccPreCheck(t)
	testAccAuditPolicyLive(t, audit.ProfileVerbose)
}

// auditEvent is the part of an audit.k8s.io/v1 Event the tests look at.
type auditEvent struct {
	Level      string `json:"level"`
	Stage      string `json:"stage"`
	Verb       string `json:"verb"`
	RequestURI string `json:"requestURI"`
	User       struct {
		Username string `json:"username"`
	} `json:"user"`
	ObjectRef *struct {
		Resource    string `json:"resource"`
		Namespace   string `json:"namespace"`
		Name        string `json:"name"`
		APIGroup    string `json:"apiGroup"`
		Subresource string `json:"subresource"`
	} `json:"objectRef"`
	RequestObject  json.RawMessage `json:"requestObject"`
	ResponseObject json.RawMessage `json:"responseObject"`
}

func (e auditEvent) String() string {
	b, _ := json.Marshal(e)
	return string(b)
}

func (e auditEvent) is(verb, group, resource, name string) bool {
	return e.User.Username == "hardened-admin" && e.Stage == "ResponseComplete" && e.Verb == verb && e.ObjectRef != nil &&
		e.ObjectRef.APIGroup == group && e.ObjectRef.Resource == resource && e.ObjectRef.Subresource == "" && e.ObjectRef.Name == name
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func testAccAuditPolicyLive(t *testing.T, profile string) {
	testAccPreCheck(t)
	want, pol, err := audit.Render(audit.Params{Profile: profile})
	if err != nil {
		t.Fatal(err)
	}

	// 1. Render the policy through terraform; standard is the default, so it is left unset.
	profileLine := fmt.Sprintf("profile = %q", profile)
	if profile == audit.DefaultProfile {
		profileLine = "# profile defaults to standard"
	}
	addr := "data.hardened_audit_policy.control_plane"
	var rendered string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { testAccPreCheck(t) },
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
data "hardened_audit_policy" "control_plane" {
  %s
}

output "audit_policy" {
  value = data.hardened_audit_policy.control_plane.yaml
}
`, profileLine),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("audit_policy", knownvalue.StringExact(want)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("profile"), knownvalue.StringExact(profile)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("rules_count"), knownvalue.Int64Exact(int64(len(pol.Rules)))),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("omit_stages"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("RequestReceived")})),
			},
			Check: func(s *terraform.State) error {
				out, ok := s.RootModule().Outputs["audit_policy"]
				if !ok {
					return fmt.Errorf("no audit_policy output")
				}
				rendered, _ = out.Value.(string)
				return nil
			},
		}},
	})
	if t.Failed() || rendered == "" {
		t.Fatal("terraform did not render the policy")
	}

	// 2. A control plane that loads it.
	dir := t.TempDir()
	policyFile, logFile := filepath.Join(dir, "audit-policy.yaml"), filepath.Join(dir, "audit.log")
	if err := os.WriteFile(policyFile, []byte(rendered), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	c, err := testcluster.Start(ctx, testcluster.Options{Version: testCluster.Version, Log: os.Stderr, ExtraAPIServerArgs: []string{
		"--audit-policy-file=" + policyFile, "--audit-log-path=" + logFile, "--audit-log-format=json",
		"--audit-log-mode=blocking", "--audit-log-maxage=0", "--audit-log-maxbackup=0",
	}})
	if err != nil {
		t.Fatalf("starting a control plane with the %s policy: %v", profile, err)
	}
	defer func() {
		if err := c.Stop(); err != nil {
			t.Errorf("stopping the control plane: %v", err)
		}
	}()
	cs := clientsetFor(t, c.AdminKubeconfig)

	// 3. What an administrator does.
	id := randomHex(t, 4)
	secretValue := "s3cr3t-" + randomHex(t, 8)
	configValue := "cm-value-" + randomHex(t, 8)
	rbMarker := "rb-marker-" + randomHex(t, 8)
	secretName, cmName, rbName, saName := "audit-secret-"+id, "audit-cm-"+id, "audit-rb-"+id, "audit-sa-"+id
	ns := "default"
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err = cs.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: secretName},
		Data: map[string][]byte{"password": []byte(secretValue)}}, metav1.CreateOptions{})
	must("create secret", err)
	got, err := cs.CoreV1().Secrets(ns).Get(ctx, secretName, metav1.GetOptions{})
	must("get secret", err)
	if string(got.Data["password"]) != secretValue {
		t.Fatalf("the secret reads back as %q", got.Data["password"])
	}
	_, err = cs.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: cmName},
		Data: map[string]string{"marker": configValue}}, metav1.CreateOptions{})
	must("create configmap", err)
	_, err = cs.RbacV1().RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: rbName},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "view"},
		Subjects: []rbacv1.Subject{{APIGroup: "rbac.authorization.k8s.io", Kind: "User", Name: "alice"}}}, metav1.CreateOptions{})
	must("create rolebinding", err)
	_, err = cs.RbacV1().RoleBindings(ns).Patch(ctx, rbName, types.MergePatchType,
		[]byte(fmt.Sprintf(`{"metadata":{"labels":{"audit-marker":%q}}}`, rbMarker)), metav1.PatchOptions{})
	must("patch rolebinding", err)
	_, err = cs.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: saName}}, metav1.CreateOptions{})
	must("create serviceaccount", err)
	_, err = cs.CoreV1().ServiceAccounts(ns).Get(ctx, saName, metav1.GetOptions{})
	must("get serviceaccount", err)
	body, err := cs.Discovery().RESTClient().Get().AbsPath("/healthz").DoRaw(ctx)
	must("GET /healthz", err)
	if string(body) != "ok" {
		t.Fatalf("GET /healthz: %q", body)
	}
	// A last request every profile logs: once it is in the log, so is everything before it.
	sentinel := "audit-sentinel-" + id
	_, err = cs.CoreV1().ConfigMaps(ns).Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: sentinel}}, metav1.CreateOptions{})
	must("create sentinel configmap", err)

	// 4. The audit log, once the sentinel and every event this profile must hold are written.
	type expectation struct {
		what                   string
		verb, group, res, name string
	}
	required := []expectation{
		{"secret create", "create", "", "secrets", secretName},
		{"secret get", "get", "", "secrets", secretName},
		{"configmap create", "create", "", "configmaps", cmName},
		{"rolebinding create", "create", "rbac.authorization.k8s.io", "rolebindings", rbName},
		{"rolebinding patch", "patch", "rbac.authorization.k8s.io", "rolebindings", rbName},
		{"serviceaccount create", "create", "", "serviceaccounts", saName},
		{"sentinel", "create", "", "configmaps", sentinel},
	}
	if profile != audit.ProfileMinimal {
		required = append(required, expectation{"serviceaccount get", "get", "", "serviceaccounts", saName})
	}
	var raw []byte
	var events []auditEvent
	found := map[string]auditEvent{}
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, events = readAuditLog(t, logFile)
		clear(found)
		for _, x := range required {
			for _, e := range events {
				if e.is(x.verb, x.group, x.res, x.name) {
					found[x.what] = e
				}
			}
		}
		if len(found) == len(required) {
			break
		}
		if time.Now().After(deadline) {
			var missing []string
			for _, x := range required {
				if _, ok := found[x.what]; !ok {
					missing = append(missing, x.what)
				}
			}
			t.Fatalf("%s: after 30 s the audit log (%d events) still lacks: %s", profile, len(events), strings.Join(missing, ", "))
		}
		time.Sleep(250 * time.Millisecond)
	}
	// Anything still in flight when the sentinel was written.
	time.Sleep(500 * time.Millisecond)
	raw, events = readAuditLog(t, logFile)
	t.Logf("%s: %d audit events, %d bytes", profile, len(events), len(raw))

	// 5. Secret and ConfigMap data never reach the log, in any encoding the API uses.
	for _, secret := range []string{secretValue, base64.StdEncoding.EncodeToString([]byte(secretValue)), configValue,
		base64.StdEncoding.EncodeToString([]byte(configValue))} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("%s: the audit log contains %q", profile, secret)
		}
	}
	// Nor do ServiceAccount tokens (the controller manager requests one per controller).
	if bytes.Contains(raw, []byte("eyJhbGciOi")) {
		t.Errorf("%s: the audit log contains a JSON web token", profile)
	}
	protected := []string{"secrets", "configmaps", "tokenreviews"}
	for _, e := range events {
		if e.ObjectRef == nil {
			continue
		}
		isProtected := slices.Contains(protected, e.ObjectRef.Resource) || (e.ObjectRef.Resource == "serviceaccounts" && e.ObjectRef.Subresource == "token")
		if isProtected && (e.Level != "Metadata" || len(e.RequestObject) > 0 || len(e.ResponseObject) > 0) {
			t.Errorf("%s: credentials logged beyond Metadata: %s", profile, e)
		}
	}

	level := func(what, wantLevel string, req, resp bool) {
		t.Helper()
		e := found[what]
		if e.Level != wantLevel || (len(e.RequestObject) > 0) != req || (len(e.ResponseObject) > 0) != resp {
			t.Errorf("%s: %s: want level %s (request body %v, response body %v), got %s", profile, what, wantLevel, req, resp, e)
		}
	}
	level("secret create", "Metadata", false, false)
	level("secret get", "Metadata", false, false)
	level("configmap create", "Metadata", false, false)
	level("rolebinding create", "RequestResponse", true, true)
	level("rolebinding patch", "RequestResponse", true, true)
	if e := found["rolebinding patch"]; !bytes.Contains(e.RequestObject, []byte(rbMarker)) || !bytes.Contains(e.ResponseObject, []byte(rbMarker)) {
		t.Errorf("%s: the rolebinding patch event lacks the patch or the patched object: %s", profile, e)
	}
	switch profile {
	case audit.ProfileMinimal:
		level("serviceaccount create", "Metadata", false, false)
		for _, e := range events {
			if e.is("get", "", "serviceaccounts", saName) {
				t.Errorf("minimal: a read of a serviceaccount is logged: %s", e)
			}
		}
	case audit.ProfileStandard:
		level("serviceaccount create", "Metadata", false, false)
		level("serviceaccount get", "Metadata", false, false)
	case audit.ProfileVerbose:
		level("serviceaccount create", "Request", true, false)
		level("serviceaccount get", "Metadata", false, false)
	}

	// 6. Noise: no health probes (testcluster polled /readyz too), and watches only where the
	// profile keeps them.
	watches := 0
	for _, e := range events {
		for _, probe := range []string{"/healthz", "/readyz", "/livez"} {
			if strings.HasPrefix(e.RequestURI, probe) {
				t.Errorf("%s: a health probe is logged: %s", profile, e)
			}
		}
		if e.Verb == "watch" && e.ObjectRef != nil && !slices.Contains(protected, e.ObjectRef.Resource) {
			watches++
			if profile != audit.ProfileVerbose {
				t.Errorf("%s: a watch is logged: %s", profile, e)
			} else if e.Level != "Metadata" {
				t.Errorf("verbose: a watch is logged at %s: %s", e.Level, e)
			}
		}
	}
	if profile == audit.ProfileVerbose && watches == 0 {
		t.Error("verbose: no watch is logged")
	}
}

// readAuditLog returns the log and its complete lines as events.
func readAuditLog(t *testing.T, file string) ([]byte, []auditEvent) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if i := bytes.LastIndexByte(raw, '\n'); i >= 0 {
		raw = raw[:i+1]
	} else {
		raw = nil
	}
	var events []auditEvent
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var e auditEvent
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatalf("the audit log has a line that is not JSON: %v\n%s", err, line)
		}
		events = append(events, e)
	}
	return raw, events
}
