package testcluster

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure Start.
type Options struct {
	// Version is the Kubernetes release (default DefaultKubernetesVersion).
	Version string
	// Dir holds PKI, data, logs and kubeconfigs; a temporary folder (removed by Stop) when empty.
	Dir string
	// Log receives progress lines; io.Discard when nil.
	Log io.Writer
	// Detach lets the processes outlive the caller (make cluster-up); otherwise they die with it.
	Detach bool
	// ExtraAPIServerArgs are appended to kube-apiserver's flags.
	ExtraAPIServerArgs []string
	// WithoutAdmissionPolicies serves no ValidatingAdmissionPolicy API (as before Kubernetes
	// 1.30): the API is turned off with --runtime-config and its admission plugin disabled, which
	// otherwise keeps the server from becoming ready.
	WithoutAdmissionPolicies bool
	// WithoutMutatingAdmissionPolicies serves no MutatingAdmissionPolicy (as before Kubernetes
	// 1.36, or where a platform turns it off), the same way.
	WithoutMutatingAdmissionPolicies bool
}

// Cluster is a running control plane.
type Cluster struct {
	Dir             string         `json:"dir"`
	Host            string         `json:"host"`
	Version         string         `json:"version"`
	AdminKubeconfig string         `json:"admin_kubeconfig"`
	AdminToken      string         `json:"admin_token"`
	CACertPEM       string         `json:"ca_cert_pem"`
	AdminCertPEM    string         `json:"admin_cert_pem"`
	AdminKeyPEM     string         `json:"admin_key_pem"`
	Pids            map[string]int `json:"pids"`

	tempDir bool
	opts    Options
	bins    Binaries
	ca      *CA
	procs   map[string]*exec.Cmd
	args    map[string][]string
	mu      sync.Mutex
}

const stateFile = "cluster.json"

// Start builds (or reuses cached) binaries and starts a fresh control plane on free loopback ports.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	bins, err := EnsureBinaries(ctx, opts.Version, opts.Log)
	if err != nil {
		return nil, err
	}
	c := &Cluster{opts: opts, bins: bins, Version: bins.Version, procs: map[string]*exec.Cmd{}, args: map[string][]string{}, Pids: map[string]int{}}
	if opts.Dir == "" {
		if c.Dir, err = os.MkdirTemp("", "hardened-cluster-"); err != nil {
			return nil, err
		}
		c.tempDir = true
	} else {
		c.Dir, err = filepath.Abs(opts.Dir)
		if err != nil {
			return nil, err
		}
		if err := os.RemoveAll(c.Dir); err != nil {
			return nil, err
		}
	}
	for _, sub := range []string{"pki", "etcd", "logs"} {
		if err := os.MkdirAll(filepath.Join(c.Dir, sub), 0o700); err != nil {
			return nil, err
		}
	}
	if err := c.start(ctx); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func (c *Cluster) start(ctx context.Context) error {
	start := time.Now()
	pki := filepath.Join(c.Dir, "pki")
	ports, err := freePorts(4)
	if err != nil {
		return err
	}
	etcdClient, etcdPeer, apiPort, kcmPort := ports[0], ports[1], ports[2], ports[3]
	c.Host = fmt.Sprintf("https://127.0.0.1:%d", apiPort)
	kcmKubeconfig, err := c.writeCredentials(pki)
	if err != nil {
		return err
	}
	c.setArgs(pki, kcmKubeconfig, etcdClient, etcdPeer, apiPort, kcmPort)
	if err := c.launch("etcd"); err != nil {
		return err
	}
	if err := waitTCP(ctx, fmt.Sprintf("127.0.0.1:%d", etcdClient), 30*time.Second); err != nil {
		return c.explain("etcd", err)
	}
	if err := c.StartAPIServer(ctx); err != nil {
		return err
	}
	if err := c.launch("kube-controller-manager"); err != nil {
		return err
	}
	// The default ServiceAccount proves the controller manager is working: namespace deletion, quota
	// status and service accounts all depend on it.
	if err := c.waitHTTP(ctx, "/api/v1/namespaces/default/serviceaccounts/default", 90*time.Second); err != nil {
		return c.explain("kube-controller-manager", err)
	}
	fmt.Fprintf(c.opts.Log, "testcluster: Kubernetes %s is up at %s in %s (kubeconfig %s)\n",
		c.Version, c.Host, time.Since(start).Round(100*time.Millisecond), c.AdminKubeconfig)
	return c.save()
}

// StartAPIServer (re)starts kube-apiserver and waits until it is ready; fault tests stop it
// mid-apply and bring it back.
func (c *Cluster) StartAPIServer(ctx context.Context) error {
	if err := c.launch("kube-apiserver"); err != nil {
		return err
	}
	if err := c.waitHTTP(ctx, "/readyz", 90*time.Second); err != nil {
		return c.explain("kube-apiserver", err)
	}
	return c.save()
}

