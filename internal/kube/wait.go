package kube

import (
	"context"
	"errors"
	"time"
)

// poll calls done with backoff (100 ms doubling to 2 s) until it reports true, fails, or ctx
// ends; then explain says what was still missing. Backoff keeps long waits cheap for the API server.
func poll(ctx context.Context, done func() (bool, error), explain func() string) error {
	delay := 100 * time.Millisecond
	for {
		ok, err := done()
		if ok {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.New("timed out: " + explain())
		case <-time.After(delay):
		}
		if delay *= 2; delay > 2*time.Second {
			delay = 2 * time.Second
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
