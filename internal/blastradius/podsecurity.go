package blastradius

import (
	"regexp"
	"strings"
)

// otherPods is how Pod Security groups pods with the same violations: "web-1 (and 2 other pods)".
var otherPods = regexp.MustCompile(`^(\S+) \(and (\d+) other pods?\)$`)

// podSecurity reads the API server's verdict on the planned enforce level. The first warning
// introduces the list; warnings about the evaluation itself (the API server caps the pods it
// checks and the time it takes) become notes.
func podSecurity(live Live, o owners, notes *[]string) []Impact {
	var out []Impact
	for _, w := range live.PodSecurityWarnings {
		if strings.HasPrefix(w, "existing pods in namespace") {
			continue
		}
		pods, reason, ok := strings.Cut(w, ": ")
		if !ok || strings.Contains(pods, " PodSecurity ") || strings.HasPrefix(w, "new PodSecurity") {
			*notes = append(*notes, "Pod Security: "+w)
			continue
		}
		more := ""
		if m := otherPods.FindStringSubmatch(pods); m != nil {
			pods, more = m[1], " (and "+m[2]+" other pods with the same violations)"
		}
		out = append(out, Impact{Kind: PodSecurity, Object: o.top("Pod/" + pods),
			Reason: "pod " + pods + more + " would be refused: " + reason})
	}
	return out
}
