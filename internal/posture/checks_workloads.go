package posture

import "fmt"

// Practice 6: workloads in the default namespace.
func (e *evaluator) defaultNamespace() {
	e.unknownIf(CheckDefaultNamespaceUsed, WorkloadParts...)
	for _, w := range e.s.Workloads {
		if w.Controlled {
			continue
		}
		e.add(CheckDefaultNamespaceUsed, "", w.Kind, DefaultNamespace, w.Name, fmt.Sprintf("%s %s runs in the default "+
			"namespace, which has no security profile of its own and is shared by everything created without a namespace.",
			w.Kind, w.Name))
	}
}
