package protocol

import (
	"context"
	"fmt"
	"io"
	"time"
)

// StdinTimeoutExit is the exit code of a call whose request did not
// arrive within --timeout: 5, as for every call --timeout ends
// (CONTRACT §7).
const StdinTimeoutExit = 5

// StdinTimeout is the error of reading a host tool's request from
// standard input when the request does not arrive within --timeout.
type StdinTimeout struct {
	// Tool is the host tool whose request it is: "git", "docker", ….
	Tool string
	// Timeout is the --timeout that passed.
	Timeout time.Duration
}

// Error names the tool and the timeout.
func (e *StdinTimeout) Error() string {
	return fmt.Sprintf("%s's request did not arrive on standard input within --timeout %s", e.Tool, e.Timeout)
}

// Unwrap makes a StdinTimeout a context.DeadlineExceeded, as every
// timeout of a call is.
func (e *StdinTimeout) Unwrap() error { return context.DeadlineExceeded }

// BoundStdin returns a reader of r that gives up once timeout has passed
// from now: a Read still waiting then returns a *StdinTimeout naming
// tool, and so does every later Read. Without a timeout (≤ 0) it returns
// r itself.
//
// A Read that gives up leaves a goroutine blocked in r's Read until r
// returns; what that Read gets is lost. Reading r after a timeout is
// over, so this is for a process that then answers and exits.
func BoundStdin(r io.Reader, tool string, timeout time.Duration) io.Reader {
	if timeout <= 0 {
		return r
	}
	return &boundReader{r: r, deadline: time.Now().Add(timeout), err: &StdinTimeout{Tool: tool, Timeout: timeout}}
}

// boundReader is BoundStdin's reader.
type boundReader struct {
	r        io.Reader
	deadline time.Time
	err      *StdinTimeout
	expired  bool
}

// readResult is the outcome of one Read of the underlying reader.
type readResult struct {
	data []byte
	err  error
}

// Read reads from the underlying reader in a goroutine, waiting for it at
// most until the deadline.
func (b *boundReader) Read(p []byte) (int, error) {
	if b.expired || !time.Now().Before(b.deadline) {
		b.expired = true
		return 0, b.err
	}
	done := make(chan readResult, 1)
	buf := make([]byte, len(p))
	go func() {
		n, err := b.r.Read(buf)
		done <- readResult{buf[:n], err}
	}()
	timer := time.NewTimer(time.Until(b.deadline))
	defer timer.Stop()
	select {
	case res := <-done:
		return copy(p, res.data), res.err
	case <-timer.C:
		b.expired = true
		return 0, b.err
	}
}
