package blastradius

import (
	"fmt"
	"strings"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// workloadKinds are the kinds whose pod templates the image policy judges.
var workloadKinds = []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"}

// imagePolicy judges what would be created next in the namespace: the template of every workload
// that no other workload controls, and every pod without a controller. A pod a controller owns is
// judged through its controller's template, which its replacement is built from.
func imagePolicy(live Live, planned []hardening.Object, o owners) ([]Impact, error) {
	ns := plannedNamespace(planned)
	if ns == nil {
		return nil, nil
	}
	meta := hardening.NamespaceMetadata(live.Namespace, ns.Labels, ns.Annotations)
	// Warn and Audit refuse nothing: the API server answers the creator with a warning instead.
	if p := hardening.ImagePolicyFromNamespace(ns.Labels, ns.Annotations); p == nil || p.Action != hardening.ImageActionDeny {
		return nil, nil
	}
	var out []Impact
	judge := func(kind string, obj map[string]any) error {
		withKind := make(map[string]any, len(obj)+1)
		for k, v := range obj {
			withKind[k] = v
		}
		withKind["kind"] = kind
		reasons, err := hardening.ImageRefusals(meta, withKind)
		if err != nil {
			return fmt.Errorf("judging %s/%s: %w", kind, name(obj), err)
		}
		if len(reasons) > 0 {
			out = append(out, Impact{Kind: ImagePolicy, Object: o.top(kind + "/" + name(obj)),
				Reason: "its next pods would be refused: " + strings.Join(reasons, "; ")})
		}
		return nil
	}
	for _, kind := range workloadKinds {
		for _, obj := range live.Objects[kind] {
			if o.templated(kind + "/" + name(obj)) {
				continue
			}
			if err := judge(kind, obj); err != nil {
				return nil, err
			}
		}
	}
	for _, pod := range live.Objects["Pod"] {
		if !running(pod) || o.templated("Pod/"+name(pod)) {
			continue
		}
		if err := judge("Pod", pod); err != nil {
			return nil, err
		}
	}
	return out, nil
}
