package testcluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// GatewayAPIVersion is the Gateway API release whose CRDs tests install.
const GatewayAPIVersion = "v1.6.3"

// GatewayAPICRDs returns the upstream CustomResourceDefinitions (standard channel) of the named
// Gateway API resources, read from the sigs.k8s.io/gateway-api module, which the go command
// downloads into its module cache like any dependency.
func GatewayAPICRDs(ctx context.Context, resources ...string) ([][]byte, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", "sigs.k8s.io/gateway-api@"+GatewayAPIVersion)
	cmd.Dir = os.TempDir() // outside any module: nothing to add to a go.mod
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("downloading sigs.k8s.io/gateway-api@%s: %v\n%s", GatewayAPIVersion, err, out)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return nil, fmt.Errorf("go mod download sigs.k8s.io/gateway-api@%s: %v %s", GatewayAPIVersion, err, mod.Error)
	}
	var crds [][]byte
	for _, r := range resources {
		b, err := os.ReadFile(filepath.Join(mod.Dir, "config", "crd", "standard", "gateway.networking.k8s.io_"+r+".yaml"))
		if err != nil {
			return nil, err
		}
		crds = append(crds, b)
	}
	return crds, nil
}
