package protocol

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// stalledReader returns its data, then blocks until the test ends, like a
// pipe whose writer never closes it.
type stalledReader struct {
	data string
	wait <-chan struct{}
}

func (r *stalledReader) Read(p []byte) (int, error) {
	if r.data == "" {
		<-r.wait
		return 0, io.EOF
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestBoundStdinGivesUp(t *testing.T) {
	t.Parallel()
	wait := make(chan struct{})
	t.Cleanup(func() { close(wait) })
	r := BoundStdin(&stalledReader{data: "protocol=https\n", wait: wait}, "git", 50*time.Millisecond)
	start := time.Now()
	data, err := io.ReadAll(r)
	took := time.Since(start)
	var te *StdinTimeout
	if !errors.As(err, &te) || te.Tool != "git" || te.Timeout != 50*time.Millisecond {
		t.Fatalf("ReadAll: %v; want a *StdinTimeout for git after 50ms", err)
	}
	if string(data) != "protocol=https\n" {
		t.Errorf("read %q before the timeout, want what arrived", data)
	}
	if took > 5*time.Second {
		t.Errorf("gave up after %v", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("a StdinTimeout is not a context.DeadlineExceeded (exit 5)")
	}
	if want := "git's request did not arrive on standard input within --timeout 50ms"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if n, err := r.Read(make([]byte, 8)); n != 0 || !errors.As(err, &te) {
		t.Errorf("Read after the timeout = %d, %v; want the timeout again", n, err)
	}
}

func TestBoundStdinPassesAWholeRequest(t *testing.T) {
	t.Parallel()
	data, err := io.ReadAll(BoundStdin(strings.NewReader(`{"uri":"https://h/"}`), "bazel", time.Minute))
	if err != nil || string(data) != `{"uri":"https://h/"}` {
		t.Errorf("ReadAll = %q, %v", data, err)
	}
	plain := strings.NewReader("x")
	if r := BoundStdin(plain, "git", 0); r != io.Reader(plain) {
		t.Error("without a timeout BoundStdin wraps the reader")
	}
}
