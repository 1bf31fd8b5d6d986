package blastradius

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubehardening/terraform-provider-hardened/internal/hardening"
)

// quota reports the planned hard limits already exceeded. What is in use comes from the live
// quotas' status (the largest figure any of them has for a key); keys no live quota tracks are
// counted from the pods and Services read: pods, services, services.loadbalancers,
// services.nodeports and the cpu and memory requests and limits of running pods. Other keys are
// judged only where a live quota tracks them.
func quota(live Live, planned []hardening.Object) []Impact {
	used := counted(live)
	for _, q := range typed[corev1.ResourceQuota](live, "ResourceQuota") {
		for k, v := range q.Status.Used {
			if cur, ok := used[k]; !ok || v.Cmp(cur) > 0 {
				used[k] = v
			}
		}
	}
	var out []Impact
	for _, q := range plannedOf[corev1.ResourceQuota](planned) {
		keys := make([]corev1.ResourceName, 0, len(q.Spec.Hard))
		for k := range q.Spec.Hard {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			hard := q.Spec.Hard[k]
			if u, ok := used[k]; ok && u.Cmp(hard) > 0 {
				out = append(out, Impact{Kind: Quota, Object: "ResourceQuota/" + q.Name,
					Reason: fmt.Sprintf("%s: %s in use, planned hard limit %s (new objects are refused until usage drops)", k, u.String(), hard.String())})
			}
		}
	}
	return out
}

// counted is what the pods and Services read use, for the keys the API server's quota evaluator
// derives from them.
func counted(live Live) map[corev1.ResourceName]resource.Quantity {
	used := map[corev1.ResourceName]resource.Quantity{}
	add := func(k corev1.ResourceName, q resource.Quantity) {
		cur := used[k]
		cur.Add(q)
		used[k] = cur
	}
	one := *resource.NewQuantity(1, resource.DecimalSI)
	for _, p := range typed[corev1.Pod](live, "Pod") {
		if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		add(corev1.ResourcePods, one)
		for _, c := range p.Spec.Containers {
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if q, ok := c.Resources.Requests[r]; ok {
					add("requests."+r, q)
					add(r, q)
				}
				if q, ok := c.Resources.Limits[r]; ok {
					add("limits."+r, q)
				}
			}
		}
	}
	for _, s := range typed[corev1.Service](live, "Service") {
		add(corev1.ResourceServices, one)
		switch s.Spec.Type {
		case corev1.ServiceTypeLoadBalancer:
			add(corev1.ResourceServicesLoadBalancers, one)
			add(corev1.ResourceServicesNodePorts, *resource.NewQuantity(int64(len(s.Spec.Ports)), resource.DecimalSI))
		case corev1.ServiceTypeNodePort:
			add(corev1.ResourceServicesNodePorts, *resource.NewQuantity(int64(len(s.Spec.Ports)), resource.DecimalSI))
		}
	}
	return used
}
