package jwtbearer

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// testNow is the clock of the signed assertions.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// fakeAS is a token endpoint at /token (and OpenID discovery naming it)
// that records each request and answers with the next status of statuses
// (200 once they run out).
type fakeAS struct {
	*httptest.Server
	mu       sync.Mutex
	requests []seen
	statuses []int
}

// seen is one request to the token endpoint.
type seen struct {
	User, Pass string
	Form       url.Values
}

func newFakeAS(t *testing.T, statuses ...int) *fakeAS {
	t.Helper()
	f := &fakeAS{statuses: statuses}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": f.URL, "token_endpoint": f.URL + "/token"})
	})
	mux.HandleFunc("POST /token", f.token)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAS) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	user, pass, _ := r.BasicAuth()
	f.mu.Lock()
	f.requests = append(f.requests, seen{User: user, Pass: pass, Form: r.PostForm})
	status := http.StatusOK
	if len(f.statuses) > 0 {
		status, f.statuses = f.statuses[0], f.statuses[1:]
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case status == http.StatusOK:
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "issued", "token_type": "Bearer",
			"expires_in": 3600, "refresh_token": "rt"})
	default:
		w.WriteHeader(status)
		code := "invalid_grant"
		if status >= 500 {
			code = "temporarily_unavailable"
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
	}
}

func (f *fakeAS) all() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// newKey makes an EC key and writes it as PKCS#8 PEM to a file.
func newKey(t *testing.T) (*ecdsa.PrivateKey, string, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	text := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	path := filepath.Join(t.TempDir(), "svc.pem")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return key, path, text
}

