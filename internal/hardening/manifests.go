package hardening

import (
	"bytes"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"
)

// Unstructured converts an object to the map that is sent to the API server, without the empty
// creationTimestamp and status that typed objects carry.
func Unstructured(o Object) (map[string]any, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o.Obj)
	if err != nil {
		return nil, err
	}
	delete(m, "status")
	if meta, ok := m["metadata"].(map[string]any); ok {
		delete(meta, "creationTimestamp")
	}
	return m, nil
}

// YAML renders objects as YAML documents: exactly what the resource applies.
func YAML(objs []Object) (docs []string, err error) {
	for _, o := range objs {
		m, err := Unstructured(o)
		if err != nil {
			return nil, err
		}
		b, err := yaml.Marshal(m)
		if err != nil {
			return nil, err
		}
		docs = append(docs, string(b))
	}
	return docs, nil
}

// MultiDocYAML joins documents with "---" separators.
func MultiDocYAML(docs []string) string {
	var b bytes.Buffer
	for i, d := range docs {
		if i > 0 {
			b.WriteString("---\n")
		}
		b.WriteString(d)
	}
	return b.String()
}
