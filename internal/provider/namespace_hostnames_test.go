package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

const hostnameRefusal = "hardened_namespace hostname policy: "

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// A tenant in edit may claim only the hostnames its namespace owns, on Ingresses and on Gateway API
// routes; the routes are judged from the moment their CRDs are installed, without another apply.
// Not parallel: it installs and removes the cluster's Gateway API CRDs, which other tests must not see
// half-way. The same tenant in a namespace without allowed_hostnames claims anything.
func TestAccNamespace_hostnamePolicy(t *testing.T) {
	testAccPreCheck(t)
	name := acctest.RandomWithPrefix("acc-hosts")
	ctx := context.Background()
	owned := name + ".example.com"
	dyn := adminDynamic(t)
	var tc kubernetes.Interface
	var tdyn dynamic.Interface
	config := func(extra string) string { return tenantNamespaceConfig(name, extra) }
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			testAccPreCheck(t)
			removeGatewayCRDs(ctx, t, dyn)
			routesEditable(t)
			tc = tenant(t, name)
			kc, _, err := testCluster.User("tenant-"+name, "tenants-"+name)
			if err != nil {
				t.Fatal(err)
			}
			tdyn = dynamicFor(t, kc)
		},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             testAccCheckNamespacesGone(t, name),
		Steps: []resource.TestStep{
			{
				Config: config(fmt.Sprintf("allowed_hostnames = [%q]", owned)),
				Check: func(*terraform.State) error {
					ing := func(mutate func(*networkingv1.Ingress)) func() error {
						return func() error {
							i := hostIngress("web", "www."+owned)
							mutate(i)
							_, err := tc.NetworkingV1().Ingresses(name).Create(ctx, i, dryRun)
							return err
						}
					}
					host := func(h string) func(*networkingv1.Ingress) {
						return func(i *networkingv1.Ingress) { i.Spec.Rules[0].Host = h }
					}
					errs := []error{
						admitted("an Ingress on an owned host", ing(host("www."+owned))),
						admitted("an Ingress on the owned name itself", ing(host(owned))),
						admitted("a wildcard under the owned name", ing(host("*."+owned))),
						refused("another team's host", hostnameRefusal+"host shop.example.com is outside the hostnames this namespace owns ("+owned+")",
							ing(host("shop.example.com"))),
						refused("a look-alike ending in the owned name", hostnameRefusal+"host evil"+owned, ing(host("evil"+owned))),
						refused("a wildcard over the owned name", hostnameRefusal+"host *.example.com", ing(host("*.example.com"))),
						refused("a rule without a host", hostnameRefusal+"host (none: every hostname)", ing(host(""))),
						refused("a default backend", hostnameRefusal+"host (none: every hostname)", ing(func(i *networkingv1.Ingress) {
							i.Spec.DefaultBackend = i.Spec.Rules[0].HTTP.Paths[0].Backend.DeepCopy()
						})),
						refused("a TLS host outside", hostnameRefusal+"host pay.example.com", ing(func(i *networkingv1.Ingress) {
							i.Spec.TLS = []networkingv1.IngressTLS{{Hosts: []string{"www." + owned, "pay.example.com"}, SecretName: "tls"}}
						})),
						hostnamesWriterCannotWiden(ctx, t, name),
					}
					// The routes: not served yet, then installed from upstream, judged at once.
					installGatewayCRDs(ctx, t, dyn)
					route := func(kind, host string) func() error {
						return func() error { return createRoute(ctx, tdyn, name, kind, host) }
					}
					for _, kind := range []string{"HTTPRoute", "GRPCRoute", "TLSRoute"} {
						errs = append(errs,
							admitted(kind+" on an owned host", route(kind, "api."+owned)),
							refused(kind+" on another team's host", hostnameRefusal+"host shop.example.com", route(kind, "shop.example.com")))
						if kind != "TLSRoute" { // TLSRoute's own schema requires hostnames
							errs = append(errs, refused(kind+" without hostnames", hostnameRefusal+"host (none: every hostname)", route(kind, "")))
						}
					}
					return joinErrs(errs...)
				},
			},
			{
				// An Ingress that exists keeps working when the list changes: updates are judged on
				// the hosts they add.
				Config: config(fmt.Sprintf("allowed_hostnames = [%q]", owned)),
				Check: func(*terraform.State) error {
					if _, err := tc.NetworkingV1().Ingresses(name).Create(ctx, hostIngress("kept", "www."+owned), metav1.CreateOptions{}); err != nil {
						return err
					}
					return nil
				},
			},
			{
				Config: config(`allowed_hostnames = ["other.example.org"]`),
				Check: func(*terraform.State) error {
					patch := func(body string) func() error {
						return func() error {
							_, err := tc.NetworkingV1().Ingresses(name).Patch(ctx, "kept", types.MergePatchType, []byte(body), dryPatch)
							return err
						}
					}
					return joinErrs(
						admitted("relabelling an Ingress whose host is no longer listed", patch(`{"metadata":{"labels":{"tier":"web"}}}`)),
						refused("adding an unlisted host to it", hostnameRefusal+"host pay.example.com",
							patch(`{"spec":{"tls":[{"hosts":["pay.example.com"],"secretName":"tls"}]}}`)),
					)
				},
			},
			{
				// Without the policy nothing is judged: the refusals above come from it.
				Config: config(`environment = "dev"`),
				Check: func(*terraform.State) error {
					return joinErrs(
						admitted("any Ingress host in dev", func() error {
							_, err := tc.NetworkingV1().Ingresses(name).Create(ctx, hostIngress("any", "shop.example.com"), dryRun)
							return err
						}),
						admitted("a route without hostnames in dev", func() error { return createRoute(ctx, tdyn, name, "HTTPRoute", "") }),
					)
				},
			},
		},
	})
}