// StopAPIServer stops kube-apiserver only.
func (c *Cluster) StopAPIServer() error { return c.stopProc("kube-apiserver") }

func (c *Cluster) launch(name string) error {
	args := c.args[name]
	logf, err := os.OpenFile(filepath.Join(c.Dir, "logs", name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if !c.opts.Detach {
		// The control plane must not outlive a test binary that is killed.
		cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", name, err)
	}
	c.mu.Lock()
	c.procs[name] = cmd
	c.Pids[name] = cmd.Process.Pid
	c.mu.Unlock()
	go func() { _ = cmd.Wait() }()
	return nil
}

func (c *Cluster) stopProc(name string) error {
	c.mu.Lock()
	pid := c.Pids[name]
	delete(c.Pids, name)
	delete(c.procs, name)
	c.mu.Unlock()
	if pid == 0 {
		return nil
	}
	err := stopPid(pid, c.Dir)
	if e := c.save(); err == nil {
		err = e
	}
	return err
}

// Stop stops every process this cluster started (and nothing else) and removes a temporary Dir.
func (c *Cluster) Stop() error {
	var errs []error
	for _, name := range []string{"kube-controller-manager", "kube-apiserver", "etcd"} {
		errs = append(errs, c.stopProc(name))
	}
	if c.tempDir {
		errs = append(errs, os.RemoveAll(c.Dir))
	} else {
		_ = os.Remove(filepath.Join(c.Dir, stateFile))
	}
	return errors.Join(errs...)
}

// StopDir stops a detached cluster recorded in dir by an earlier Start (make cluster-down).
func StopDir(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var c Cluster
	if err := json.Unmarshal(b, &c); err != nil {
		return err
	}
	c.Dir = dir
	return c.Stop()
}

// Load reads a detached cluster's record, failing when it is not running.
func Load(dir string) (*Cluster, error) {
	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return nil, err
	}
	c := &Cluster{}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, err
	}
	for name, pid := range c.Pids {
		if !ownsPid(pid, c.Dir) {
			return nil, fmt.Errorf("%s (pid %d) of the cluster in %s is not running", name, pid, dir)
		}
	}
	return c, nil
}

func (c *Cluster) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(c.Dir, stateFile), b, 0o600)
}

// ownsPid checks that pid is still one of our processes (its command line names our folder), so
// a recycled pid is never signalled.
func ownsPid(pid int, dir string) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return err == nil && strings.Contains(string(b), dir)
}

func stopPid(pid int, dir string) error {
	if !ownsPid(pid, dir) {
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if !ownsPid(pid, dir) || isZombie(pid) {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

func isZombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] == 'Z'
	}
	return false
}

// explain attaches the tail of a component's log to a start-up failure.
func (c *Cluster) explain(name string, err error) error {
	b, _ := os.ReadFile(filepath.Join(c.Dir, "logs", name+".log"))
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return fmt.Errorf("%s did not become ready: %w\nlast lines of %s.log:\n%s", name, err, name, strings.Join(lines, "\n"))
}

// HTTPClient is an admin HTTPS client for the API server.
func (c *Cluster) HTTPClient() (*http.Client, error) {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(c.CACertPEM))
	cert, err := tls.X509KeyPair([]byte(c.AdminCertPEM), []byte(c.AdminKeyPEM))
	if err != nil {
		return nil, err
	}
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}}, nil
}

func (c *Cluster) waitHTTP(ctx context.Context, path string, timeout time.Duration) error {
	client, err := c.HTTPClient()
	if err != nil {
		return err
	}
	deadline := time.Now().Add(timeout)
	last := errors.New("no answer yet")
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.Host+path, nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("GET %s: %s", path, resp.Status)
		} else {
			last = err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("waited %s: %w", timeout, last)
}

func waitTCP(ctx context.Context, addr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		addr, ok := l.Addr().(*net.TCPAddr)
		if !ok {
			return nil, fmt.Errorf("listener address %v is not TCP", l.Addr())
		}
		ports = append(ports, addr.Port)
	}
	return ports, nil
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Port returns the API server's port.
func (c *Cluster) Port() int {
	i := strings.LastIndexByte(c.Host, ':')
	p, _ := strconv.Atoi(c.Host[i+1:])
	return p
}

// StopControllerManager stops kube-controller-manager only (namespace deletion, quota status and
// default ServiceAccounts then stall, which fault tests use to hold an apply in a wait).
func (c *Cluster) StopControllerManager() error { return c.stopProc("kube-controller-manager") }

// StartControllerManager (re)starts kube-controller-manager.
func (c *Cluster) StartControllerManager() error {
	if err := c.launch("kube-controller-manager"); err != nil {
		return err
	}
	return c.save()
}
