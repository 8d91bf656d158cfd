package oauth

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// silentListener accepts connections on loopback and never says a word,
// as a TLS terminator that hangs would.
func silentListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		<-done
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

// TestHTTPClientTLSHandshakeTimeout: a server that accepts the connection
// but never answers the TLS handshake is given up on after the handshake
// timeout, not the whole-request one, and reported as timed out.
func TestHTTPClientTLSHandshakeTimeout(t *testing.T) {
	t.Parallel()
	addr := silentListener(t)
	hc, err := NewHTTPClient(HTTPOptions{TLSHandshakeTimeout: 200 * time.Millisecond, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c := testClient("https://"+addr+"/token", nil)
	c.HTTPClient, c.MaxRetries = hc, -1
	start := time.Now()
	_, err = c.Token(t.Context(), url.Values{})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Token() took %v with a 200ms handshake timeout", took)
	}
	if plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), addr+": timed out") {
		t.Errorf("error = %v (kind %v), want unavailable, %q", err, plugin.KindOf(err), addr+": timed out")
	}
}

// TestHTTPClientRequestTimeout: a server that takes the request and never
// answers is given up on after the per-request timeout.
func TestHTTPClientRequestTimeout(t *testing.T) {
	t.Parallel()
	addr := silentListener(t)
	hc, err := NewHTTPClient(HTTPOptions{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	c := testClient("http://"+addr+"/token", nil)
	c.HTTPClient, c.MaxRetries = hc, -1
	start := time.Now()
	_, err = c.Token(t.Context(), url.Values{})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Token() took %v with a 200ms request timeout", took)
	}
	if plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), addr+": timed out") {
		t.Errorf("error = %v (kind %v), want unavailable, %q", err, plugin.KindOf(err), addr+": timed out")
	}
}

// TestHTTPClientDefaultTimeouts: the defaults are set on a client built
// with zero options.
func TestHTTPClientDefaultTimeouts(t *testing.T) {
	t.Parallel()
	hc, err := NewHTTPClient(HTTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if hc.Timeout != DefaultRequestTimeout {
		t.Errorf("Timeout = %v, want %v", hc.Timeout, DefaultRequestTimeout)
	}
	tr := hc.Transport.(*http.Transport)
	if tr.TLSHandshakeTimeout != DefaultTLSHandshakeTimeout {
		t.Errorf("TLSHandshakeTimeout = %v, want %v", tr.TLSHandshakeTimeout, DefaultTLSHandshakeTimeout)
	}
	if tr.DialContext == nil {
		t.Error("no DialContext: the dial timeout is not set")
	}
}
