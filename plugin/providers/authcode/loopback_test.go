package authcode

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// hasIPv6Loopback reports whether this machine can listen on [::1].
func hasIPv6Loopback() bool {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func startListener(t *testing.T, redirect string) *listener {
	t.Helper()
	u, err := parseRedirect(redirect, ModeLoopback)
	if err != nil {
		t.Fatal(err)
	}
	l, err := listen(u, expect{state: "the-state", host: "login.example"}, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.close)
	return l
}

func get(u string) (int, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func TestListenerTakesExactlyOneCallback(t *testing.T) {
	t.Parallel()
	l := startListener(t, "http://localhost/callback")
	base := strings.TrimSuffix(l.redirect, "/callback")
	if status, err := get(base + "/favicon.ico"); err != nil || status != http.StatusNotFound {
		t.Errorf("other path: %d, %v; want 404 without using up the callback", status, err)
	}
	if status, err := get(l.redirect + "?code=c&state=the-state"); err != nil || status != http.StatusOK {
		t.Fatalf("callback: %d, %v", status, err)
	}
	code, err := l.wait(context.Background(), time.Second)
	if err != nil || code != "c" {
		t.Fatalf("wait = %q, %v", code, err)
	}
	if status, err := get(l.redirect + "?code=c2&state=the-state"); err != nil || status != http.StatusGone {
		t.Errorf("second callback before close: %d, %v; want 410", status, err)
	}
	l.close()
	if _, err := get(l.redirect + "?code=c3&state=the-state"); err == nil {
		t.Errorf("a callback after close got an answer; want the connection refused")
	}
}

func TestListenerBindsBothLoopbackFamilies(t *testing.T) {
	t.Parallel()
	l := startListener(t, "http://localhost/")
	u, _ := url.Parse(l.redirect)
	port := u.Port()
	if u.Hostname() != "localhost" || port == "" || port == "0" {
		t.Fatalf("redirect %q, want localhost with the bound port", l.redirect)
	}
	families := []string{"127.0.0.1"}
	if hasIPv6Loopback() {
		families = append(families, "::1")
	} else {
		t.Log("no IPv6 loopback here: checking 127.0.0.1 only")
	}
	for _, h := range families {
		conn, err := net.Dial("tcp", net.JoinHostPort(h, port))
		if err != nil {
			t.Errorf("dial %s: %v", h, err)
			continue
		}
		conn.Close()
		if ln, err := net.Listen("tcp", net.JoinHostPort(h, port)); err == nil || !errors.Is(err, syscall.EADDRINUSE) {
			if ln != nil {
				ln.Close()
			}
			t.Errorf("another process could listen on %s:%s (err %v)", h, port, err)
		}
	}
}

func TestListenerRedirectWithoutPath(t *testing.T) {
	t.Parallel()
	l := startListener(t, "http://localhost")
	u, _ := url.Parse(l.redirect)
	if u.Path != "" || u.Port() == "" {
		t.Fatalf("redirect %q, want http://localhost:PORT as configured, without a slash", l.redirect)
	}
	if status, err := get(l.redirect + "?code=c&state=the-state"); err != nil || status != http.StatusOK {
		t.Fatalf("callback: %d, %v", status, err)
	}
	if code, err := l.wait(context.Background(), time.Second); err != nil || code != "c" {
		t.Errorf("wait = %q, %v", code, err)
	}
}

func TestListenerOneFamily(t *testing.T) {
	t.Parallel()
	l := startListener(t, "http://127.0.0.1/cb")
	u, _ := url.Parse(l.redirect)
	if u.Hostname() != "127.0.0.1" || u.Path != "/cb" {
		t.Errorf("redirect %q", l.redirect)
	}
	if hasIPv6Loopback() {
		ln, err := net.Listen("tcp", net.JoinHostPort("::1", u.Port()))
		if err != nil {
			t.Errorf("127.0.0.1 only, yet [::1]:%s is taken: %v", u.Port(), err)
		} else {
			ln.Close()
		}
	}
}

func TestListenerFixedPortInUse(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	u, _ := parseRedirect("http://localhost:"+strconv.Itoa(port)+"/", ModeLoopback)
	_, err = listen(u, expect{state: "s", host: "h"}, hclog.NewNullLogger())
	if plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("error %v, want a configuration error naming the port", err)
	}
}

func TestListenerTimesOut(t *testing.T) {
	t.Parallel()
	l := startListener(t, "http://localhost/")
	start := time.Now()
	_, err := l.wait(context.Background(), 50*time.Millisecond)
	if plugin.KindOf(err) != plugin.KindInteraction || !strings.Contains(err.Error(), "timed out") || time.Since(start) > 5*time.Second {
		t.Errorf("error %v (kind %v), want a timeout needing a person", err, plugin.KindOf(err))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.wait(ctx, time.Hour); plugin.KindOf(err) != plugin.KindInteraction {
		t.Errorf("with a deadline: error %v, want a timeout needing a person", err)
	}
}

func TestProviderCallbackTimeout(t *testing.T) {
	t.Parallel()
	f := newFakeServer(t)
	ia := newInteraction()
	ia.noBrowser = true // nobody opens the URL
	_, err := Provider{CallbackTimeout: 50 * time.Millisecond}.GetToken(context.Background(), request(f, ia, nil))
	if plugin.KindOf(err) != plugin.KindInteraction {
		t.Errorf("error %v, want a timeout needing a person", err)
	}
}

func TestJudge(t *testing.T) {
	t.Parallel()
	q := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tests := map[string]struct {
		q        url.Values
		wantCode string
		wantKind plugin.Kind
	}{
		"code":             {q("code", "c", "state", "s"), "c", plugin.KindInternal},
		"wrong state":      {q("code", "c", "state", "t"), "", plugin.KindRefused},
		"state prefix":     {q("code", "c", "state", "s2"), "", plugin.KindRefused},
		"error, bad state": {q("error", "login_required", "state", "x"), "", plugin.KindRefused},
		"consent_required": {q("error", "consent_required", "state", "s"), "", plugin.KindInteraction},
		"server_error":     {q("error", "server_error", "state", "s"), "", plugin.KindUnavailable},
		"empty":            {q("state", "s"), "", plugin.KindRefused},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, err := judge(tc.q, expect{state: "s", host: "login.example"})
			if code != tc.wantCode || (err != nil) != (tc.wantKind != plugin.KindInternal) || (err != nil && plugin.KindOf(err) != tc.wantKind) {
				t.Errorf("judge = %q, %v (kind %v); want %q, kind %v", code, err, plugin.KindOf(err), tc.wantCode, tc.wantKind)
			}
		})
	}
}
