package host

import (
	"context"
	"os/exec"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin/runner"
)

// exitRecord keeps how the plugin process ended, for PluginExitedError.
type exitRecord struct {
	mu     sync.Mutex
	done   bool
	status string
}

// set records the result of waiting for the process.
func (r *exitRecord) set(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = true
	r.status = "exit status 0"
	if err != nil {
		r.status = err.Error() // "signal: killed", "exit status 2"
	}
}

// get returns the recorded status; "" while the process runs or on a
// nil record.
func (r *exitRecord) get() string {
	if r == nil {
		return ""
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// recordingRunner is a runner that records its process's end in rec.
type recordingRunner struct {
	runner.Runner
	rec *exitRecord
}

// Wait waits for the process and records how it ended.
func (r recordingRunner) Wait(ctx context.Context) error {
	err := r.Runner.Wait(ctx)
	r.rec.set(err)
	return err
}

// recordExit wraps a RunnerFunc so that its runner records in rec how the
// process ended.
func recordExit(f func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error), rec *exitRecord) func(hclog.Logger, *exec.Cmd, string) (runner.Runner, error) {
	return func(l hclog.Logger, cmd *exec.Cmd, dir string) (runner.Runner, error) {
		r, err := f(l, cmd, dir)
		if err != nil {
			return nil, err
		}
		return recordingRunner{Runner: r, rec: rec}, nil
	}
}
