//go:build unix

package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// tokenLife is the lifetime of the fake server's tokens: short, so that
// the Keeper refreshes every couple of seconds.
const tokenLife = 3 * time.Second

// fakeServer is a client_credentials token endpoint (/token) and an API
// (/api) that accepts only the unexpired tokens it issued.
type fakeServer struct {
	*httptest.Server
	clientID, secret string

	mu     sync.Mutex
	issued map[string]time.Time
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{clientID: "host-go", secret: randomHex(), issued: map[string]time.Time{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("GET /api", f.api)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != f.clientID || secret != f.secret || r.PostFormValue("grant_type") != "client_credentials" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"error":"invalid_client"}`)
		return
	}
	tok := randomHex()
	f.mu.Lock()
	f.issued[tok] = time.Now().Add(tokenLife)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": int(tokenLife.Seconds())})
}

func (f *fakeServer) api(w http.ResponseWriter, r *http.Request) {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	exp, ok := f.issued[tok]
	f.mu.Unlock()
	if !ok || time.Now().After(exp) {
		w.WriteHeader(http.StatusUnauthorized)
	}
}

func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// buildKeyfob builds keyfob and keyfob-engine into a temporary directory.
func buildKeyfob(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./cmd/...")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building keyfob: %v\n%s", err, out)
	}
	return filepath.Join(dir, "keyfob")
}

// callLine is one line of host-go's output.
var callLine = regexp.MustCompile(`^call (\d+): (.*) \(token (\w+), expires \S+, plugin pid (\d+), restarts (\d+)\)$`)

// call is a parsed output line.
type call struct {
	n, pid, restarts int
	status, token    string
}

// TestSurvivesKilledPlugin runs host-go against the fake server, kills its
// keyfob plugin with SIGKILL and checks that it goes on: the next tokens
// come from a new plugin process and every API call succeeds.
func TestSurvivesKilledPlugin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds keyfob")
	}
	bin := buildKeyfob(t)
	srv := newFakeServer(t)
	t.Setenv("HOST_GO_TEST_SECRET", srv.secret)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-keyfob", bin, "-cache", filepath.Join(t.TempDir(), "cache"), "-provider", "client_credentials",
			"-config", "token_url=" + srv.URL + "/token", "-config", "client_id=" + srv.clientID,
			"-config", "client_secret=env:HOST_GO_TEST_SECRET", "-config", "client_auth=client_secret_basic",
			"-api", srv.URL + "/api", "-every", "200ms", "-min-validity", "500ms"}, w, io.Discard)
		w.Close()
	}()
	lines := bufio.NewScanner(out)
	next := func() call {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("host-go ended: %v", <-done)
		}
		m := callLine.FindStringSubmatch(lines.Text())
		if m == nil || m[2] != "200 OK" {
			t.Fatalf("host-go printed %q, want a successful call", lines.Text())
		}
		n, _ := strconv.Atoi(m[1])
		pid, _ := strconv.Atoi(m[4])
		restarts, _ := strconv.Atoi(m[5])
		return call{n: n, pid: pid, restarts: restarts, status: m[2], token: m[3]}
	}

	before := map[string]bool{}
	first := next()
	before[first.token] = true
	for c := first; c.n < 3; c = next() { // a few calls from memory
		before[c.token] = true
	}
	if err := syscall.Kill(first.pid, syscall.SIGKILL); err != nil {
		t.Fatalf("killing the plugin %d: %v", first.pid, err)
	}
	killed := time.Now()
	var restarted call
	for {
		c := next()
		if c.restarts == 1 && c.pid != first.pid && !before[c.token] {
			t.Logf("call %d: new token from plugin %d, %v after killing %d", c.n, c.pid, time.Since(killed).Round(time.Millisecond), first.pid)
			restarted = c
			break
		}
		if c.restarts > 1 {
			t.Fatalf("restarts = %d, want 1", c.restarts)
		}
		if time.Since(killed) > 30*time.Second {
			t.Fatal("no token from a new plugin within 30s of the kill")
		}
		before[c.token] = true
	}
	cancel()
	go func() { _, _ = io.Copy(io.Discard, out) }()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	// host-go stopped its plugin on the way out.
	deadline := time.Now().Add(5 * time.Second)
	for syscall.Kill(restarted.pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("plugin %d still runs after host-go returned", restarted.pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