func request(cfg plugin.Config) *plugin.Request {
	return &plugin.Request{Config: cfg, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
}

// verify checks an assertion's signature and returns its header and
// claims.
func verify(t *testing.T, assertion string, pub crypto.PublicKey) (map[string]any, jwt.MapClaims) {
	t.Helper()
	tok, err := jwt.Parse(assertion, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithTimeFunc(func() time.Time { return testNow }))
	if err != nil {
		t.Fatalf("the assertion does not verify: %v", err)
	}
	return tok.Header, tok.Claims.(jwt.MapClaims)
}

// TestSignedAssertion: every request carries a newly signed grant with
// the configured claims, and no client_id unless one is configured.
func TestSignedAssertion(t *testing.T) {
	t.Parallel()
	key, path, text := newKey(t)
	tests := map[string]struct {
		cfg         func(f *fakeAS) plugin.Config
		wantClaims  map[string]any
		wantKID     any
		wantClient  seen
		wantAccount string
	}{
		"token_url, no client: aud is the token endpoint": {
			cfg: func(f *fakeAS) plugin.Config {
				return plugin.Config{"token_url": f.URL + "/token", "assertion_key": path, "assertion_issuer": "svc",
					"assertion_kid": "key-1", "scopes": `["api"]`}
			},
			wantClaims:  map[string]any{"iss": "svc", "sub": "svc", "aud": "{{token}}"},
			wantKID:     "key-1",
			wantAccount: "svc",
		},
		"issuer discovery: aud is the issuer; client_id is the default issuer": {
			cfg: func(f *fakeAS) plugin.Config {
				return plugin.Config{"issuer": f.URL, "assertion_key": path, "client_id": "app",
					"client_secret": "s3cret", "assertion_subject": "alice", "scopes": `["api"]`}
			},
			wantClaims:  map[string]any{"iss": "app", "sub": "alice", "aud": "{{issuer}}"},
			wantClient:  seen{User: "app", Pass: "s3cret"},
			wantAccount: "alice",
		},
		"PEM text from a resolved reference, both audiences": {
			cfg: func(f *fakeAS) plugin.Config {
				return plugin.Config{"issuer": f.URL, "assertion_key": text, "assertion_issuer": "svc",
					"assertion_audience": "both", "scopes": `["api"]`}
			},
			wantClaims:  map[string]any{"iss": "svc", "sub": "svc", "aud": []any{"{{token}}", "{{issuer}}"}},
			wantAccount: "svc",
		},
		"literal audience": {
			cfg: func(f *fakeAS) plugin.Config {
				return plugin.Config{"token_url": f.URL + "/token", "assertion_key": path, "assertion_issuer": "svc",
					"assertion_audience": "https://as.example", "scopes": `["api"]`}
			},
			wantClaims:  map[string]any{"iss": "svc", "sub": "svc", "aud": "https://as.example"},
			wantAccount: "svc",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeAS(t)
			tok, err := Provider{Now: func() time.Time { return testNow }}.GetToken(t.Context(), request(tc.cfg(f)))
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken.Reveal() != "issued" || tok.State != nil || tok.Account != tc.wantAccount || tok.NoCache {
				t.Errorf("token %q, state %q, account %q, NoCache %v; want the issued token, no state, account %q, cacheable",
					tok.AccessToken.Reveal(), tok.State, tok.Account, tok.NoCache, tc.wantAccount)
			}
			reqs := f.all()
			if len(reqs) != 1 {
				t.Fatalf("server saw %d token requests, want 1", len(reqs))
			}
			form := reqs[0].Form
			header, claims := verify(t, form.Get("assertion"), key.Public())
			if header["kid"] != tc.wantKID {
				t.Errorf("kid = %v, want %v", header["kid"], tc.wantKID)
			}
			got := map[string]any{"iss": claims["iss"], "sub": claims["sub"], "aud": claims["aud"]}
			want := expand(tc.wantClaims, f)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			if claims["iat"] != float64(testNow.Unix()) || claims["exp"] != float64(testNow.Add(5*time.Minute).Unix()) || claims["jti"] == "" {
				t.Errorf("iat %v, exp %v, jti %v; want now, now+5m and a jti", claims["iat"], claims["exp"], claims["jti"])
			}
			form.Del("assertion")
			wantForm := url.Values{"grant_type": {GrantType}, "scope": {"api"}}
			if tc.wantClient.User != "" {
				wantForm.Set("client_id", tc.wantClient.User)
			}
			if diff := cmp.Diff(wantForm, form); diff != "" {
				t.Errorf("form (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantClient, seen{User: reqs[0].User, Pass: reqs[0].Pass}); diff != "" {
				t.Errorf("client authentication (-want +got):\n%s", diff)
			}
		})
	}
}

// expand replaces {{token}} and {{issuer}} with f's URLs.
func expand(m map[string]any, f *fakeAS) map[string]any {
	r := strings.NewReplacer("{{token}}", f.URL+"/token", "{{issuer}}", f.URL)
	out := map[string]any{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = r.Replace(v)
		case []any:
			list := make([]any, len(v))
			for i, s := range v {
				list[i] = r.Replace(s.(string))
			}
			out[k] = list
		}
	}
	return out
}

// TestRetryGetsFreshAssertion: a retried request carries a new assertion
// (a new jti), since servers accept each one once.
func TestRetryGetsFreshAssertion(t *testing.T) {
	t.Parallel()
	_, path, _ := newKey(t)
	f := newFakeAS(t, http.StatusServiceUnavailable)
	cfg := plugin.Config{"token_url": f.URL + "/token", "assertion_key": path, "assertion_issuer": "svc"}
	if _, err := (Provider{}).GetToken(t.Context(), request(cfg)); err != nil {
		t.Fatal(err)
	}
	reqs := f.all()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2 (one retry)", len(reqs))
	}
	jti := func(s seen) any {
		tok, _, err := jwt.NewParser().ParseUnverified(s.Form.Get("assertion"), jwt.MapClaims{})
		if err != nil {
			t.Fatal(err)
		}
		return tok.Claims.(jwt.MapClaims)["jti"]
	}
	if a, b := jti(reqs[0]), jti(reqs[1]); a == b {
		t.Errorf("both attempts sent jti %v; want a fresh assertion per attempt", a)
	}
}

