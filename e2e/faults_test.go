package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
)

// This file drives authorization-server faults end to end through the CLI
// (issue "Retry policy, complete" / "Fault tests"). Each fault is a
// hand-written httptest fake: no real server misbehaves on demand. For
// every failure keyfob must exit with the documented code (CONTRACT §7),
// print at most one stderr line at the default log level naming the host
// and the condition, print nothing on stdout, and leave the cache as it
// was: no access entry is written, and an entry that was there survives
// the failed refresh. The one deliberate write is the negative entry for
// a 429 with Retry-After and for invalid_client ([cache] item 4), which
// lets the next calls fail at once instead of hammering the server.

// faultSecret is the client secret of every fault profile.
const faultSecret = "fault-secret-4711"

// faultHandler answers the n-th (1-based) token request of the failure
// phase.
type faultHandler func(w http.ResponseWriter, r *http.Request, n int64)

// faultServer is a token endpoint that answers well while primed and with
// the fault afterwards.
type faultServer struct {
	*httptest.Server
	failing  atomic.Bool
	requests atomic.Int64 // requests of the failure phase
	primes   atomic.Int64
}

func startFaultServer(t *testing.T, fault faultHandler) *faultServer {
	t.Helper()
	s := &faultServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.failing.Load() {
			writeToken(w, fmt.Sprintf("primed-token-%d", s.primes.Add(1)), 3600)
			return
		}
		fault(w, r, s.requests.Add(1))
	}))
	t.Cleanup(s.Close)
	s.failing.Store(true)
	return s
}

// host is the server's host:port, which error messages must name.
func (s *faultServer) host() string { return strings.TrimPrefix(s.URL, "http://") }

// args is a complete client_credentials command line against s.
func (s *faultServer) args(extra ...string) []string {
	return append([]string{"token", "--provider", "client_credentials", "--token-url", s.URL + "/token",
		"--client-id", "app", "--client-secret", "env:" + clientSecretVar, "--scope", "api"}, extra...)
}

func writeToken(w http.ResponseWriter, token string, expiresIn int) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": token, "token_type": "Bearer", "expires_in": expiresIn})
}

func writeStatus(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// resetConnection answers with a TCP RST: the connection is taken over and
// closed with SO_LINGER 0.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// stall answers nothing until the client gives up (or a minute passes).
// The body is read first: only then does the server notice a client that
// hangs up.
func stall(r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(time.Minute):
	}
}

const htmlErrorPage = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1>\n<p>The proxy got no answer.</p></body></html>\n"

// faultCase is one misbehaviour of the token endpoint and what keyfob
// must make of it.
type faultCase struct {
	fault faultHandler
	// args are extra command-line arguments (--timeout).
	args []string
	// wantExit is the exit code; 0 for faults that retries overcome.
	wantExit int
	// want are strings the one stderr line must hold besides the host.
	want []string
	// wantRequests is how many requests the server must see; 0 skips.
	wantRequests int64
	// negative is set when a negative entry must be written.
	negative bool
	// maxDuration bounds the failing run; 0 skips.
	maxDuration time.Duration
}

