package testcluster

import (
	"fmt"
	"path/filepath"
)

// writeCredentials makes the cluster's CA, serving and client certificates, service-account key
// and static token, and the admin's and controller manager's kubeconfigs (whose path it returns).
func (c *Cluster) writeCredentials(pki string) (string, error) {
	var err error
	if c.ca, err = NewCA("hardened-test-ca"); err != nil {
		return "", err
	}
	serving, err := c.ca.Issue("kube-apiserver", nil, []string{"127.0.0.1", "10.0.0.1", "localhost", "kubernetes",
		"kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}, true)
	if err != nil {
		return "", err
	}
	admin, err := c.ca.Issue("hardened-admin", []string{"system:masters"}, nil, false)
	if err != nil {
		return "", err
	}
	kcm, err := c.ca.Issue("system:kube-controller-manager", nil, nil, false)
	if err != nil {
		return "", err
	}
	caKey, err := c.ca.KeyPEM()
	if err != nil {
		return "", err
	}
	saPriv, saPub, err := serviceAccountKey()
	if err != nil {
		return "", err
	}
	c.AdminToken = randomToken()
	// The static token file gives the tests a bearer-token identity without a token controller.
	tokens := fmt.Sprintf("%s,hardened-token-admin,hardened-token-admin,\"system:masters\"\n", c.AdminToken)
	if err := writeFiles(pki, map[string][]byte{
		"ca.crt": c.ca.CertPEM, "ca.key": caKey,
		"apiserver.crt": serving.CertPEM, "apiserver.key": serving.KeyPEM,
		"admin.crt": admin.CertPEM, "admin.key": admin.KeyPEM,
		"sa.key": saPriv, "sa.pub": saPub, "tokens.csv": []byte(tokens),
	}); err != nil {
		return "", err
	}
	c.CACertPEM, c.AdminCertPEM, c.AdminKeyPEM = string(c.ca.CertPEM), string(admin.CertPEM), string(admin.KeyPEM)
	c.AdminKubeconfig = filepath.Join(c.Dir, "admin.kubeconfig")
	if err := c.WriteKubeconfig(c.AdminKubeconfig, "admin", admin); err != nil {
		return "", err
	}
	kcmKubeconfig := filepath.Join(c.Dir, "controller-manager.kubeconfig")
	if err := c.WriteKubeconfig(kcmKubeconfig, "system:kube-controller-manager", kcm); err != nil {
		return "", err
	}
	return kcmKubeconfig, nil
}

// setArgs sets the command lines of etcd, kube-apiserver and kube-controller-manager.
func (c *Cluster) setArgs(pki, kcmKubeconfig string, etcdClient, etcdPeer, apiPort, kcmPort int) {
	p := func(name string) string { return filepath.Join(pki, name) }
	c.args["etcd"] = []string{c.bins.Etcd,
		"--name=hardened-test", "--data-dir=" + filepath.Join(c.Dir, "etcd"),
		fmt.Sprintf("--listen-client-urls=http://127.0.0.1:%d", etcdClient),
		fmt.Sprintf("--advertise-client-urls=http://127.0.0.1:%d", etcdClient),
		fmt.Sprintf("--listen-peer-urls=http://127.0.0.1:%d", etcdPeer),
		fmt.Sprintf("--initial-advertise-peer-urls=http://127.0.0.1:%d", etcdPeer),
		fmt.Sprintf("--initial-cluster=hardened-test=http://127.0.0.1:%d", etcdPeer),
		"--unsafe-no-fsync", "--log-level=warn",
	}
	c.args["kube-apiserver"] = append([]string{c.bins.APIServer,
		fmt.Sprintf("--etcd-servers=http://127.0.0.1:%d", etcdClient),
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", apiPort),
		"--tls-cert-file=" + p("apiserver.crt"), "--tls-private-key-file=" + p("apiserver.key"),
		"--client-ca-file=" + p("ca.crt"), "--token-auth-file=" + p("tokens.csv"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p("sa.pub"), "--service-account-signing-key-file=" + p("sa.key"),
		"--service-cluster-ip-range=10.0.0.0/24",
		// A loopback advertise address makes the default endpoint reconciler exit.
		"--endpoint-reconciler-type=none",
		"--authorization-mode=Node,RBAC",
		// Without it, validation refuses privileged pods before Pod Security Admission sees them.
		"--allow-privileged=true",
		"--profiling=false",
	}, c.opts.ExtraAPIServerArgs...)
	plugins := "NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota,PodSecurity"
	if c.opts.WithoutAdmissionPolicies {
		c.args["kube-apiserver"] = append(c.args["kube-apiserver"], "--enable-admission-plugins="+plugins,
			"--disable-admission-plugins=ValidatingAdmissionPolicy",
			"--runtime-config=admissionregistration.k8s.io/v1/validatingadmissionpolicies=false,"+
				"admissionregistration.k8s.io/v1/validatingadmissionpolicybindings=false")
	} else {
		c.args["kube-apiserver"] = append(c.args["kube-apiserver"], "--enable-admission-plugins="+plugins+",ValidatingAdmissionPolicy")
	}
	if c.opts.WithoutMutatingAdmissionPolicies {
		c.args["kube-apiserver"] = append(c.args["kube-apiserver"], "--disable-admission-plugins=MutatingAdmissionPolicy",
			"--runtime-config=admissionregistration.k8s.io/v1/mutatingadmissionpolicies=false,"+
				"admissionregistration.k8s.io/v1/mutatingadmissionpolicybindings=false")
	}
	c.args["kube-controller-manager"] = []string{c.bins.ControllerManager,
		"--kubeconfig=" + kcmKubeconfig,
		"--authentication-kubeconfig=" + kcmKubeconfig, "--authorization-kubeconfig=" + kcmKubeconfig,
		"--bind-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", kcmPort),
		"--service-account-private-key-file=" + p("sa.key"), "--root-ca-file=" + p("ca.crt"),
		"--cluster-signing-cert-file=" + p("ca.crt"), "--cluster-signing-key-file=" + p("ca.key"),
		"--use-service-account-credentials=true", "--controllers=*", "--leader-elect=false",
		"--profiling=false",
	}
}
