package host

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// startError classifies a failure to start the plugin: an executable that
// is missing, not executable or not a program for this machine is a
// configuration error (exit 2) naming it; anything else keeps its text.
func startError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && (errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.ENOEXEC)) {
		return plugin.Configf("plugin %s cannot be started: %v", pe.Path, pe.Err)
	}
	return fmt.Errorf("starting plugin: %w", err)
}

// boundStart shortens a start timeout to ctx's deadline, so that a plugin
// that never completes the handshake cannot outlast the caller's bound.
func boundStart(ctx context.Context, d time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		return max(min(d, time.Until(dl)), time.Millisecond)
	}
	return d
}

// deadlineOr returns err, or, when ctx's deadline is what ended the
// start (go-plugin's timer, set by boundStart, fires with it), an error
// naming the plugin that wraps ctx's error.
func deadlineOr(ctx context.Context, path string, err error) error {
	if _, ok := ctx.Deadline(); !ok {
		return err
	}
	select {
	case <-ctx.Done():
	case <-time.After(50 * time.Millisecond):
	}
	if ctx.Err() != nil {
		return fmt.Errorf("plugin %s did not start before the deadline: %w", path, ctx.Err())
	}
	return err
}