func hostIngress(name, host string) *networkingv1.Ingress {
	prefix := networkingv1.PathTypePrefix
	return &networkingv1.Ingress{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: networkingv1.IngressSpec{Rules: []networkingv1.IngressRule{{
		Host: host, IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{{
			Path: "/", PathType: &prefix, Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
				Name: "web", Port: networkingv1.ServiceBackendPort{Number: 80}}}}}}}}}}}
}

// createRoute dry-runs a Gateway API route of one kind ("" host: no hostnames).
func createRoute(ctx context.Context, dyn dynamic.Interface, ns, kind, host string) error {
	spec := map[string]any{"parentRefs": []any{map[string]any{"name": "shared-gateway", "namespace": "gateways"}}}
	if host != "" {
		spec["hostnames"] = []any{host}
	}
	rule := map[string]any{"backendRefs": []any{map[string]any{"name": "web", "port": int64(80)}}}
	spec["rules"] = []any{rule}
	version := "v1" // every route's served version in the standard channel
	route := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": hardening.GatewayAPIGroup + "/" + version, "kind": kind,
		"metadata": map[string]any{"name": "route"}, "spec": spec,
	}}
	gvr := schema.GroupVersionResource{Group: hardening.GatewayAPIGroup, Version: version, Resource: strings.ToLower(kind) + "s"}
	_, err := dyn.Resource(gvr).Namespace(ns).Create(ctx, route, dryRun)
	return err
}

// hostnamesWriterCannotWiden: someone RBAC lets write namespaces (not break-glass) cannot add a
// hostname or take the namespace out of the policy.
func hostnamesWriterCannotWiden(ctx context.Context, t *testing.T, name string) error {
	patch := namespaceWriterPatch(ctx, t, "acc-hosts-writer-"+name, name)
	return joinErrs(
		refused("add a hostname as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"annotations":{"`+hardening.HostnamesAnnotation+`":"example.com"}}}`)),
		refused("take the namespace out of the hostname policy as a namespace writer", tamperRefusal,
			patch(`{"metadata":{"labels":{"`+hardening.HostnamePolicyLabel+`":null}}}`)),
	)
}

// routesEditable lets the edit role write Gateway API routes, as platforms that offer them do:
// the routes' CRDs bring no aggregated roles.
func routesEditable(t *testing.T) {
	admin := adminClientset(t)
	role := &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "acc-gateway-routes-edit", Labels: map[string]string{"rbac.authorization.k8s.io/aggregate-to-edit": "true"}},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{hardening.GatewayAPIGroup}, Resources: hardening.GatewayRouteResources,
			Verbs: []string{"get", "list", "watch", "create", "update", "patch", "delete"}}},
	}
	if _, err := admin.RbacV1().ClusterRoles().Create(context.Background(), role, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = admin.RbacV1().ClusterRoles().Delete(context.Background(), role.Name, metav1.DeleteOptions{})
	})
}

func gatewayCRDNames() []string {
	var names []string
	for _, r := range hardening.GatewayRouteResources {
		names = append(names, r+"."+hardening.GatewayAPIGroup)
	}
	return names
}

// installGatewayCRDs installs the upstream route CRDs and waits until the API server serves them;
// they are removed when the test ends.
func installGatewayCRDs(ctx context.Context, t *testing.T, dyn dynamic.Interface) {
	docs, err := testcluster.GatewayAPICRDs(ctx, hardening.GatewayRouteResources...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeGatewayCRDs(context.Background(), t, dyn) })
	for _, doc := range docs {
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			t.Fatal(err)
		}
		if _, err := dyn.Resource(crdGVR).Create(ctx, &unstructured.Unstructured{Object: obj}, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
			t.Fatal(err)
		}
	}
	for _, n := range gatewayCRDNames() {
		waitFor(t, 60*time.Second, "CRD "+n+" established", func() bool {
			crd, err := dyn.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{})
			if err != nil {
				return false
			}
			conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
			for _, c := range conds {
				if m, ok := c.(map[string]any); ok && m["type"] == "Established" && m["status"] == "True" {
					return true
				}
			}
			return false
		})
	}
}

// removeGatewayCRDs deletes the route CRDs (if any) and waits until they are gone.
func removeGatewayCRDs(ctx context.Context, t *testing.T, dyn dynamic.Interface) {
	for _, n := range gatewayCRDNames() {
		if err := dyn.Resource(crdGVR).Delete(ctx, n, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			t.Errorf("deleting CRD %s: %v", n, err)
		}
		waitFor(t, 120*time.Second, "CRD "+n+" gone", func() bool {
			_, err := dyn.Resource(crdGVR).Get(ctx, n, metav1.GetOptions{})
			return apierrors.IsNotFound(err)
		})
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !ok(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func dynamicFor(t *testing.T, kubeconfig string) dynamic.Interface {
	t.Helper()
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return dyn
}
