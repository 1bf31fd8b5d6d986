package posture

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// Practice 8: what the API server does with a request that carries no credentials.
func (e *evaluator) anonymousRequests() {
	if e.unknownIf(CheckAnonymousRequests, PartAnonymousProbe) {
		return
	}
	p := e.s.Anonymous
	switch {
	case p.StatusCode == 401:
		// Anonymous authentication is off: pass.
	case p.StatusCode == 403:
		e.add(CheckAnonymousRequests, SeverityLow, kindCluster, "", "", fmt.Sprintf("Anonymous authentication is enabled: "+
			"GET %s without credentials was authenticated as system:anonymous and denied (403 Forbidden). Anything "+
			"granted to system:anonymous or system:unauthenticated, now or later, is public.", p.URL))
	case p.StatusCode >= 200 && p.StatusCode < 300:
		e.add(CheckAnonymousRequests, SeverityCritical, kindCluster, "", "", fmt.Sprintf("Anonymous requests can list "+
			"namespaces: GET %s without credentials was answered %d. Find what grants it with the HRD-4002 findings.",
			p.URL, p.StatusCode))
	default:
		e.unknown(CheckAnonymousRequests, fmt.Sprintf("Not evaluated: GET %s without credentials was answered %d, which "+
			"says neither that anonymous authentication is off (401) nor that it is on (403 or 2xx).", p.URL, p.StatusCode))
	}
}

// Practices 8 and 10: the kube-apiserver command line, when its static pod is visible.
func (e *evaluator) apiServerPods() {
	if e.unknownIf(CheckAPIServerInsecureArgs, PartAPIServerPods) {
		e.unknownIf(CheckAuditLog, PartAPIServerPods)
		return
	}
	if len(e.s.APIServerPods) == 0 {
		const msg = "Not evaluated: no kube-apiserver pod is visible in kube-system, as on managed clusters whose " +
			"control plane is run by the provider; check the %s in the control plane's configuration."
		e.unknown(CheckAPIServerInsecureArgs, fmt.Sprintf(msg, "insecure port and anonymous authentication"))
		e.unknown(CheckAuditLog, fmt.Sprintf(msg, "audit logging"))
		return
	}
	pods := slices.Clone(e.s.APIServerPods)
	slices.SortFunc(pods, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	for _, pod := range pods {
		flags := apiServerFlags(pod)
		var bad []string
		if v, ok := flags["insecure-port"]; ok && v != "0" {
			bad = append(bad, "--insecure-port="+v+" (a plain-HTTP port without authentication or authorization)")
		}
		if v, ok := flags["anonymous-auth"]; ok && strings.EqualFold(v, "true") {
			bad = append(bad, "--anonymous-auth=true")
		}
		if len(bad) > 0 {
			e.add(CheckAPIServerInsecureArgs, "", "Pod", pod.Namespace, pod.Name, fmt.Sprintf("kube-apiserver pod %s is "+
				"started with %s.", pod.Name, strings.Join(bad, " and ")))
		}
		var missing []string
		if flags["audit-policy-file"] == "" {
			missing = append(missing, "--audit-policy-file")
		}
		if flags["audit-log-path"] == "" && flags["audit-webhook-config-file"] == "" {
			missing = append(missing, "--audit-log-path (or --audit-webhook-config-file)")
		}
		if len(missing) > 0 {
			e.add(CheckAuditLog, "", "Pod", pod.Namespace, pod.Name, fmt.Sprintf("kube-apiserver pod %s is started "+
				"without %s: API requests are not audited.", pod.Name, strings.Join(missing, " and ")))
		}
	}
}

// apiServerFlags reads --name=value and "--name value" flags from the kube-apiserver container.
func apiServerFlags(pod corev1.Pod) map[string]string {
	containers := pod.Spec.Containers
	idx := slices.IndexFunc(containers, func(c corev1.Container) bool {
		return c.Name == "kube-apiserver" || slices.ContainsFunc(c.Command, func(s string) bool {
			return strings.HasSuffix(s, "kube-apiserver")
		})
	})
	if idx < 0 {
		if len(containers) == 0 {
			return map[string]string{}
		}
		idx = 0
	}
	args := append(slices.Clone(containers[idx].Command), containers[idx].Args...)
	flags := map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !hasValue {
			if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
				value = args[i+1]
				i++
			} else {
				value = "true" // a bare boolean flag
			}
		}
		flags[name] = strings.Trim(value, `"'`)
	}
	return flags
}
