package blastradius

import (
	"fmt"
	"slices"
	"strings"
)

// owners maps a pod or an owned workload to the top of its chain of controllers among the objects
// read (Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob).
type owners struct {
	controller map[string]string // "Kind/name" -> "Kind/name" of its controller
}

func newOwners(live Live) owners {
	o := owners{controller: map[string]string{}}
	for kind, objs := range live.Objects {
		for _, obj := range objs {
			if c := controllerOf(obj); c != "" {
				o.controller[kind+"/"+name(obj)] = c
			}
		}
	}
	return o
}

// top is the highest controller of id that was read; id itself when it has none.
func (o owners) top(id string) string {
	for range 5 {
		c, ok := o.controller[id]
		if !ok {
			return id
		}
		id = c
	}
	return id
}

// templated says whether id is built from the template of a workload kind this package judges
// (a Deployment's ReplicaSet, a ReplicaSet's pod): the template is judged instead.
func (o owners) templated(id string) bool {
	c, ok := o.controller[id]
	if !ok {
		return false
	}
	kind, _, _ := strings.Cut(c, "/")
	return slices.Contains(workloadKinds, kind)
}

func controllerOf(obj map[string]any) string {
	refs, _ := field(obj, "metadata", "ownerReferences").([]any)
	for _, r := range refs {
		m, ok := r.(map[string]any)
		if !ok {
			continue
		}
		if c, _ := m["controller"].(bool); c {
			return fmt.Sprintf("%v/%v", m["kind"], m["name"])
		}
	}
	return ""
}

func name(obj map[string]any) string {
	s, _ := field(obj, "metadata", "name").(string)
	return s
}

// field reads a nested field of a JSON-shaped map (nil when absent).
func field(obj map[string]any, path ...string) any {
	var cur any = obj
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// running says whether a pod still counts: not Succeeded or Failed.
func running(pod map[string]any) bool {
	phase, _ := field(pod, "status", "phase").(string)
	return phase != "Succeeded" && phase != "Failed"
}
