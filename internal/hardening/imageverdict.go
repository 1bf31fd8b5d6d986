package hardening

import (
	"fmt"
	"sync"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/ext"
	admissionv1 "k8s.io/api/admissionregistration/v1"
)

// The blast radius judges workloads by evaluating the image policy's own CEL (the variables and
// validations of hardened-images), so what the plan says and what the API server admits cannot
// drift apart. Only the functions the policy uses are declared: the CEL standard library and the
// string extensions Kubernetes enables.

// imageProgram is the compiled image policy: its variables in order, then its validations.
type imageProgram struct {
	variables   []namedProgram
	validations []validationProgram
}

type namedProgram struct {
	name string
	prg  cel.Program
}

type validationProgram struct {
	check, message cel.Program
}

var (
	imageProgramOnce sync.Once
	imageProgramVal  *imageProgram
	errImageProgram  error
)

func compiledImagePolicy() (*imageProgram, error) {
	imageProgramOnce.Do(func() {
		imageProgramVal, errImageProgram = compileImagePolicy()
	})
	return imageProgramVal, errImageProgram
}

func compileImagePolicy() (*imageProgram, error) {
	env, err := cel.NewEnv(
		ext.Strings(ext.StringsVersion(2)),
		cel.Variable("object", cel.DynType),
		cel.Variable("oldObject", cel.DynType),
		cel.Variable("namespaceObject", cel.DynType),
		cel.Variable("request", cel.DynType),
		cel.Variable("variables", cel.MapType(cel.StringType, cel.DynType)),
	)
	if err != nil {
		return nil, err
	}
	compile := func(expr string) (cel.Program, error) {
		ast, iss := env.Compile(expr)
		if iss.Err() != nil {
			return nil, fmt.Errorf("compiling %q: %w", expr, iss.Err())
		}
		return env.Program(ast)
	}
	var p imageProgram
	policy, ok := imagePolicyObjects(ImageActionDeny)[0].Obj.(*admissionv1.ValidatingAdmissionPolicy)
	if !ok {
		return nil, fmt.Errorf("the image policy is not a ValidatingAdmissionPolicy")
	}
	for _, v := range policy.Spec.Variables {
		prg, err := compile(v.Expression)
		if err != nil {
			return nil, err
		}
		p.variables = append(p.variables, namedProgram{v.Name, prg})
	}
	for _, v := range policy.Spec.Validations {
		check, err := compile(v.Expression)
		if err != nil {
			return nil, err
		}
		msg, err := compile(v.MessageExpression)
		if err != nil {
			return nil, err
		}
		p.validations = append(p.validations, validationProgram{check, msg})
	}
	return &p, nil
}

// ImageRefusals says why the image policy a namespace carries (its metadata, as
// NamespaceMetadata builds it) would refuse to create obj: a Pod, Deployment, StatefulSet,
// DaemonSet, ReplicaSet, Job or CronJob as a JSON-shaped map with kind set. No reasons: admitted.
// Where the cluster mutates pull policies, a Pod is judged as the mutation leaves it.
func ImageRefusals(namespaceObject, obj map[string]any) ([]string, error) {
	p, err := compiledImagePolicy()
	if err != nil {
		return nil, err
	}
	labels, _ := nestedMap(namespaceObject, "metadata", "labels")
	if labels[PullPolicyLabel] == PullPolicyMutate && obj["kind"] == "Pod" {
		obj = pullAlways(obj)
	}
	vars := map[string]any{}
	act := map[string]any{
		"object":          obj,
		"oldObject":       nil,
		"namespaceObject": namespaceObject,
		"request":         map[string]any{"operation": "CREATE"},
		"variables":       vars,
	}
	for _, v := range p.variables {
		out, _, err := v.prg.Eval(act)
		if err != nil {
			return nil, fmt.Errorf("image policy variable %s: %w", v.name, err)
		}
		vars[v.name] = out
	}
	var reasons []string
	for _, v := range p.validations {
		out, _, err := v.check.Eval(act)
		if err != nil {
			return nil, fmt.Errorf("image policy validation: %w", err)
		}
		if out == types.True {
			continue
		}
		msg, _, err := v.message.Eval(act)
		if err != nil {
			return nil, fmt.Errorf("image policy message: %w", err)
		}
		reasons = append(reasons, refString(msg))
	}
	return reasons, nil
}

func refString(v ref.Val) string {
	if s, ok := v.Value().(string); ok {
		return s
	}
	return fmt.Sprint(v.Value())
}

// NamespaceMetadata is the namespaceObject an admission policy sees for a namespace with these
// labels and annotations.
func NamespaceMetadata(name string, labels, annotations map[string]string) map[string]any {
	l := map[string]any{}
	for k, v := range labels {
		l[k] = v
	}
	a := map[string]any{}
	for k, v := range annotations {
		a[k] = v
	}
	return map[string]any{"metadata": map[string]any{"name": name, "labels": l, "annotations": a}}
}

// pullAlways returns a copy of a pod whose containers and init containers pull always, as the
// pull policy's mutation leaves it.
func pullAlways(pod map[string]any) map[string]any {
	spec, ok := pod["spec"].(map[string]any)
	if !ok {
		return pod
	}
	spec2 := map[string]any{}
	for k, v := range spec {
		spec2[k] = v
	}
	for _, list := range []string{"containers", "initContainers"} {
		cs, ok := spec[list].([]any)
		if !ok {
			continue
		}
		out := make([]any, len(cs))
		for i, c := range cs {
			m, ok := c.(map[string]any)
			if !ok {
				out[i] = c
				continue
			}
			m2 := map[string]any{}
			for k, v := range m {
				m2[k] = v
			}
			m2["imagePullPolicy"] = "Always"
			out[i] = m2
		}
		spec2[list] = out
	}
	pod2 := map[string]any{}
	for k, v := range pod {
		pod2[k] = v
	}
	pod2["spec"] = spec2
	return pod2
}

func nestedMap(m map[string]any, keys ...string) (map[string]any, bool) {
	cur := m
	for _, k := range keys {
		next, ok := cur[k].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}
