package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// TestDocsPresetTable: the preset table on the resource page is the presets of internal/hardening,
// row by row, so the two cannot drift apart.
func TestDocsPresetTable(t *testing.T) {
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "templates", "resources", "namespace.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	envs := []string{"dev", "test", "staging", "prod"}
	resolved := map[string]hardening.Resolved{}
	for _, env := range envs {
		r, err := hardening.Resolve(hardening.NamespaceSpec{Name: "x", Environment: env})
		if err != nil {
			t.Fatal(err)
		}
		resolved[env] = r
	}
	pair := func(m map[string]string) string {
		if len(m["cpu"])+len(m["memory"]) == 0 {
			return "none"
		}
		return fmt.Sprintf("`%s` / `%s`", m["cpu"], m["memory"])
	}
	value := func(setting string, r hardening.Resolved) (string, bool) {
		code := func(v any) string { return fmt.Sprintf("`%v`", v) }
		switch {
		case setting == "`pod_security.enforce`":
			return code(r.PodSecurity.Enforce), true
		case setting == "`pod_security.audit`":
			return code(r.PodSecurity.Audit), true
		case setting == "`pod_security.warn`":
			return code(r.PodSecurity.Warn), true
		case setting == "`pod_security.version`":
			return code(r.PodSecurity.Version), true
		case strings.HasPrefix(setting, "quota `"):
			return code(r.ResourceQuota[strings.Trim(strings.TrimPrefix(setting, "quota "), "`")]), true
		case setting == "limit range `default_request` cpu / memory":
			return pair(r.LimitRange.DefaultRequest), true
		case setting == "limit range `default` cpu / memory":
			return pair(r.LimitRange.Default), true
		case setting == "limit range `max` cpu / memory":
			return pair(r.LimitRange.Max), true
		case setting == "limit range `min`":
			return pair(r.LimitRange.Min), true
		case setting == "limit range ephemeral-storage `default_request` / `default` / `max`":
			return fmt.Sprintf("`%s` / `%s` / `%s`", r.LimitRange.DefaultRequest["ephemeral-storage"],
				r.LimitRange.Default["ephemeral-storage"], r.LimitRange.Max["ephemeral-storage"]), true
		case setting == "`network_policy.deny_ingress`":
			return code(r.Network.DenyIngress), true
		case setting == "`network_policy.deny_egress`":
			return code(r.Network.DenyEgress), true
		case setting == "`network_policy.allow_dns`":
			return code(r.Network.AllowDNS), true
		case setting == "`network_policy.allow_same_namespace`":
			return code(r.Network.AllowSameNamespace), true
		case setting == "`tamper_protection`":
			return code(r.TamperProtection), true
		case setting == "`image_policy.always_pull_images` (with an `image_policy`)":
			withImages, err := hardening.Resolve(hardening.NamespaceSpec{Name: "x", Environment: r.Environment,
				ImagePolicy: &hardening.ImagePolicyInput{AllowedRegistries: []string{"registry.example.com"}}})
			if err != nil {
				return err.Error(), true
			}
			return code(withImages.ImagePolicy.AlwaysPull), true
		case setting == "`max_preempting_priority`":
			if r.ClassPolicy == nil || r.ClassPolicy.MaxPreemptingPriority == nil {
				return "none", true
			}
			return code(*r.ClassPolicy.MaxPreemptingPriority), true
		}
		return "", false
	}
	in := false
	rows := 0
	documented := map[string]bool{}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "| Setting | `dev`") {
			in = true
			continue
		}
		if !in || strings.HasPrefix(line, "|---") {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) != 5 {
			t.Fatalf("row %q: want 5 cells", line)
		}
		for i, env := range envs {
			want, ok := value(cells[0], resolved[env])
			if !ok {
				t.Fatalf("the preset table has a row %s this test does not know: teach it", cells[0])
			}
			if got := strings.TrimSuffix(cells[i+1], " (default)"); got != want {
				t.Errorf("%s, %s: the page says %s, the preset is %s", cells[0], env, got, want)
			}
		}
		rows++
		documented[cells[0]] = true
	}
	// Every quota key of every preset has its row.
	for _, env := range envs {
		for k := range resolved[env].ResourceQuota {
			if !documented["quota `"+k+"`"] {
				t.Errorf("the %s preset's quota key %s has no row in the preset table", env, k)
			}
		}
	}
	if rows < 20 {
		t.Fatalf("read %d rows of the preset table; the table was not found or lost rows", rows)
	}
}
