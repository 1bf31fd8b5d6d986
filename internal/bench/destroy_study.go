package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DestroyStudy says where a destroy's time goes: ours' destroy at the default -parallelism (in
// Results), at a -parallelism as large as N, and the namespace controller alone deleting the same
// namespaces when the API is asked directly, all at once (what no provider can beat).
type DestroyStudy struct {
	N                 int     `json:"n"`
	Parallelism       int     `json:"parallelism"`
	Wide              *Step   `json:"wide,omitempty"`
	ControllerSeconds float64 `json:"controller_seconds,omitempty"`
	Err               string  `json:"error,omitempty"`
}

// StudyDestroy applies cfg, destroys it with -parallelism=N, applies it again and deletes the
// namespaces through the API, timing how long the controller takes to remove them all.
func (r *Runner) StudyDestroy(ctx context.Context, cfg Config) DestroyStudy {
	out := DestroyStudy{N: cfg.N, Parallelism: cfg.N}
	v := &variantRun{cfg: cfg, dir: filepath.Join(r.WorkRoot, fmt.Sprintf("%s-%d-destroy", cfg.Variant, cfg.N))}
	if err := r.prepare(ctx, v); err != nil {
		out.Err = err.Error()
		return out
	}
	apply := func() error {
		s := r.Run(ctx, v.dir, cfg.ProviderBinary, "apply", "-input=false", "-no-color", "-auto-approve", "-parallelism="+strconv.Itoa(r.Parallelism))
		if s.Err != "" {
			return errors.New("apply failed: " + s.Err)
		}
		return nil
	}
	cleanup := func() {
		r.Run(context.WithoutCancel(ctx), v.dir, cfg.ProviderBinary, "destroy", "-input=false", "-no-color", "-auto-approve", "-parallelism="+strconv.Itoa(r.Parallelism))
	}
	if err := apply(); err != nil {
		out.Err = err.Error()
		cleanup()
		return out
	}
	fmt.Fprintf(r.Log, "bench: N=%d destroy %s at -parallelism=%d\n", cfg.N, cfg.Variant, cfg.N)
	out.Wide = ptr(r.Run(context.WithoutCancel(ctx), v.dir, cfg.ProviderBinary, "destroy", "-input=false", "-no-color", "-auto-approve", "-parallelism="+strconv.Itoa(cfg.N)))
	if err := apply(); err != nil {
		out.Err = err.Error()
		cleanup()
		return out
	}
	fmt.Fprintf(r.Log, "bench: N=%d deleting the namespaces through the API\n", cfg.N)
	secs, err := r.API.DeleteNamespaces(ctx, cfg.Namespaces)
	if err != nil {
		out.Err = err.Error()
	}
	out.ControllerSeconds = secs
	cleanup() // the namespaces are gone: refresh drops them from state
	return out
}

// DeleteNamespaces deletes namespaces all at once and returns how long until the API server had
// none of them left.
func (a API) DeleteNamespaces(ctx context.Context, names []string) (float64, error) {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = a.do(ctx, http.MethodDelete, n, http.StatusOK, http.StatusAccepted)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	left := names
	for len(left) > 0 {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		var still []string
		for _, n := range left {
			if err := a.do(ctx, http.MethodGet, n, http.StatusNotFound); err != nil {
				still = append(still, n)
			}
		}
		left = still
		if len(left) > 0 {
			time.Sleep(50 * time.Millisecond)
		}
	}
	return time.Since(start).Seconds(), nil
}

func (a API) do(ctx context.Context, method, namespace string, want ...int) error {
	req, err := http.NewRequestWithContext(ctx, method, a.Host+"/api/v1/namespaces/"+url.PathEscape(namespace), nil)
	if err != nil {
		return err
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	for _, w := range want {
		if resp.StatusCode == w {
			return nil
		}
	}
	return fmt.Errorf("%s namespace %s: %s", method, namespace, resp.Status)
}

// renderDestroyStudy writes what the study found.
func renderDestroyStudy(b *strings.Builder, rep Report) {
	st := rep.Destroy
	if st == nil {
		return
	}
	fmt.Fprintf(b, "## Where destroy time goes: N = %d\n\n", st.N)
	if st.Err != "" {
		fmt.Fprintf(b, "The study failed: %s\n\n", oneLine(st.Err))
		return
	}
	def, okDef := stepSeconds(rep.Find(Ours, st.N), func(r *Result) *Step { return r.Destroy })
	wide, okWide := 0.0, st.Wide != nil && st.Wide.Err == ""
	if okWide {
		wide = st.Wide.Seconds
	}
	cell := func(v float64, ok bool) string {
		if !ok {
			return "—"
		}
		return fmt.Sprintf("%.1f", v)
	}
	b.WriteString("| how | seconds |\n|---|---:|\n")
	fmt.Fprintf(b, "| `terraform destroy -parallelism=%d` (the default) | %s |\n", rep.Parallelism, cell(def, okDef))
	fmt.Fprintf(b, "| `terraform destroy -parallelism=%d` | %s |\n", st.N, cell(wide, okWide))
	fmt.Fprintf(b, "| the API asked to delete all %d namespaces at once, until none is left | %.1f |\n\n", st.N, st.ControllerSeconds)
	b.WriteString("A destroy deletes each namespace and waits until the namespace controller has removed its content; " +
		"the last row is that controller alone. What the default parallelism adds to it is Terraform waiting for " +
		"namespaces in batches; a wider `-parallelism` hands the controller more at once.\n\n")
}
