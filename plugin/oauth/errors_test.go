package oauth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestTransportError(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://login.example.com/t?x=1", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	type result struct {
		Msg   string
		Retry bool
	}
	tests := map[string]struct {
		err  error
		want result
	}{
		"refused":  {err: wrap(os.NewSyscallError("connect", syscall.ECONNREFUSED)), want: result{"login.example.com: connection refused", true}},
		"reset":    {err: wrap(os.NewSyscallError("read", syscall.ECONNRESET)), want: result{"login.example.com: connection reset", true}},
		"eof":      {err: &url.Error{Op: "Post", URL: "u", Err: io.EOF}, want: result{"login.example.com: connection closed by server", true}},
		"timeout":  {err: wrap(os.ErrDeadlineExceeded), want: result{"login.example.com: timed out", true}},
		"dns":      {err: wrap(&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}), want: result{"login.example.com: cannot resolve host: no such host", false}},
		"dns temp": {err: wrap(&net.DNSError{Err: "server misbehaving", IsTemporary: true}), want: result{"login.example.com: cannot resolve host: server misbehaving", true}},
		"other":    {err: &url.Error{Op: "Post", URL: "https://login.example.com/t?x=1", Err: errors.New("boom")}, want: result{"login.example.com: boom", true}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := transportError(t.Context(), "login.example.com", tc.err)
			if diff := cmp.Diff(tc.want, result{err.Error(), retryable(err)}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if plugin.KindOf(err) != plugin.KindUnavailable || !errors.Is(err, tc.err) {
				t.Errorf("error %v: kind %v, want unavailable wrapping the cause", err, plugin.KindOf(err))
			}
		})
	}
}

func TestTransportErrorAfterCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := transportError(ctx, "h", errors.New("whatever"))
	if err.Error() != "h: request canceled" || retryable(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("transportError() = %v (retryable %v)", err, retryable(err))
	}
}
