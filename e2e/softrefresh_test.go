package e2e_test

import (
	"encoding/json"
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

// entraLikeServer is a hand-written fake for what no real server here
// plays: Entra's refresh_in, then failures. It answers the first
// client_credentials request with a token whose refresh_in has already
// passed, and fails with 503 afterwards.
func entraLikeServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) > 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": "temporarily_unavailable", "error_codes": []int{90033}})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"access_token": "first-token", "token_type": "Bearer", "expires_in": "3599", "refresh_in": "1",
		})
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestSoftRefreshServesStillValidToken: Entra's refresh_in is a soft
// deadline (CONTRACT §7). When the early refresh fails, the still-valid
// token is served, exit 0, with a warning on stderr.
func TestSoftRefreshServesStillValidToken(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	srv, n := entraLikeServer(t)
	home := t.TempDir()
	args := []string{"token", "--provider", "client_credentials", "--token-url", srv.URL + "/token",
		"--client-id", "app", "--client-secret", "env:" + clientSecretVar, "--scope", "api", "--timeout", "20s"}
	vars := env(clientSecretVar, "app-secret-123")
	first := harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: vars})
	checkSuccess(t, first, "app-secret-123")
	time.Sleep(1100 * time.Millisecond) // let refresh_in pass
	second := harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: vars})
	checkSuccess(t, second, "app-secret-123")
	if second.Stdout != "first-token\n" {
		t.Errorf("after a failed early refresh stdout = %q, want the still-valid token", second.Stdout)
	}
	if !strings.Contains(second.Stderr, "early refresh failed") {
		t.Errorf("stderr %q should say the early refresh failed", second.Stderr)
	}
	if got := n.Load(); got != 4 {
		t.Errorf("server saw %d requests, want 4 (one grant, one early refresh retried twice)", got)
	}
}

// TestCorruptCacheEntryIsReplaced: a corrupt or truncated cache file never
// breaks a call; it is a miss and gets replaced.
func TestCorruptCacheEntryIsReplaced(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-" + time.Now().Format("150405.000000"), "expires_in": 3600})
	}))
	defer srv.Close()
	home := t.TempDir()
	args := []string{"token", "--provider", "client_credentials", "--token-url", srv.URL, "--client-id", "app",
		"--client-secret", "env:" + clientSecretVar}
	vars := env(clientSecretVar, "s3cret-value")
	checkSuccess(t, harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: vars}), "s3cret-value")
	files, _ := filepath.Glob(filepath.Join(home, ".cache", "keyfob", "at-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one access entry", files)
	}
	for i, garbage := range []string{"", "{\"access_token\":\"tru", "\x00\x01not json"} {
		if err := os.WriteFile(files[0], []byte(garbage), 0o600); err != nil {
			t.Fatal(err)
		}
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: args, Env: vars})
		checkSuccess(t, res, "s3cret-value")
		if !strings.HasPrefix(res.Stdout, "tok-") {
			t.Errorf("case %d: stdout %q", i, res.Stdout)
		}
		b, _ := os.ReadFile(files[0])
		if !json.Valid(b) {
			t.Errorf("case %d: the corrupt entry was not replaced", i)
		}
	}
}
