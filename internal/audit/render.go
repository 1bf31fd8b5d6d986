package audit

import (
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// Render builds the policy for p and returns it as one YAML document with a comment above each
// rule saying why it is there. The comments are the only difference from yaml.Marshal(policy).
func Render(p Params) (string, Policy, error) {
	pol, err := Build(p)
	if err != nil {
		return "", Policy{}, err
	}
	out, err := pol.YAML(fmt.Sprintf("profile %q", p.Profile))
	return out, pol, err
}

// YAML renders the policy with a header naming what it was rendered from.
func (pol Policy) YAML(from string) (string, error) {
	var b strings.Builder
	comment(&b, "", fmt.Sprintf("Kubernetes audit policy rendered by hardened_audit_policy (%s). Rules are evaluated in order "+
		"and the first rule that matches a request decides its level. Load it with kube-apiserver "+
		"--audit-policy-file=<this file> and an audit backend (--audit-log-path or --audit-webhook-config-file).", from))
	head, err := yaml.Marshal(struct {
		APIVersion string  `json:"apiVersion"`
		Kind       string  `json:"kind"`
		OmitStages []Stage `json:"omitStages,omitempty"`
	}{pol.APIVersion, pol.Kind, pol.OmitStages})
	if err != nil {
		return "", err
	}
	b.Write(head)
	if len(pol.Rules) == 0 {
		b.WriteString("rules: []\n")
		return b.String(), nil
	}
	b.WriteString("rules:\n")
	for i, r := range pol.Rules {
		doc, err := yaml.Marshal([]PolicyRule{r})
		if err != nil {
			return "", err
		}
		if r.Comment != "" {
			comment(&b, fmt.Sprintf("%d. ", i+1), r.Comment)
		}
		b.Write(doc)
	}
	return b.String(), nil
}

// comment writes text as "# " lines of at most about 100 characters.
func comment(b *strings.Builder, prefix, text string) {
	line := "#"
	for i, w := range strings.Fields(prefix + text) {
		if i > 0 && len(line)+1+len(w) > 100 {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}
