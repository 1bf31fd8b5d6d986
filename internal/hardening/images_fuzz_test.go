package hardening

import (
	"strings"
	"testing"
)

// FuzzValidateRegistry: ValidateRegistry never panics, and what it accepts is a plain registry
// prefix: no scheme, tag, digest, whitespace, quotes or CEL syntax, no trailing slash. (The policy
// reads registries as parameters anyway; this keeps even the parameter values boring.)
func FuzzValidateRegistry(f *testing.F) {
	f.Fuzz(func(t *testing.T, r string) {
		if ValidateRegistry(r) != nil {
			return
		}
		if r == "" || strings.HasSuffix(r, "/") || strings.ContainsAny(r, " \t\n'\"\\()@,;|&!=<>{}[]*?$`") ||
			strings.Contains(r, "://") || strings.ToLower(r) != r {
			t.Fatalf("ValidateRegistry accepted %q", r)
		}
		// The policy's match is a prefix with a slash: a longer host never passes for r.
		if strings.HasPrefix(r+".evil.io/x:1", r+"/") {
			t.Fatalf("prefix match of %q would admit a look-alike host", r)
		}
	})
}
