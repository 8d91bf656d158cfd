package authcode

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// maxBindAttempts bounds the search for an ephemeral port free on both
// loopback families.
const maxBindAttempts = 8

// listener is the loopback end of the redirect: an HTTP server on one port
// of 127.0.0.1 and [::1] that takes exactly one callback.
type listener struct {
	redirect string // the redirect URI, with the port
	path     string
	expect   expect
	srv      *http.Server
	lns      []net.Listener
	used     atomic.Bool
	done     chan result
}

// listen binds the redirect's loopback addresses and starts serving.
func listen(redirect *url.URL, e expect, log hclog.Logger) (*listener, error) {
	lns, err := bind(loopbackHosts(redirect.Hostname()), redirect.Port(), log)
	if err != nil {
		return nil, err
	}
	u := *redirect
	u.Host = net.JoinHostPort(redirect.Hostname(), strconv.Itoa(lns[0].Addr().(*net.TCPAddr).Port))
	path := u.Path
	if path == "" {
		path = "/" // a browser asks for / when the redirect has no path
	}
	l := &listener{redirect: u.String(), path: path, expect: e, lns: lns, done: make(chan result, 1)}
	l.srv = &http.Server{Handler: l, ReadHeaderTimeout: 10 * time.Second}
	for _, ln := range lns {
		go func() { _ = l.srv.Serve(ln) }()
	}
	return l, nil
}

// wait returns the code of the one callback, bounded by ctx's deadline or,
// without one, by timeout.
func (l *listener) wait(ctx context.Context, timeout time.Duration) (string, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	select {
	case r := <-l.done:
		return r.code, r.err
	case <-ctx.Done():
		return "", waitError(ctx.Err())
	}
}

// close stops listening at once and lets an answer in flight finish. The
// listeners are closed here too, in case a Serve goroutine had not yet
// started when Shutdown ran.
func (l *listener) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if l.srv.Shutdown(ctx) != nil {
		_ = l.srv.Close()
	}
	closeAll(l.lns)
}

// bind listens on every host at one port: the given one, or an ephemeral
// port that is free on all of them.
func bind(hosts []string, port string, log hclog.Logger) ([]net.Listener, error) {
	if port != "" && port != "0" {
		lns, err := bindAt(hosts, port, log)
		if err != nil {
			return nil, plugin.Configf("redirect_uri port %s: %v", port, err)
		}
		return lns, nil
	}
	var err error
	for range maxBindAttempts {
		var lns []net.Listener
		if lns, err = bindAt(hosts, "0", log); err == nil {
			return lns, nil
		}
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	return nil, fmt.Errorf("listening for the sign-in redirect: %w", err)
}

// bindAt listens on each host at port; "0" picks a port on the first host
// and reuses it for the others. When both families are wanted and ::1
// cannot be bound for any reason but "in use", the machine has no IPv6
// loopback and 127.0.0.1 alone serves.
func bindAt(hosts []string, port string, log hclog.Logger) ([]net.Listener, error) {
	var lns []net.Listener
	for i, h := range hosts {
		ln, err := net.Listen("tcp", net.JoinHostPort(h, port))
		if err != nil && i > 0 && h == "::1" && !errors.Is(err, syscall.EADDRINUSE) {
			log.Debug("no IPv6 loopback; the redirect listener uses 127.0.0.1 only", "error", err.Error())
			continue
		}
		if err != nil {
			closeAll(lns)
			return nil, err
		}
		lns = append(lns, ln)
		port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	}
	return lns, nil
}

func closeAll(lns []net.Listener) {
	for _, ln := range lns {
		_ = ln.Close()
	}
}