var faultCases = map[string]faultCase{
	"500 twice then success": {
		fault: func(w http.ResponseWriter, _ *http.Request, n int64) {
			if n <= 2 {
				writeStatus(w, 500, "application/json", `{"error":"server_error"}`)
				return
			}
			writeToken(w, "token-after-retries", 3600)
		},
		wantRequests: 3,
	},
	"429 with Retry-After 1 then success": {
		fault: func(w http.ResponseWriter, _ *http.Request, n int64) {
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				writeStatus(w, 429, "application/json", `{"error":"too_many_requests"}`)
				return
			}
			writeToken(w, "token-after-throttling", 3600)
		},
		wantRequests: 2,
	},
	"429 with Retry-After beyond the deadline": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
		},
		wantExit:     5,
		want:         []string{"HTTP 429", "retry after 2m0s"},
		wantRequests: 1,
		negative:     true,
		maxDuration:  10 * time.Second,
	},
	"503 always": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 503, "text/plain", "Service Unavailable\n")
		},
		wantExit:     5,
		want:         []string{"HTTP 503", "after 3 attempts"},
		wantRequests: 3,
	},
	"temporarily_unavailable always": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 400, "application/json", `{"error":"temporarily_unavailable","error_description":"try later"}`)
		},
		wantExit:     5,
		want:         []string{"temporarily_unavailable", "after 3 attempts"},
		wantRequests: 3,
	},
	"server slower than the timeout": {
		fault:        func(_ http.ResponseWriter, r *http.Request, _ int64) { stall(r) },
		args:         []string{"--timeout", "2s"},
		wantExit:     5,
		want:         []string{"deadline exceeded"},
		wantRequests: 1,
		maxDuration:  8 * time.Second,
	},
	"connection reset": {
		fault:        func(w http.ResponseWriter, _ *http.Request, _ int64) { resetConnection(w) },
		wantExit:     5,
		want:         []string{"connection reset", "after 3 attempts"},
		wantRequests: 3,
	},
	"truncated JSON": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 200, "application/json", `{"access_token":"abc","token_type":"Bea`)
		},
		wantExit:     5,
		want:         []string{"HTTP 200", "truncated"},
		wantRequests: 1,
	},
	"HTML error page": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 502, "text/html; charset=utf-8", htmlErrorPage)
		},
		wantExit:     5,
		want:         []string{"HTTP 502", "after 3 attempts"},
		wantRequests: 3,
	},
	"HTML page with status 200": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 200, "text/html; charset=utf-8", htmlErrorPage)
		},
		wantExit:     5,
		want:         []string{"HTTP 200", "text/html", "not JSON"},
		wantRequests: 1,
	},
	"valid response padded past 1 MiB": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			body := `{"access_token":"padded-token","token_type":"Bearer","expires_in":3600}` + strings.Repeat(" ", 1<<20)
			writeStatus(w, 200, "application/json", body)
		},
		wantExit:     5,
		want:         []string{"1 MiB"},
		wantRequests: 1,
	},
	"wrong content type": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 200, "text/plain", `{"access_token":"plain-token","token_type":"Bearer","expires_in":3600}`)
		},
		wantExit:     5,
		want:         []string{"content type text/plain", "not JSON"},
		wantRequests: 1,
	},
	"invalid_client": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 401, "application/json", `{"error":"invalid_client","error_description":"bad secret"}`)
		},
		wantExit:     3,
		want:         []string{"invalid_client", "bad secret"},
		wantRequests: 1,
		negative:     true,
	},
	"terminal escapes in the error": {
		fault: func(w http.ResponseWriter, _ *http.Request, _ int64) {
			writeStatus(w, 400, "application/json", `{"error":"invalid_scope\u001b[2J","error_description":"\u001b[31mred\u001b[0m\r\nsecond line\u0007"}`)
		},
		wantExit:     3,
		want:         []string{"invalid_scope", "red", "second line"},
		wantRequests: 1,
	},
	"redirect": {
		fault: func(w http.ResponseWriter, r *http.Request, _ int64) {
			http.Redirect(w, r, "http://127.0.0.1:1/elsewhere", http.StatusTemporaryRedirect)
		},
		wantExit:     2,
		want:         []string{"HTTP 307", "redirect"},
		wantRequests: 1,
	},
}

// TestFaultsFreshCache runs each fault against an empty cache.
func TestFaultsFreshCache(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	for name, tc := range faultCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := startFaultServer(t, tc.fault)
			home := t.TempDir()
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(tc.args...), Env: env(clientSecretVar, faultSecret)})
			checkFault(t, res, s, tc)
			if tc.wantExit != 0 {
				checkCacheFiles(t, home, 0, tc.negative)
			}
		})
	}
}

// TestFaultsKeepCachedToken: a cached token survives a failed refresh
// (forced with --force-refresh) and is served again afterwards.
func TestFaultsKeepCachedToken(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	for name, tc := range faultCases {
		if tc.wantExit == 0 {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := startFaultServer(t, tc.fault)
			home := t.TempDir()
			vars := env(clientSecretVar, faultSecret)
			s.failing.Store(false)
			prime := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(), Env: vars})
			checkSuccess(t, prime, faultSecret)
			before := readAccessEntry(t, home)
			s.failing.Store(true)

			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(append(tc.args, "--force-refresh")...), Env: vars})
			checkFault(t, res, s, tc)
			if after := readAccessEntry(t, home); !bytes.Equal(before, after) {
				t.Errorf("the failed refresh changed the cached entry")
			}
			checkCacheFiles(t, home, 1, tc.negative)

			again := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(), Env: vars})
			checkSuccess(t, again, faultSecret)
			if again.Stdout != prime.Stdout {
				t.Errorf("after the failed refresh stdout = %q, want the cached %q", again.Stdout, prime.Stdout)
			}
		})
	}
}

// TestFaultsNegativeCacheReplayed: after a 429 beyond the deadline or an
// invalid_client, the next call fails the same way at once without asking
// the server.
func TestFaultsNegativeCacheReplayed(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	for _, name := range []string{"429 with Retry-After beyond the deadline", "invalid_client"} {
		tc := faultCases[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := startFaultServer(t, tc.fault)
			home := t.TempDir()
			vars := env(clientSecretVar, faultSecret)
			first := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(), Env: vars})
			checkFault(t, first, s, tc)
			second := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(), Env: vars})
			if second.ExitCode != tc.wantExit || second.Stdout != "" {
				t.Errorf("replayed failure: exit %d, stdout %q; want exit %d and no stdout", second.ExitCode, second.Stdout, tc.wantExit)
			}
			checkOneErrorLine(t, second.Stderr, append([]string{s.host(), "not asking the server again"}, tc.want...)...)
			if got := s.requests.Load(); got != tc.wantRequests {
				t.Errorf("server saw %d requests, want %d: the negative entry was not honoured", got, tc.wantRequests)
			}
		})
	}
}

