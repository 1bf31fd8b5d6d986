package kube

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// poll calls done with backoff (100 ms doubling to 2 s) until it reports true, fails, or ctx
// ends; then explain says what was still missing. Backoff keeps long waits cheap for the API server.
// Transient errors (a 503 while the API server restarts, 429, timeouts) are retried until ctx ends:
// one of them must not fail a ten-minute destroy.
func poll(ctx context.Context, done func() (bool, error), explain func() string) error {
	return pollUpTo(ctx, 2*time.Second, done, explain)
}

// pollUpTo is poll with the delay between attempts capped at maxDelay.
func pollUpTo(ctx context.Context, maxDelay time.Duration, done func() (bool, error), explain func() string) error {
	delay := 100 * time.Millisecond
	var lastTransient error
	for {
		ok, err := done()
		if ok {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			if !isTransient(err) {
				return err
			}
			lastTransient = err
		}
		select {
		case <-ctx.Done():
			if lastTransient != nil {
				return fmt.Errorf("timed out: %s (last error: %w)", explain(), lastTransient)
			}
			return errors.New("timed out: " + explain())
		case <-time.After(delay):
		}
		if delay *= 2; delay > maxDelay {
			delay = maxDelay
		}
	}
}

// RetryWhile repeats f while its error satisfies transient, for up to 30 seconds (or the context).
func RetryWhile(ctx context.Context, transient func(error) bool, f func() error) error {
	deadline := time.Now().Add(30 * time.Second)
	delay := 200 * time.Millisecond
	for {
		err := f()
		if err == nil || !transient(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		if delay < 2*time.Second {
			delay *= 2
		}
	}
}

// isTransient says whether an error may go away by itself: the API server busy, restarting or
// briefly unreachable.
func isTransient(err error) bool {
	var netErr net.Error
	switch {
	case apierrors.IsServiceUnavailable(err), apierrors.IsTooManyRequests(err), apierrors.IsServerTimeout(err),
		apierrors.IsTimeout(err), apierrors.IsInternalError(err):
		return true
	case errors.As(err, &netErr):
		return true
	}
	return false
}
