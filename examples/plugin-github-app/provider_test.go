package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// config is a working profile against f.
func config(f *fakeGitHub, extra ...string) plugin.Config {
	cfg := plugin.Config{
		keyAppID: testAppID, keyInstallationID: testInstallation,
		keyPrivateKey: pemKey(f.key), keyAPIURL: f.URL + "/",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			delete(cfg, extra[i])
			continue
		}
		cfg[extra[i]] = extra[i+1]
	}
	return cfg
}

func getToken(t *testing.T, cfg plugin.Config, scopes ...string) (*plugin.Token, error) {
	t.Helper()
	p := &Provider{Backoff: time.Millisecond}
	req := &plugin.Request{Config: cfg, Scopes: scopes, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	return p.GetToken(ctx, req)
}

func TestGetToken(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		extra     []string
		scopes    []string
		fail      []int
		wantScope string
		want      fakeRequest
	}{
		"whole installation": {
			wantScope: "contents:read metadata:read",
			want:      fakeRequest{Issuer: testAppID},
		},
		"narrowed by repositories and profile scopes": {
			extra:     []string{keyRepositories, `["infra","docs"]`, "scopes", `["contents:read","issues:write"]`},
			wantScope: "contents:read issues:write",
			want: fakeRequest{Issuer: testAppID, Repositories: []string{"infra", "docs"},
				Permissions: map[string]string{"contents": "read", "issues": "write"}},
		},
		"request scopes win": {
			extra:     []string{"scopes", `["issues:write"]`},
			scopes:    []string{"pull_requests:read"},
			wantScope: "pull_requests:read",
			want:      fakeRequest{Issuer: testAppID, Permissions: map[string]string{"pull_requests": "read"}},
		},
		"5xx retried": {
			fail:      []int{502, 503},
			wantScope: "contents:read metadata:read",
			want:      fakeRequest{Issuer: testAppID},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeGitHub(t)
			f.fail = tc.fail
			start := time.Now()
			tok, err := getToken(t, config(f, tc.extra...), tc.scopes...)
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			if tok.AccessToken.Reveal() != "ghs_fake1" || tok.TokenType != "Bearer" || tok.Scope != tc.wantScope {
				t.Errorf("token %q %q scope %q, want ghs_fake1 Bearer scope %q", tok.AccessToken.Reveal(), tok.TokenType, tok.Scope, tc.wantScope)
			}
			if d := time.Until(tok.ExpiresAt); d < 59*time.Minute || d > time.Hour {
				t.Errorf("expires in %v, want the answer's expires_at (1h)", d)
			}
			got := f.requests[0]
			if iat := start.Sub(got.IssuedAt); iat < 59*time.Second || iat > 62*time.Second {
				t.Errorf("iat = now-%v, want now-60s", iat)
			}
			got.IssuedAt, got.Expires = time.Time{}, time.Time{}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetTokenErrors(t *testing.T) {
	t.Parallel()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(other)
	if err != nil {
		t.Fatal(err)
	}
	otherPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	tests := map[string]struct {
		extra    []string
		scopes   []string
		fail     []int
		wantKind plugin.Kind
		wantMsg  string
	}{
		"missing app id":             {extra: []string{keyAppID, ""}, wantKind: plugin.KindConfig, wantMsg: "key github_app_id is required"},
		"installation not a number":  {extra: []string{keyInstallationID, "../../user"}, wantKind: plugin.KindConfig, wantMsg: "github_installation_id"},
		"not a PEM key":              {extra: []string{keyPrivateKey, "not-a-key-c0ffee"}, wantKind: plugin.KindConfig, wantMsg: "not an RSA private key"},
		"key file missing":           {extra: []string{keyPrivateKey, "file:/nonexistent/app.pem"}, wantKind: plugin.KindConfig, wantMsg: "/nonexistent/app.pem"},
		"plain http elsewhere":       {extra: []string{keyAPIURL, "http://github.example.com/api/v3"}, wantKind: plugin.KindConfig, wantMsg: "github_api_url"},
		"bad scope":                  {scopes: []string{"repo"}, wantKind: plugin.KindConfig, wantMsg: `scope "repo"`},
		"another App's key (PKCS#8)": {extra: []string{keyPrivateKey, otherPEM}, wantKind: plugin.KindRefused, wantMsg: "HTTP 401: A JSON web token could not be decoded"},
		"unknown installation":       {extra: []string{keyInstallationID, "1"}, wantKind: plugin.KindRefused, wantMsg: "HTTP 404: Not Found"},
		"permission not granted":     {scopes: []string{"administration:write"}, wantKind: plugin.KindRefused, wantMsg: "HTTP 422: The permissions requested"},
		"5xx after retries":          {fail: []int{500, 502, 503}, wantKind: plugin.KindUnavailable, wantMsg: "HTTP 503: Server Error"},
		"rate limited":               {fail: []int{429}, wantKind: plugin.KindUnavailable, wantMsg: "HTTP 429"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeGitHub(t)
			f.fail = tc.fail
			cfg := config(f, tc.extra...)
			_, err := getToken(t, cfg, tc.scopes...)
			if err == nil {
				t.Fatal("GetToken succeeded, want an error")
			}
			if got := plugin.KindOf(err); got != tc.wantKind {
				t.Errorf("KindOf(%v) = %v, want %v", err, got, tc.wantKind)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tc.wantMsg)
			}
			if k := cfg[keyPrivateKey]; len(k) > 40 && strings.Contains(err.Error(), k[30:40]) {
				t.Errorf("error %q shows the private key", err)
			}
		})
	}
}

func TestAppJWTLifetime(t *testing.T) {
	t.Parallel()
	f := newFakeGitHub(t)
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	s, err := appJWT(testAppID, f.key, now)
	if err != nil {
		t.Fatal(err)
	}
	claims := map[string]any{}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		t.Fatalf("JWT %q has %d parts", s, len(parts))
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"iss": testAppID, "iat": float64(now.Unix() - 60), "exp": float64(now.Unix() + 540)}
	if diff := cmp.Diff(want, claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}