// checkFault checks one run against tc.
func checkFault(t *testing.T, res harness.Result, s *faultServer, tc faultCase) {
	t.Helper()
	checkNoLeaks(t, res, faultSecret)
	if got := s.requests.Load(); tc.wantRequests != 0 && got != tc.wantRequests {
		t.Errorf("server saw %d requests, want %d", got, tc.wantRequests)
	}
	if tc.maxDuration != 0 && res.Duration > tc.maxDuration {
		t.Errorf("keyfob took %v, want at most %v", res.Duration, tc.maxDuration)
	}
	if tc.wantExit == 0 {
		if res.ExitCode != 0 || res.Stderr != "" || !strings.HasPrefix(res.Stdout, "token-after-") {
			t.Errorf("want success with a quiet stderr, got %s", res)
		}
		return
	}
	if res.ExitCode != tc.wantExit {
		t.Errorf("exit code %d, want %d", res.ExitCode, tc.wantExit)
	}
	if res.Stdout != "" {
		t.Errorf("stdout = %q, want nothing", res.Stdout)
	}
	if strings.ContainsAny(res.Stderr, "\x1b\a\r") {
		t.Errorf("stderr holds control characters: %q", res.Stderr)
	}
	if lines := strings.Split(strings.TrimSuffix(res.Stderr, "\n"), "\n"); len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one:\n%s", len(lines), res.Stderr)
	}
	checkOneErrorLine(t, res.Stderr, append([]string{s.host()}, tc.want...)...)
}

// readAccessEntry returns the one access entry in home's cache.
func readAccessEntry(t *testing.T, home string) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(home, ".cache", "keyfob", "at-*.json"))
	if len(files) != 1 {
		t.Fatalf("access entries %v, want one", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkCacheFiles checks how many access entries home's cache holds and
// whether a negative entry was written.
func checkCacheFiles(t *testing.T, home string, access int, negative bool) {
	t.Helper()
	dir := filepath.Join(home, ".cache", "keyfob")
	at, _ := filepath.Glob(filepath.Join(dir, "at-*"))
	ng, _ := filepath.Glob(filepath.Join(dir, "ng-*"))
	st, _ := filepath.Glob(filepath.Join(dir, "st-*"))
	if len(at) != access {
		t.Errorf("cache holds %d access entries, want %d", len(at), access)
	}
	if len(st) != 0 {
		t.Errorf("cache holds refresh state %v after a client_credentials failure", st)
	}
	switch {
	case negative && len(ng) != 1:
		t.Errorf("negative entries %v, want one", ng)
	case !negative && len(ng) != 0:
		t.Errorf("negative entries %v, want none", ng)
	}
}

// TestFaultsDefaultTimeout: without --timeout a non-interactive call is
// bounded by 30 s, so a server that never answers cannot hang git,
// kubectl or a CI job. (Interactive sign-in gets no default bound.)
func TestFaultsDefaultTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 30 s")
	}
	t.Parallel()
	bin := keyfobBin(t)
	s := startFaultServer(t, func(_ http.ResponseWriter, r *http.Request, _ int64) { stall(r) })
	home := t.TempDir()
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: s.args(), Env: env(clientSecretVar, faultSecret), Timeout: 50 * time.Second})
	checkFault(t, res, s, faultCase{wantExit: 5, want: []string{"deadline exceeded"}, wantRequests: 1})
	if res.Duration < 29*time.Second || res.Duration > 35*time.Second {
		t.Errorf("keyfob gave up after %v, want about 30 s", res.Duration)
	}
	checkCacheFiles(t, home, 0, false)
}

// TestFaultsNegativeCacheUnderLock: parallel calls that queue on the
// cache lock while the first one is throttled do not each ask the server
// again: they find the negative entry once they hold the lock.
func TestFaultsNegativeCacheUnderLock(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	release := make(chan struct{})
	s := startFaultServer(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		if n == 1 {
			<-release // hold the first call until the others queue on the lock
		}
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	home := t.TempDir()
	vars := env(clientSecretVar, faultSecret)
	go func() {
		time.Sleep(2 * time.Second)
		close(release)
	}()
	opts := make([]harness.RunOpts, 4)
	for i := range opts {
		opts[i] = harness.RunOpts{Home: home, Args: s.args(), Env: vars}
	}
	for _, res := range harness.RunParallel(t, bin, opts...) {
		if res.ExitCode != 5 || res.Stdout != "" {
			t.Errorf("exit code %d, stdout %q; want 5 and nothing", res.ExitCode, res.Stdout)
		}
		checkOneErrorLine(t, res.Stderr, s.host(), "HTTP 429")
	}
	if got := s.requests.Load(); got != 1 {
		t.Errorf("server saw %d requests from 4 parallel calls, want 1", got)
	}
}
