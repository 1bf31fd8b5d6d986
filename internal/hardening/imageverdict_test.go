package hardening

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// referencePolicy is the image policy internal/hardening/testdata/image_references.txt is judged by.
var referencePolicy = ImagePolicy{
	AllowedRegistries: []string{"registry.example.com", "ghcr.io/acme", "docker.io/library", "localhost:5000", "[fd00::1]:5000"},
	ForbidLatestTag:   true,
	Action:            ImageActionDeny,
}

func readImageReferences(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("testdata/image_references.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		image, verdict, ok := strings.Cut(line, "\t")
		if !ok || (verdict != "admit" && verdict != "refuse") {
			t.Fatalf("bad line %q", line)
		}
		cases[image] = verdict == "admit"
	}
	if len(cases) < 30 {
		t.Fatalf("%d references, want at least 30", len(cases))
	}
	return cases
}

func podWith(images ...string) map[string]any {
	var cs []any
	for i, img := range images {
		cs = append(cs, map[string]any{"name": "c" + string(rune('a'+i)), "image": img})
	}
	return map[string]any{"kind": "Pod", "metadata": map[string]any{"name": "p"}, "spec": map[string]any{"containers": cs}}
}

func TestImageRefusalsReferenceTable(t *testing.T) {
	labels, annotations := imagePolicyMetadata(referencePolicy)
	ns := NamespaceMetadata("team", labels, annotations)
	for image, admit := range readImageReferences(t) {
		reasons, err := ImageRefusals(ns, podWith(image))
		if err != nil {
			t.Fatalf("%s: %v", image, err)
		}
		if admit != (len(reasons) == 0) {
			t.Errorf("%s: admit = %v, want %v (reasons %q)", image, len(reasons) == 0, admit, reasons)
		}
	}
}

func TestImageRefusalsWorkloadsAndRules(t *testing.T) {
	labels, annotations := imagePolicyMetadata(ImagePolicy{AllowedRegistries: []string{"registry.example.com"}, RequireDigest: true, AlwaysPull: true, Action: ImageActionDeny})
	ns := NamespaceMetadata("team", labels, annotations)
	template := map[string]any{"spec": podWith("registry.example.com/app:1")["spec"]}
	deploy := map[string]any{"kind": "Deployment", "spec": map[string]any{"template": template}}
	reasons, err := ImageRefusals(ns, deploy)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(reasons, "\n")
	if !strings.Contains(joined, "not pinned by digest") || !strings.Contains(joined, "must pull its image on every start") {
		t.Fatalf("want the digest and pull refusals, got %q", reasons)
	}
	cron := map[string]any{"kind": "CronJob", "spec": map[string]any{"jobTemplate": map[string]any{"spec": map[string]any{"template": template}}}}
	if reasons, err := ImageRefusals(ns, cron); err != nil || len(reasons) != 2 {
		t.Fatalf("CronJob: %q, %v", reasons, err)
	}
	// Where pulls are mutated, a pod is judged after the mutation; a template is not mutated.
	labels[PullPolicyLabel] = PullPolicyMutate
	ns = NamespaceMetadata("team", labels, annotations)
	reasons, err = ImageRefusals(ns, podWith("registry.example.com/app@sha256:"+strings.Repeat("b", 64)))
	if err != nil || len(reasons) != 0 {
		t.Fatalf("mutated pod: %q, %v", reasons, err)
	}
	// No policy on the namespace: nothing is refused.
	if reasons, err := ImageRefusals(NamespaceMetadata("open", nil, nil), podWith("nginx")); err != nil || len(reasons) != 0 {
		t.Fatalf("no policy: %q, %v", reasons, err)
	}
}
