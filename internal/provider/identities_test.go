package provider

import (
	"context"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Identities as real platforms present them, minted by the test CA (user name = CN, groups = O).

// eksSession is the user name an EKS access entry gives an assumed-role session: it changes with
// every session, while the access entry's groups stay.
func eksSession(role, session string) string {
	return "arn:aws:sts::111122223333:assumed-role/" + role + "/" + session
}

// bindClusterAdmin grants cluster-admin through RBAC to a user or group (kind "User" or "Group"):
// everything RBAC allows, but not system:masters, so not break-glass.
func bindClusterAdmin(t *testing.T, kind, name string) {
	t.Helper()
	ctx := context.Background()
	cs := adminClientset(t)
	crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{GenerateName: "acc-cluster-admin-"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects: []rbacv1.Subject{{Kind: kind, APIGroup: "rbac.authorization.k8s.io", Name: name}}}
	got, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := cs.RbacV1().ClusterRoleBindings().Delete(context.Background(), got.Name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
			t.Error(err)
		}
	})
}

// rbacAdmin mints a user that holds cluster-admin through RBAC only: the administrator the guard
// must still refuse unless break-glass names one of its groups.
func rbacAdmin(t *testing.T, user string, groups ...string) (kubeconfig string, cs kubernetes.Interface) {
	t.Helper()
	bindClusterAdmin(t, "User", user)
	kc, _, err := testCluster.User(user, groups...)
	if err != nil {
		t.Fatal(err)
	}
	return kc, clientsetFor(t, kc)
}

// session mints one session of a runner: its own user name, the runner's stable group.
func session(t *testing.T, user, group string) string {
	t.Helper()
	kc, _, err := testCluster.User(user, group)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}
