//go:build !linux

package bench

import "errors"

// waitExited is Linux only (waitid and /proc); elsewhere the CPU split is not measured.
func waitExited(int) error { return errors.New("waiting without reaping needs Linux") }
