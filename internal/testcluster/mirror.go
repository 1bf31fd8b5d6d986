package testcluster

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// mirrored are the providers the benchmark and the migration test install from their own mirror, never from the network.
var mirrored = []string{"kubehardening/hardened", "hashicorp/kubernetes", "kubehardening/noop", "kubehardening/echo"}

// CLIConfig is a Terraform CLI configuration installing the mirrored providers from a filesystem mirror
// and never from the network.
func CLIConfig(mirror string) string {
	quoted := make([]string, len(mirrored))
	for i, p := range mirrored {
		quoted[i] = fmt.Sprintf("%q", "registry.terraform.io/"+p)
	}
	list := strings.Join(quoted, ", ")
	return fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%s]
  }
  direct {
    exclude = [%s]
  }
}
`, mirror, list, list)
}

// MirrorPath is where a provider binary goes in an unpacked filesystem mirror.
func MirrorPath(mirror, namespace, name, version, platform string) string {
	return filepath.Join(mirror, "registry.terraform.io", namespace, name, version, platform,
		fmt.Sprintf("terraform-provider-%s_v%s", name, version))
}

// CopyExecutable copies src to dst (replacing it) with mode 0755.
func CopyExecutable(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
