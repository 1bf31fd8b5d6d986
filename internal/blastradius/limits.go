package blastradius

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// containerLimits is the Container item of a LimitRange.
type containerLimits struct {
	def, defRequest, max, min corev1.ResourceList
}

func containerItem(lr corev1.LimitRange) (containerLimits, bool) {
	for _, it := range lr.Spec.Limits {
		if it.Type == corev1.LimitTypeContainer {
			return containerLimits{it.Default, it.DefaultRequest, it.Max, it.Min}, true
		}
	}
	return containerLimits{}, false
}

// limitRange reports the containers of the next pods that the planned LimitRange would give a
// default they do not get today, or refuse: a limit above max or a request below min, explicit or
// defaulted. Today's defaults are those of any live LimitRange.
func limitRange(live Live, planned []hardening.Object, o owners) []Impact {
	var want containerLimits
	found := false
	for _, lr := range plannedOf[corev1.LimitRange](planned) {
		want, found = containerItem(*lr)
	}
	if !found {
		return nil
	}
	today := containerLimits{def: corev1.ResourceList{}, defRequest: corev1.ResourceList{}}
	for _, lr := range typed[corev1.LimitRange](live, "LimitRange") {
		if c, ok := containerItem(lr); ok {
			mergeMissing(today.def, c.def)
			mergeMissing(today.defRequest, c.defRequest)
		}
	}
	var out []Impact
	judge := func(id string, spec *corev1.PodSpec) {
		var why []string
		for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
			why = append(why, judgeContainer(c, want, today)...)
		}
		if len(why) > 0 {
			out = append(out, Impact{Kind: LimitRange, Object: o.top(id), Reason: strings.Join(why, "; ")})
		}
	}
	forEachTemplate(live, o, judge)
	return out
}

func mergeMissing(dst, src corev1.ResourceList) {
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			dst[k] = v
		}
	}
}

func judgeContainer(c corev1.Container, want, today containerLimits) []string {
	var why []string
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		limit, hasLimit := c.Resources.Limits[r]
		request, hasRequest := c.Resources.Requests[r]
		if d, ok := want.def[r]; ok && !hasLimit {
			if cur, ok := today.def[r]; !ok || cur.Cmp(d) != 0 {
				why = append(why, fmt.Sprintf("container %s gets limits.%s %s (it sets none)", c.Name, r, d.String()))
			}
			limit, hasLimit = d, true
		}
		if d, ok := want.defRequest[r]; ok && !hasRequest {
			if cur, ok := today.defRequest[r]; !ok || cur.Cmp(d) != 0 {
				why = append(why, fmt.Sprintf("container %s gets requests.%s %s (it sets none)", c.Name, r, d.String()))
			}
			request, hasRequest = d, true
		}
		if m, ok := want.max[r]; ok && hasLimit && limit.Cmp(m) > 0 {
			why = append(why, fmt.Sprintf("container %s would be refused: limits.%s %s is above the planned max %s", c.Name, r, limit.String(), m.String()))
		}
		if m, ok := want.min[r]; ok && hasRequest && request.Cmp(m) < 0 {
			why = append(why, fmt.Sprintf("container %s would be refused: requests.%s %s is below the planned min %s", c.Name, r, request.String(), m.String()))
		}
	}
	return why
}

// forEachTemplate calls f with the pod spec of each workload no judged workload controls and of
// each running pod without one: what the next pods are built from.
func forEachTemplate(live Live, o owners, f func(id string, spec *corev1.PodSpec)) {
	for _, kind := range workloadKinds {
		for _, m := range live.Objects[kind] {
			id := kind + "/" + name(m)
			if o.templated(id) {
				continue
			}
			if spec := templateSpec(kind, m); spec != nil {
				f(id, spec)
			}
		}
	}
	for _, p := range typed[corev1.Pod](live, "Pod") {
		id := "Pod/" + p.Name
		if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed || o.templated(id) {
			continue
		}
		f(id, &p.Spec)
	}
}

// templateSpec reads the pod template of a workload.
func templateSpec(kind string, m map[string]any) *corev1.PodSpec {
	var path []string
	if kind == "CronJob" {
		path = []string{"spec", "jobTemplate", "spec", "template"}
	} else {
		path = []string{"spec", "template"}
	}
	t, ok := field(m, path...).(map[string]any)
	if !ok {
		return nil
	}
	var tpl corev1.PodTemplateSpec
	if err := fromMap(t, &tpl); err != nil {
		return nil
	}
	return &tpl.Spec
}
