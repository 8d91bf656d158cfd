package msi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// expiry is the fixed expiry of the test tokens.
var expiry = time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)

// recorder is a TokenFunc that answers "tok-RESOURCE" and records the
// requests it was called with.
type recorder struct {
	mu   sync.Mutex
	reqs []Request
}

func (r *recorder) token(_ context.Context, req Request) (Token, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
	return Token{AccessToken: "tok-" + req.Resource, ExpiresOn: expiry, ClientID: "app"}, nil
}

func (r *recorder) calls() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// startServer listens with tokens and closes the server at the end of
// the test.
func startServer(t *testing.T, tokens TokenFunc, opts Options) *Server {
	t.Helper()
	s, err := Listen(tokens, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// env returns the value of name in s.Env().
func env(s *Server, name string) string {
	for _, kv := range s.Env() {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// call is one request to the endpoint.
type call struct {
	method, path, query, host string
	header                    map[string]string
}

// answer is what came back.
type answer struct {
	Status int
	Body   map[string]string
}

func (c call) do(t *testing.T, s *Server) answer {
	t.Helper()
	u := strings.TrimSuffix(s.Endpoint(), Path) + c.path + "?" + c.query
	req, err := http.NewRequestWithContext(t.Context(), c.method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.host != "" {
		req.Host = c.host
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{Status: resp.StatusCode}
	if err := json.Unmarshal(b, &a.Body); err != nil {
		t.Fatalf("%s %s: body %q is not a JSON object: %v", c.method, u, b, err)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	return a
}

const q2019 = "api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net"

func TestServerChecks(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	s := startServer(t, rec.token, Options{})
	secret := env(s, "IDENTITY_HEADER")
	good := map[string]string{SecretHeader2019: secret}
	tests := map[string]struct {
		call       call
		wantStatus int
		wantError  string
	}{
		"no header":                {call{query: q2019}, 401, "unauthorized"},
		"wrong header":             {call{query: q2019, header: map[string]string{SecretHeader2019: strings.Repeat("0", 64)}}, 401, "unauthorized"},
		"secret one byte short":    {call{query: q2019, header: map[string]string{SecretHeader2019: secret[:63]}}, 401, "unauthorized"},
		"2017 header on 2019":      {call{query: q2019, header: map[string]string{SecretHeader2017: secret}}, 401, "unauthorized"},
		"2019 header on 2017":      {call{query: "api-version=2017-09-01&resource=api", header: good}, 401, "unauthorized"},
		"Host evil.example":        {call{query: q2019, header: good, host: "evil.example"}, 403, "invalid_host"},
		"Host localhost":           {call{query: q2019, header: good, host: "localhost:" + strings.Split(s.addr, ":")[1]}, 403, "invalid_host"},
		"Origin":                   {call{query: q2019, header: map[string]string{SecretHeader2019: secret, "Origin": "https://evil.example"}}, 403, "invalid_request"},
		"Origin null":              {call{query: q2019, header: map[string]string{SecretHeader2019: secret, "Origin": "null"}}, 403, "invalid_request"},
		"POST":                     {call{method: http.MethodPost, query: q2019, header: good}, 405, "invalid_request"},
		"other path":               {call{path: "/metadata/identity/oauth2/token", query: q2019, header: good}, 404, "not_found"},
		"no resource":              {call{query: "api-version=2019-08-01", header: good}, 400, "invalid_request"},
		"IMDS version":             {call{query: "api-version=2018-02-01&resource=api", header: good}, 400, "invalid_request"},
		"unknown version, no auth": {call{query: "api-version=1&resource=api"}, 400, "invalid_request"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := tc.call
			if c.method == "" {
				c.method = http.MethodGet
			}
			if c.path == "" {
				c.path = Path
			}
			got := c.do(t, s)
			if got.Status != tc.wantStatus || got.Body["error"] != tc.wantError || got.Body["access_token"] != "" {
				t.Errorf("got %d %v, want %d with error %q and no token", got.Status, got.Body, tc.wantStatus, tc.wantError)
			}
		})
	}
	t.Cleanup(func() {
		if n := len(rec.calls()); n != 0 {
			t.Errorf("the TokenFunc was called %d times for refused requests", n)
		}
	})
}

func TestServerAnswers(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	s := startServer(t, rec.token, Options{})
	secret := env(s, "IDENTITY_HEADER")
	tests := map[string]struct {
		call call
		want map[string]string
		req  Request
	}{
		"2019-08-01": {
			call: call{query: q2019 + "&client_id=app", header: map[string]string{SecretHeader2019: secret}},
			want: map[string]string{"access_token": "tok-https://vault.azure.net", "expires_on": fmt.Sprint(expiry.Unix()),
				"resource": "https://vault.azure.net", "token_type": "Bearer", "client_id": "app"},
			req: Request{APIVersion: APIVersion2019, Resource: "https://vault.azure.net", ClientID: "app"},
		},
		"2017-09-01": {
			call: call{query: "api-version=2017-09-01&resource=api", header: map[string]string{SecretHeader2017: env(s, "MSI_SECRET")}},
			want: map[string]string{"access_token": "tok-api", "expires_on": "05/06/2031 07:08:09 +00:00",
				"resource": "api", "token_type": "Bearer"},
			req: Request{APIVersion: APIVersion2017, Resource: "api"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			c := tc.call
			c.method, c.path = http.MethodGet, Path
			got := c.do(t, s)
			if got.Status != http.StatusOK {
				t.Fatalf("status %d %v", got.Status, got.Body)
			}
			if diff := cmp.Diff(tc.want, got.Body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			calls := rec.calls()
			if diff := cmp.Diff(tc.req, calls[len(calls)-1]); diff != "" {
				t.Errorf("TokenFunc request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServerTokenFuncErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err        error
		tok        Token
		wantStatus int
		wantError  string
	}{
		"an *Error chooses": {err: fmt.Errorf("wrapped: %w", &Error{Status: 503, Code: "temporarily_unavailable", Description: "later"}), wantStatus: 503, wantError: "temporarily_unavailable"},
		"any other is 500":  {err: errors.New("boom"), wantStatus: 500, wantError: "server_error"},
		"no token is 500":   {tok: Token{ExpiresOn: expiry}, wantStatus: 500, wantError: "server_error"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, func(context.Context, Request) (Token, error) { return tc.tok, tc.err }, Options{})
			got := call{method: http.MethodGet, path: Path, query: q2019, header: map[string]string{SecretHeader2019: env(s, "IDENTITY_HEADER")}}.do(t, s)
			if got.Status != tc.wantStatus || got.Body["error"] != tc.wantError {
				t.Errorf("got %d %v, want %d %s", got.Status, got.Body, tc.wantStatus, tc.wantError)
			}
		})
	}
}

func TestServerRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	rec := &recorder{}
	s := startServer(t, rec.token, Options{Rate: 1, Burst: 2, Now: clock})
	good := call{method: http.MethodGet, path: Path, query: q2019, header: map[string]string{SecretHeader2019: env(s, "IDENTITY_HEADER")}}
	for i := range 2 {
		if a := good.do(t, s); a.Status != http.StatusOK {
			t.Fatalf("request %d of the burst: %d", i+1, a.Status)
		}
	}
	u := s.Endpoint() + "?" + q2019
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	req.Header.Set(SecretHeader2019, env(s, "IDENTITY_HEADER"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("third request: %d Retry-After %q, want 429 with Retry-After 1", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if a := good.do(t, s); a.Status != http.StatusOK {
		t.Fatalf("request a second later: %d", a.Status)
	}
	if n := len(rec.calls()); n != 3 {
		t.Errorf("TokenFunc called %d times, want 3 (not for the refused request)", n)
	}
}

func TestServerEnvAndClose(t *testing.T) {
	t.Parallel()
	a := startServer(t, (&recorder{}).token, Options{})
	b := startServer(t, (&recorder{}).token, Options{})
	secret := env(a, "IDENTITY_HEADER")
	if len(secret) != 64 || strings.Trim(secret, "0123456789abcdef") != "" {
		t.Errorf("secret %d characters, want 64 hex digits (256 bits)", len(secret))
	}
	if secret == env(b, "IDENTITY_HEADER") {
		t.Error("two servers share a secret")
	}
	if env(a, "MSI_SECRET") != secret || env(a, "MSI_ENDPOINT") != a.Endpoint() || env(a, "IDENTITY_ENDPOINT") != a.Endpoint() {
		t.Errorf("Env() = %q", a.Env())
	}
	if !strings.HasPrefix(a.Endpoint(), "http://127.0.0.1:") {
		t.Errorf("Endpoint() = %q, want loopback", a.Endpoint())
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if c, err := net.Dial("tcp", a.addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Close", a.addr)
	}
}

func TestListenNeedsTokenFunc(t *testing.T) {
	t.Parallel()
	if _, err := Listen(nil, Options{}); err == nil {
		t.Fatal("Listen(nil) succeeded")
	}
}
