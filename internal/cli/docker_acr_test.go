package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/internal/config"
)

// TestDockerACRExchange runs docker get for an acr_exchange profile
// against an httptest fake of ACR's documented /oauth2/exchange API. It
// is not parallel: it points the package's exchange client at the fake.
func TestDockerACRExchange(t *testing.T) {
	refresh := testJWT(hostsNow.Add(3 * time.Hour))
	var exchanges atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		exchanges.Add(1)
		if err := r.ParseForm(); err != nil || r.URL.Path != "/oauth2/exchange" || r.PostForm.Get("grant_type") != "access_token" ||
			r.PostForm.Get("access_token") != "entra-token" || r.PostForm.Get("tenant") != "contoso.onmicrosoft.com" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"refresh_token": refresh})
	}))
	defer srv.Close()
	registry := strings.TrimPrefix(srv.URL, "https://")
	oldClient, oldEndpoint := acrHTTPClient, acrEndpoint
	acrHTTPClient = srv.Client
	acrEndpoint = func(string) string { return srv.URL + "/oauth2/exchange" }
	defer func() { acrHTTPClient, acrEndpoint = oldClient, oldEndpoint }()

	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	text := fmt.Sprintf(`[profiles.acr]
provider = "client_credentials"
preset = "acr"
tenant_id = "contoso.onmicrosoft.com"
client_id = "c"
client_secret = "env:HOSTS_TEST_SECRET"
hosts = [%q]
`, registry)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &hostsWorld{t: t, f: f, vars: map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "KEYFOB_KEYRING": "off", hostsSecretVar: "hosts-secret"}}
	if w.c, err = cache.Open(w.vars["KEYFOB_CACHE_DIR"], cache.Options{}); err != nil {
		t.Fatal(err)
	}
	w.prime("acr", "entra-token", 50*time.Minute)

	for i := range 2 {
		stdout, stderr, code := w.run(registry, nil, "docker", "get")
		if code != 0 {
			t.Fatalf("get %d: exit %d: %s%s", i, code, stdout, stderr)
		}
		var got docker.Credentials
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if want := (docker.Credentials{ServerURL: registry, Username: docker.IdentityTokenUser, Secret: refresh}); got != want {
			t.Errorf("get %d = %+v, want %+v", i, got, want)
		}
	}
	if n := exchanges.Load(); n != 1 {
		t.Errorf("exchanges = %d, want 1 (the second get is served from the cache)", n)
	}
	acrKey := docker.ACRKey(w.request("acr"), registry)
	if e, ok := w.c.Get(acrKey); !ok || !e.ExpiresAt.Equal(hostsNow.Add(3*time.Hour)) {
		t.Errorf("cached ACR token = %v, %v; want one expiring with its exp claim", e, ok)
	}
	if _, stderr, code := w.run(registry, nil, "docker", "erase"); code != 0 {
		t.Fatalf("erase: exit %d: %s", code, stderr)
	}
	if _, ok := w.c.Get(acrKey); ok {
		t.Error("erase kept the ACR refresh token")
	}
	if _, ok := w.c.Get(tokenkey.Access(w.request("acr"), config.IsSecret)); ok {
		t.Error("erase kept the Entra token")
	}
}

func TestDockerACRExchangeRefused(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
	}))
	defer srv.Close()
	registry := strings.TrimPrefix(srv.URL, "https://")
	oldClient, oldEndpoint := acrHTTPClient, acrEndpoint
	acrHTTPClient = srv.Client
	acrEndpoint = func(string) string { return srv.URL + "/oauth2/exchange" }
	defer func() { acrHTTPClient, acrEndpoint = oldClient, oldEndpoint }()

	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	text := fmt.Sprintf("[profiles.acr]\nprovider = \"client_credentials\"\npreset = \"acr\"\ntenant_id = \"t\"\nclient_id = \"c\"\nclient_secret = \"env:HOSTS_TEST_SECRET\"\nhosts = [%q]\n", registry)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, _ := config.Load(cfg)
	w := &hostsWorld{t: t, f: f, vars: map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "KEYFOB_KEYRING": "off", hostsSecretVar: "hosts-secret"}}
	w.c, _ = cache.Open(w.vars["KEYFOB_CACHE_DIR"], cache.Options{})
	w.prime("acr", "entra-token", 50*time.Minute)
	stdout, _, code := w.run(registry, nil, "docker", "get")
	if code != ExitRefused || !strings.Contains(stdout, "UNAUTHORIZED") || strings.Contains(stdout, "entra-token") {
		t.Errorf("exit %d, stdout %q; want exit 3 and the registry's error on stdout, without the token", code, stdout)
	}
}
