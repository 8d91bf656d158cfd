package oauth

import (
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// fullBacklog returns a loopback address whose listener never accepts and
// whose accept queue is full, so that Linux drops further SYNs and a
// connect hangs: a dial timeout without leaving loopback.
func fullBacklog(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skipf("socket: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skipf("bind: %v", err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skipf("listen: %v", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Skipf("getsockname: %v", err)
	}
	addr := (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}).String()
	// Fill the queue: with backlog 0 the kernel queues one connection.
	for range 4 {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			return addr // the queue is full
		}
		t.Cleanup(func() { _ = c.Close() })
	}
	t.Skip("the kernel kept accepting connections; cannot provoke a dial timeout on loopback")
	return ""
}

// TestHTTPClientDialTimeout: a connect that hangs is given up on after the
// dial timeout and reported as timed out.
func TestHTTPClientDialTimeout(t *testing.T) {
	t.Parallel()
	addr := fullBacklog(t)
	hc, err := NewHTTPClient(HTTPOptions{DialTimeout: 200 * time.Millisecond, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c := testClient("http://"+addr+"/token", nil)
	c.HTTPClient, c.MaxRetries = hc, -1
	start := time.Now()
	_, err = c.Token(t.Context(), url.Values{})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Token() took %v with a 200ms dial timeout", took)
	}
	if plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), addr+": timed out") {
		t.Errorf("error = %v (kind %v), want unavailable, %q", err, plugin.KindOf(err), addr+": timed out")
	}
}