// TestReadyAssertion: a ready-made assertion is sent as it is, with the
// client's authentication.
func TestReadyAssertion(t *testing.T) {
	t.Parallel()
	f := newFakeAS(t)
	file := filepath.Join(t.TempDir(), "assertion.jwt")
	if err := os.WriteFile(file, []byte("header.payload.signature\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := plugin.Config{"token_url": f.URL + "/token", "assertion": "file:" + file, "client_id": "app",
		"client_secret": "s3cret", "client_auth": "client_secret_post"}
	tok, err := Provider{}.GetToken(t.Context(), request(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if !tok.NoCache {
		t.Errorf("a token from a ready assertion is cacheable; the cache key cannot tell assertions apart")
	}
	want := []seen{{Form: url.Values{"grant_type": {GrantType}, "assertion": {"header.payload.signature"},
		"client_id": {"app"}, "client_secret": {"s3cret"}}}}
	if diff := cmp.Diff(want, f.all()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestRefusesBeforeAnyRequest: settings are checked, and the key loaded,
// before anything reaches the server; errors never quote key material.
func TestRefusesBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	_, path, _ := newKey(t)
	f := newFakeAS(t)
	token := f.URL + "/token"
	tests := map[string]struct {
		cfg     plugin.Config
		wantErr string
	}{
		"neither":             {plugin.Config{"token_url": token}, "needs key assertion (a ready JWT) or assertion_key"},
		"both":                {plugin.Config{"token_url": token, "assertion": "a.b.c", "assertion_key": path}, "keys assertion and assertion_key are both set"},
		"no issuer":           {plugin.Config{"token_url": token, "assertion_key": path}, "key assertion_issuer is required"},
		"missing file":        {plugin.Config{"token_url": token, "assertion_key": "/nonexistent/k.pem", "assertion_issuer": "svc"}, "neither PEM text nor the path of a readable file (no such file or directory)"},
		"not a path nor PEM":  {plugin.Config{"token_url": token, "assertion_key": "MHcCAQEEIKeyMaterial", "assertion_issuer": "svc"}, "neither PEM text nor the path"},
		"bad PEM text":        {plugin.Config{"token_url": token, "assertion_key": "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "assertion_issuer": "svc"}, "key assertion_key: no PEM private key"},
		"alg for another key": {plugin.Config{"token_url": token, "assertion_key": path, "assertion_issuer": "svc", "assertion_alg": "rs256"}, "key assertion_alg: alg RS256 does not suit an EC P-256 key (want ES256)"},
		"unset reference":     {plugin.Config{"token_url": token, "assertion": "env:KEYFOB_TEST_UNSET_ASSERTION"}, "KEYFOB_TEST_UNSET_ASSERTION is not set"},
		"blank assertion":     {plugin.Config{"token_url": token, "assertion": " \n"}, "key assertion is empty"},
		"issuer audience without an issuer": {plugin.Config{"token_url": token, "assertion_key": path,
			"assertion_issuer": "svc", "assertion_audience": "issuer"}, "the issuer is unknown"},
		"secret without client_id": {plugin.Config{"token_url": token, "assertion": "a.b.c", "client_secret": "s"}, "key client_secret is set but client_id is not"},
		"no endpoint":              {plugin.Config{"assertion": "a.b.c"}, "one of token_url, authority or issuer is required"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Provider{}.GetToken(context.Background(), request(tc.cfg))
			if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v (kind %v), want a configuration error containing %q", err, plugin.KindOf(err), tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "MHcCAQEE") {
				t.Errorf("the error quotes the key value: %v", err)
			}
		})
	}
	if n := len(f.all()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

// TestServerRefusal: the server's invalid_grant is a refusal (exit 3).
func TestServerRefusal(t *testing.T) {
	t.Parallel()
	f := newFakeAS(t, http.StatusBadRequest)
	cfg := plugin.Config{"token_url": f.URL + "/token", "assertion": "a.b.c"}
	_, err := Provider{}.GetToken(t.Context(), request(cfg))
	var oe *plugin.OAuthError
	if plugin.KindOf(err) != plugin.KindRefused || !errors.As(err, &oe) || oe.Code != "invalid_grant" {
		t.Errorf("error = %v (kind %v), want the server's invalid_grant", err, plugin.KindOf(err))
	}
}
