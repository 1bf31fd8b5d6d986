package hardening

import (
	"strings"
	"testing"
)

func TestRunnerIdentityMatches(t *testing.T) {
	r := RunnerIdentity{Users: []string{"system:serviceaccount:ci:terraform"}, Groups: []string{"terraform-ci"}}
	for _, c := range []struct {
		user   string
		groups []string
		want   bool
	}{
		{"system:serviceaccount:ci:terraform", nil, true},
		{"arn:aws:sts::111122223333:assumed-role/terraform-ci/session-1", []string{"system:authenticated", "terraform-ci"}, true},
		{"arn:aws:sts::111122223333:assumed-role/terraform-ci/session-2", []string{"system:authenticated"}, false},
		{"terraform-ci", nil, false}, // a user named like the group is not in it
	} {
		if got := r.Matches(c.user, c.groups); got != c.want {
			t.Errorf("Matches(%q, %v) = %t, want %t", c.user, c.groups, got, c.want)
		}
	}
	if (RunnerIdentity{}).Matches("anyone", []string{"system:masters"}) {
		t.Error("an empty runner identity matches someone")
	}
}

func TestValidateIdentityNames(t *testing.T) {
	for _, c := range []struct{ kind, name, want string }{
		{"group", "terraform-ci", ""},
		{"user", "arn:aws:sts::111122223333:assumed-role/terraform-ci/x", ""},
		{"group", "a,b", "comma"},
		{"user", "", "empty"},
		{"group", " ops", "spaces"},
		{"group", "system:authenticated", "every identity"},
		{"group", "system:serviceaccounts", "every identity"},
	} {
		err := ValidateIdentityName(c.kind, c.name)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("ValidateIdentityName(%s %q) = %v, want %q", c.kind, c.name, err, c.want)
		}
	}
	errs := ValidateRunnerIdentity(RunnerIdentity{Users: []string{"ok", "a,b"}, Groups: []string{"system:unauthenticated"}})
	if len(errs) != 2 || errs[0].Path[2] != 1 || errs[1].Path[1] != "groups" {
		t.Errorf("ValidateRunnerIdentity errors = %+v, want users[1] and groups[0]", errs)
	}
	if errs := Validate(NamespaceSpec{Name: "x", BreakGlassGroups: []string{"system:authenticated"}}); len(errs) != 1 || errs[0].Path[0] != "break_glass_groups" {
		t.Errorf("break_glass_groups of everyone: %+v", errs)
	}
}

func TestValidateRegistryHosts(t *testing.T) {
	for r, want := range map[string]string{
		"[fd00::1]:5000":            "",
		"[fd00::1]:5000/team":       "",
		"[2001:db8::42]":            "",
		"[10.0.0.1]:5000":           "not an IPv6 address",
		"[fe80::1%eth0]:5000":       "not a registry",
		"index.docker.io/library":   `"docker.io/library"`,
		"registry-1.docker.io/acme": `"docker.io/acme"`,
		"docker.io/library":         "",
		"registry.example.com:5000": "",
	} {
		err := ValidateRegistry(r)
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("ValidateRegistry(%q) = %v, want %q", r, err, want)
		}
	}
}

func TestUnusedSharedObjects(t *testing.T) {
	all := UnusedSharedObjects(nil)
	if len(all) != 17 || !strings.HasPrefix(all[0], "ValidatingAdmissionPolicyBinding/") || all[10] != "MutatingAdmissionPolicyBinding/"+PullPolicyName ||
		!strings.HasPrefix(all[11], "ValidatingAdmissionPolicy/") || all[16] != "MutatingAdmissionPolicy/"+PullPolicyName {
		t.Fatalf("with no namespace every shared object is unused, bindings first: %v", all)
	}
	got := UnusedSharedObjects([]map[string]string{
		{TamperProtectionLabel: "enabled"},
		{ImagePolicyLabel: ImageActionWarn, ServicePolicyLabel: ImageActionDeny, PullPolicyLabel: PullPolicyMutate},
		{"team": "x", HostnamePolicyLabel: "enabled"},
	})
	want := []string{"ValidatingAdmissionPolicyBinding/hardened-classes", "ValidatingAdmissionPolicyBinding/hardened-images-deny",
		"ValidatingAdmissionPolicyBinding/hardened-images-audit", "ValidatingAdmissionPolicyBinding/hardened-services-warn",
		"ValidatingAdmissionPolicyBinding/hardened-services-audit", "ValidatingAdmissionPolicy/hardened-classes"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("UnusedSharedObjects = %v, want %v", got, want)
	}
}

func TestIsBreakGlass(t *testing.T) {
	anns := map[string]string{BreakGlassGroupsAnnotation: "platform-admins,oncall"}
	for _, c := range []struct {
		groups []string
		anns   map[string]string
		want   bool
	}{
		{[]string{"system:authenticated", MastersGroup}, nil, true},
		{[]string{"oncall"}, anns, true},
		{[]string{"oncall"}, nil, false},
		{[]string{"system:authenticated", "devs"}, anns, false},
	} {
		if got := IsBreakGlass(c.groups, c.anns); got != c.want {
			t.Errorf("IsBreakGlass(%v, %v) = %t, want %t", c.groups, c.anns, got, c.want)
		}
	}
}
