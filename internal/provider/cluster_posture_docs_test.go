package provider

import (
	"os"
	"strings"
	"testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/posture"
	"github.com/kubehardening/terraform-provider-hardened/internal/releases"
)

// The documentation lists every vendor-managed object the checks recognise, with its source, so
// what is not judged is never undocumented; and every vendor calendar's first source.
func TestManagedObjectsDocumented(t *testing.T) {
	posturePage, err := os.ReadFile("../../templates/data-sources/cluster_posture.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	page := string(posturePage)
	for _, b := range posture.ManagedBindings {
		for _, want := range []string{"`" + b.Distribution + "`", "`" + b.Name + "`", "`" + b.RoleRef.Name + "`", b.Source} {
			if !strings.Contains(page, want) {
				t.Errorf("cluster_posture docs do not list %s of the %s binding %s", want, b.Distribution, b.Name)
			}
		}
		for _, s := range b.Subjects {
			if !strings.Contains(page, s.Kind+" `"+s.Name+"`") {
				t.Errorf("cluster_posture docs do not name subject %s %s of %s", s.Kind, s.Name, b.Name)
			}
		}
	}
	for _, n := range posture.ManagedNamespaces {
		if !strings.Contains(page, "`"+n.Name+"`") || !strings.Contains(page, n.Source) {
			t.Errorf("cluster_posture docs do not list the %s namespace %s with its source %s", n.Distribution, n.Name, n.Source)
		}
	}

	versionPage, err := os.ReadFile("../../templates/data-sources/version_support.md.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range releases.Distributions[1:] {
		if src := releases.Vendor(d).Sources[0]; !strings.Contains(string(versionPage), src) {
			t.Errorf("version_support docs do not cite the %s calendar's source %s", d, src)
		}
	}
}
