package host

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

func TestStartError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err      error
		wantKind plugin.Kind
		wantMsg  string
	}{
		"missing":        {&fs.PathError{Op: "fork/exec", Path: "/p", Err: syscall.ENOENT}, plugin.KindConfig, "plugin /p cannot be started: no such file or directory"},
		"not executable": {&fs.PathError{Op: "fork/exec", Path: "/p", Err: syscall.EACCES}, plugin.KindConfig, "plugin /p cannot be started: permission denied"},
		"not a program":  {&fs.PathError{Op: "fork/exec", Path: "/p", Err: syscall.ENOEXEC}, plugin.KindConfig, "plugin /p cannot be started"},
		"handshake":      {errors.New("Unrecognized remote plugin message"), plugin.KindInternal, "starting plugin: Unrecognized remote plugin message"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := startError(tc.err)
			if plugin.KindOf(err) != tc.wantKind || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("startError() = %v (kind %v), want %v containing %q", err, plugin.KindOf(err), tc.wantKind, tc.wantMsg)
			}
		})
	}
}

func TestBoundStart(t *testing.T) {
	t.Parallel()
	if got := boundStart(context.Background(), 30*time.Second); got != 30*time.Second {
		t.Errorf("without a deadline: %v, want 30s", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if got := boundStart(ctx, 30*time.Second); got > 2*time.Second || got < time.Second {
		t.Errorf("with 2s left: %v, want about 2s", got)
	}
	past, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if got := boundStart(past, 30*time.Second); got != time.Millisecond {
		t.Errorf("past the deadline: %v, want 1ms", got)
	}
}

func TestDeadlineOr(t *testing.T) {
	t.Parallel()
	cause := errors.New("timeout while waiting for plugin to start")
	if err := deadlineOr(context.Background(), "/p", cause); err != cause {
		t.Errorf("without a deadline: %v, want the cause", err)
	}
	live, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := deadlineOr(live, "/p", cause); err != cause {
		t.Errorf("deadline not reached: %v, want the cause", err)
	}
	done, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	err := deadlineOr(done, "/p", cause)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "plugin /p did not start before the deadline") {
		t.Errorf("deadline reached: %v", err)
	}
}
