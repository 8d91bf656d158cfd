package discovery

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
)

// issuerServer serves a discovery document for /realm with the given
// Cache-Control and counts the GETs.
type issuerServer struct {
	*httptest.Server
	gets   atomic.Int64
	issuer string // the document's issuer; "" means the right one
}

func newIssuer(t *testing.T, cacheControl string) *issuerServer {
	t.Helper()
	s := &issuerServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/realm/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		s.gets.Add(1)
		iss := s.issuer
		if iss == "" {
			iss = s.URL + "/realm"
		}
		if cacheControl != "" {
			w.Header().Set("Cache-Control", cacheControl)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "token_endpoint": s.URL + "/realm/token",
			"authorization_endpoint": s.URL + "/realm/auth", "device_authorization_endpoint": s.URL + "/realm/device",
			"revocation_endpoint": s.URL + "/realm/revoke", "authorization_response_iss_parameter_supported": true})
	}))
	t.Cleanup(s.Close)
	return s
}

// cacheDir is a cache directory that does not exist yet: the cache
// creates it 0700 (a test's temporary directory may be 0755).
func cacheDir(t *testing.T) string { return filepath.Join(t.TempDir(), "keyfob") }

func cacheEnv(dir string) func(string) string {
	return func(k string) string {
		if k == "KEYFOB_CACHE_DIR" {
			return dir
		}
		return ""
	}
}

// TestTwoMissesOneDiscovery: the second call takes the kept document; the
// plugin gets the endpoints as keys.
func TestTwoMissesOneDiscovery(t *testing.T) {
	t.Parallel()
	s := newIssuer(t, "")
	dir := cacheDir(t)
	for range 2 {
		cfg := map[string]string{"provider": "device_code", "issuer": s.URL + "/realm/", "client_id": "c"}
		if err := Fill(context.Background(), cfg, cacheEnv(dir)); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"provider": "device_code", "issuer": s.URL + "/realm/", "client_id": "c",
			"token_url": s.URL + "/realm/token", "authorization_url": s.URL + "/realm/auth", "device_authorization_url": s.URL + "/realm/device",
			"revocation_url": s.URL + "/realm/revoke", endpoint.KeyDiscoveredIssuer: s.URL + "/realm", endpoint.KeyIssParameter: "true"}
		if diff := cmp.Diff(want, cfg); diff != "" {
			t.Errorf("config (-want +got):\n%s", diff)
		}
	}
	if n := s.gets.Load(); n != 1 {
		t.Errorf("%d discovery GETs, want 1", n)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "ds-*.json"))
	if len(files) != 1 {
		t.Fatalf("files %v, want one ds- file", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("document file mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestNoStoreKeepsNothing(t *testing.T) {
	t.Parallel()
	for _, cc := range []string{"no-store", "no-cache", "max-age=0"} {
		s := newIssuer(t, cc)
		dir := cacheDir(t)
		for range 2 {
			if err := Fill(context.Background(), map[string]string{"issuer": s.URL + "/realm"}, cacheEnv(dir)); err != nil {
				t.Fatal(err)
			}
		}
		if n := s.gets.Load(); n != 2 {
			t.Errorf("Cache-Control %s: %d discovery GETs, want 2", cc, n)
		}
	}
}

func TestExpiredDocumentIsFetchedAgain(t *testing.T) {
	t.Parallel()
	s := newIssuer(t, "max-age=60")
	dir := cacheDir(t)
	env := cacheEnv(dir)
	now := time.Now()
	for _, at := range []time.Time{now, now.Add(30 * time.Second), now.Add(61 * time.Second)} {
		if _, err := lookup(context.Background(), map[string]string{"issuer": s.URL + "/realm"}, env, func() time.Time { return at }); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.gets.Load(); n != 2 {
		t.Errorf("%d discovery GETs, want 2: one at first, one after max-age", n)
	}
}

func TestFillRefusesAnotherIssuer(t *testing.T) {
	t.Parallel()
	s := newIssuer(t, "")
	s.issuer = "https://evil.example/realm"
	dir := cacheDir(t)
	cfg := map[string]string{"issuer": s.URL + "/realm"}
	if err := Fill(context.Background(), cfg, cacheEnv(dir)); plugin.KindOf(err) != plugin.KindConfig {
		t.Fatalf("Fill = %v, want a configuration error", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "ds-*")); len(files) != 0 || cfg["token_url"] != "" {
		t.Errorf("kept %v, token_url %q: a refused document must not be used or kept", files, cfg["token_url"])
	}
}

func TestFillLeavesOthersAlone(t *testing.T) {
	t.Parallel()
	s := newIssuer(t, "")
	for name, cfg := range map[string]map[string]string{
		"authority":        {"issuer": s.URL + "/realm", "authority": "https://login.microsoftonline.com/contoso"},
		"no issuer":        {"token_url": s.URL + "/realm/token"},
		"managed identity": {"issuer": s.URL + "/realm", "provider": "managed_identity"},
		"done already":     {"issuer": s.URL + "/realm", endpoint.KeyDiscoveredIssuer: s.URL + "/realm", "token_url": "x"},
	} {
		before := len(cfg)
		if err := Fill(context.Background(), cfg, cacheEnv(cacheDir(t))); err != nil || len(cfg) != before {
			t.Errorf("%s: Fill = %v, config %v; want it untouched", name, err, cfg)
		}
	}
	if n := s.gets.Load(); n != 0 {
		t.Errorf("%d discovery GETs, want none", n)
	}
	cfg := map[string]string{"issuer": s.URL + "/realm", "token_url": "https://own.example/token"}
	if err := Fill(context.Background(), cfg, cacheEnv(cacheDir(t))); err != nil || cfg["token_url"] != "https://own.example/token" {
		t.Errorf("Fill = %v, token_url %q; the profile's own key must win", err, cfg["token_url"])
	}
}

func TestLifetime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		h    http.Header
		want time.Duration
	}{
		"nothing: the bound":     {http.Header{}, MaxAge},
		"max-age":                {http.Header{"Cache-Control": {"public, max-age=3600"}}, time.Hour},
		"max-age beyond a day":   {http.Header{"Cache-Control": {"max-age=31536000"}}, MaxAge},
		"quoted max-age":         {http.Header{"Cache-Control": {`max-age="600"`}}, 10 * time.Minute},
		"bad max-age":            {http.Header{"Cache-Control": {"max-age=soon"}}, 0},
		"no-store":               {http.Header{"Cache-Control": {"max-age=3600, no-store"}}, 0},
		"No-Cache in capitals":   {http.Header{"Cache-Control": {"No-Cache"}}, 0},
		"Expires":                {http.Header{"Expires": {now.Add(2 * time.Hour).Format(http.TimeFormat)}}, 2 * time.Hour},
		"Expires in the past":    {http.Header{"Expires": {now.Add(-time.Hour).Format(http.TimeFormat)}}, 0},
		"invalid Expires":        {http.Header{"Expires": {"0"}}, 0},
		"max-age wins":           {http.Header{"Cache-Control": {"max-age=60"}, "Expires": {now.Add(2 * time.Hour).Format(http.TimeFormat)}}, time.Minute},
		"two Cache-Control":      {http.Header{"Cache-Control": {"public", "max-age=120"}}, 2 * time.Minute},
		"Expires beyond the day": {http.Header{"Expires": {now.Add(48 * time.Hour).Format(http.TimeFormat)}}, MaxAge},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Lifetime(tc.h, now); got != tc.want {
				t.Errorf("Lifetime = %v, want %v", got, tc.want)
			}
		})
	}
}
