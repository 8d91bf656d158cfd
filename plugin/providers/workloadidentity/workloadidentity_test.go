package workloadidentity

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

const (
	appID = "00000000-0000-0000-0000-0000000000a1"
	scope = "https://management.azure.com/.default"
)

func TestFileAssertion(t *testing.T) {
	t.Parallel()
	tests := map[string]func(e *entra, file string) plugin.Config{
		"tenant_id on authority_host": func(e *entra, file string) plugin.Config {
			return plugin.Config{"tenant_id": tenant, "authority_host": e.srv.URL + "/"}
		},
		"authority": func(e *entra, file string) plugin.Config { return plugin.Config{"authority": e.authority()} },
		"token_url": func(e *entra, file string) plugin.Config { return plugin.Config{"token_url": e.tokenURL()} },
		"explicit source, resource": func(e *entra, file string) plugin.Config {
			return plugin.Config{"authority": e.authority(), KeySource: SourceFile, "scopes": "", "resource": "https://management.azure.com/"}
		},
	}
	for name, base := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEntra(t, appID)
			const jwt = "eyJhbGciOiJSUzI1NiJ9.k8s-service-account.sig"
			e.accept(jwt)
			file := writeFile(t, t.TempDir(), "azure-identity-token", jwt+"\n")
			cfg := base(e, file)
			cfg["client_id"] = appID
			cfg[KeyAssertionFile] = file
			if _, ok := cfg["scopes"]; !ok {
				cfg["scopes"] = `["` + scope + `"]`
			}
			tok, logs, err := getToken(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken.Reveal() != "entra-at-x" || tok.TokenType != "Bearer" || tok.ExpiresAt.IsZero() || tok.State != nil {
				t.Errorf("token = %+v", tok)
			}
			forms := e.requests()
			if len(forms) != 1 {
				t.Fatalf("token requests = %d, want 1", len(forms))
			}
			want := url.Values{"grant_type": {"client_credentials"}, "client_id": {appID}, "scope": {scope},
				"client_assertion_type": {AssertionType}, "client_assertion": {jwt}}
			if diff := cmp.Diff(want, forms[0]); diff != "" {
				t.Errorf("token request form (-want +got):\n%s", diff)
			}
			if strings.Contains(logs, jwt) || strings.Contains(logs, "entra-at-") {
				t.Errorf("the logs show a secret:\n%s", logs)
			}
		})
	}
}

// TestRotation checks that the assertion file is read for every request:
// Kubernetes rotates the projected token under a long-lived host.
func TestRotation(t *testing.T) {
	t.Parallel()
	e := newEntra(t, appID)
	dir := t.TempDir()
	file := writeFile(t, dir, "token", "jwt-generation-1")
	cfg := plugin.Config{"client_id": appID, "authority": e.authority(), "scopes": scope, KeyAssertionFile: file}
	var p plugin.Provider = Provider{} // one long-lived provider
	req, _ := newRequest(cfg)

	e.accept("jwt-generation-1")
	if _, err := p.GetToken(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	// Kubernetes replaces the file atomically (a symlink swap); a rename
	// is the same for a reader.
	writeFile(t, dir, "token.new", "jwt-generation-2\n")
	if err := os.Rename(file+".new", file); err != nil {
		t.Fatal(err)
	}
	e.accept("jwt-generation-2")
	if _, err := p.GetToken(context.Background(), req); err != nil {
		t.Fatalf("second request after rotation: %v", err)
	}
	var got []string
	for _, f := range e.requests() {
		got = append(got, f.Get("client_assertion"))
	}
	if diff := cmp.Diff([]string{"jwt-generation-1", "jwt-generation-2"}, got); diff != "" {
		t.Errorf("assertions sent (-want +got):\n%s", diff)
	}
}

// oidcFake is a fake OIDC token request endpoint (GitHub Actions or Azure
// Pipelines) that records what it saw.
type oidcFake struct {
	srv *httptest.Server

	mu     sync.Mutex
	seen   []*http.Request
	status int
	body   string
}

func newOIDCFake(t *testing.T, status int, body string) *oidcFake {
	t.Helper()
	f := &oidcFake{status: status, body: body}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.seen = append(f.seen, r.Clone(context.Background()))
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *oidcFake) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.seen...)
}

func TestGitHubActions(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		audience     string
		wantAudience string
	}{
		"default audience": {wantAudience: AudienceGlobal},
		"custom audience":  {audience: "api://custom", wantAudience: "api://custom"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEntra(t, appID)
			e.accept("gh-oidc-jwt")
			gh := newOIDCFake(t, http.StatusOK, `{"count":1,"value":"gh-oidc-jwt"}`)
			cfg := plugin.Config{"client_id": appID, "tenant_id": tenant, "authority_host": e.srv.URL, "scopes": scope,
				// GitHub's request URL carries its own query.
				KeyRequestURL: gh.srv.URL + "/_apis/token?api-version=2.0", KeyRequestToken: "gh-request-token"}
			if tc.audience != "" {
				cfg[KeyAudience] = tc.audience
			}
			tok, logs, err := getToken(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken.IsZero() {
				t.Fatal("no access token")
			}
			reqs := gh.requests()
			if len(reqs) != 1 {
				t.Fatalf("GitHub token requests = %d, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodGet || r.URL.Path != "/_apis/token" {
				t.Errorf("request = %s %s, want GET /_apis/token", r.Method, r.URL.Path)
			}
			wantQuery := url.Values{"api-version": {"2.0"}, "audience": {tc.wantAudience}}
			if diff := cmp.Diff(wantQuery, r.URL.Query()); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if got := r.Header.Get("Authorization"); got != "bearer gh-request-token" {
				t.Errorf("Authorization = %q, want bearer and the request token", got)
			}
			if strings.Contains(logs, "gh-oidc-jwt") || strings.Contains(logs, "gh-request-token") {
				t.Errorf("the logs show a secret:\n%s", logs)
			}
		})
	}
}

func TestAzurePipelines(t *testing.T) {
	t.Parallel()
	e := newEntra(t, appID)
	e.accept("ado-oidc-jwt")
	ado := newOIDCFake(t, http.StatusOK, `{"oidcToken":"ado-oidc-jwt"}`)
	cfg := plugin.Config{"client_id": appID, "authority": e.authority(), "scopes": scope,
		KeyRequestURL:        ado.srv.URL + "/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
		KeyRequestToken:      "system-access-token",
		KeyServiceConnection: "sc-0001"}
	if _, _, err := getToken(t, cfg); err != nil {
		t.Fatal(err)
	}
	reqs := ado.requests()
	if len(reqs) != 1 {
		t.Fatalf("Azure Pipelines token requests = %d, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/oidctoken") {
		t.Errorf("request = %s %s, want POST …/oidctoken", r.Method, r.URL.Path)
	}
	if diff := cmp.Diff(url.Values{"api-version": {"7.1"}, "serviceConnectionId": {"sc-0001"}}, r.URL.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	for h, want := range map[string]string{"Authorization": "Bearer system-access-token", "X-TFS-FedAuthRedirect": "Suppress"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

func TestOIDCEndpointFailures(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status int
		body   string
		want   plugin.Kind
	}{
		"401 bad request token":   {status: 401, body: `{"message":"Bad credentials"}`, want: plugin.KindRefused},
		"403":                     {status: 403, body: ``, want: plugin.KindRefused},
		"500":                     {status: 500, body: `oops`, want: plugin.KindUnavailable},
		"429":                     {status: 429, body: ``, want: plugin.KindUnavailable},
		"not JSON":                {status: 200, body: `<html>sign in</html>`, want: plugin.KindUnavailable},
		"no value":                {status: 200, body: `{"count":0}`, want: plugin.KindUnavailable},
		"value of the wrong type": {status: 200, body: `{"value":42}`, want: plugin.KindUnavailable},
		"redirect to sign-in":     {status: 302, body: ``, want: plugin.KindRefused},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEntra(t, appID)
			gh := newOIDCFake(t, tc.status, tc.body)
			cfg := plugin.Config{"client_id": appID, "authority": e.authority(), "scopes": scope,
				KeySource: SourceGitHub, KeyRequestURL: gh.srv.URL + "/token", KeyRequestToken: "gh-request-token"}
			_, _, err := getToken(t, cfg)
			if got := plugin.KindOf(err); got != tc.want {
				t.Fatalf("GetToken error = %v (kind %v), want kind %v", err, got, tc.want)
			}
			if strings.Contains(err.Error(), "gh-request-token") {
				t.Errorf("the error shows the request token: %v", err)
			}
			if n := len(e.requests()); n != 0 {
				t.Errorf("token requests = %d, want none without an assertion", n)
			}
		})
	}
}

func TestOIDCEndpointUnreachable(t *testing.T) {
	t.Parallel()
	e := newEntra(t, appID)
	gh := newOIDCFake(t, 200, `{}`)
	dead := gh.srv.URL
	gh.srv.Close()
	cfg := plugin.Config{"client_id": appID, "authority": e.authority(), "scopes": scope,
		KeyRequestURL: dead + "/token", KeyRequestToken: "gh-request-token"}
	_, _, err := getToken(t, cfg)
	if !errors.Is(err, plugin.ErrUnavailable) {
		t.Fatalf("error = %v, want ErrUnavailable", err)
	}
}

// TestEntraErrorPassesThrough checks that Entra's refusal reaches the host
// as an *plugin.OAuthError with its AADSTS code and ids.
func TestEntraErrorPassesThrough(t *testing.T) {
	t.Parallel()
	e := newEntra(t, appID)
	e.accept("the-registered-one")
	file := writeFile(t, t.TempDir(), "token", "an-unknown-jwt")
	_, _, err := getToken(t, plugin.Config{"client_id": appID, "authority": e.authority(), "scopes": scope, KeyAssertionFile: file})
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) {
		t.Fatalf("error = %v, want an *OAuthError", err)
	}
	if oe.Code != "invalid_client" || !cmp.Equal(oe.ErrorCodes, []int64{70021}) || oe.TraceID != "t-1" || plugin.KindOf(err) != plugin.KindRefused {
		t.Errorf("OAuthError = %+v", oe)
	}
	if strings.Contains(err.Error(), "an-unknown-jwt") {
		t.Errorf("the error shows the assertion: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeFile(t, dir, "token", "jwt")
	empty := writeFile(t, dir, "empty", " \n")
	huge := writeFile(t, dir, "huge", strings.Repeat("x", oauth.MaxAssertionFileSize+1))
	good := plugin.Config{"client_id": appID, "authority": "https://login.microsoftonline.com/" + tenant, "scopes": scope, KeyAssertionFile: file}
	with := func(kv ...string) plugin.Config {
		c := plugin.Config{}
		for k, v := range good {
			c[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(c, kv[i])
			} else {
				c[kv[i]] = kv[i+1]
			}
		}
		return c
	}
	tests := map[string]struct {
		cfg  plugin.Config
		want string
	}{
		"no client_id":        {cfg: with("client_id", ""), want: "client_id"},
		"no endpoint":         {cfg: with("authority", ""), want: "tenant_id"},
		"bad tenant":          {cfg: with("authority", "", "tenant_id", "../evil"), want: "tenant_id"},
		"http authority":      {cfg: with("authority", "http://login.example.com/"+tenant), want: "http"},
		"no scope":            {cfg: with("scopes", ""), want: "scopes"},
		"no source":           {cfg: with(KeyAssertionFile, ""), want: KeyAssertionFile},
		"unknown source":      {cfg: with(KeySource, "vault"), want: "vault"},
		"file source no file": {cfg: with(KeySource, SourceFile, KeyAssertionFile, ""), want: KeyAssertionFile},
		"missing file":        {cfg: with(KeyAssertionFile, dir+"/nope"), want: "no such file"},
		"empty file":          {cfg: with(KeyAssertionFile, empty), want: "empty"},
		"huge file":           {cfg: with(KeyAssertionFile, huge), want: "larger"},
		"github without token": {
			cfg: with(KeyAssertionFile, "", KeyRequestURL, "https://token.actions.example.com/x"), want: KeyRequestToken,
		},
		"github over plain http": {
			cfg: with(KeyAssertionFile, "", KeyRequestURL, "http://token.actions.example.com/x", KeyRequestToken, "t"), want: "http",
		},
		"pipelines without connection": {
			cfg: with(KeySource, SourceAzurePipelines, KeyRequestURL, "https://dev.azure.example.com/x", KeyRequestToken, "t"), want: KeyServiceConnection,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, _, err := getToken(t, tc.cfg)
			if plugin.KindOf(err) != plugin.KindConfig {
				t.Fatalf("error = %v, want a configuration error", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestDefaultAudience(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"https://login.microsoftonline.com/t/oauth2/v2.0/token":           AudienceGlobal,
		"https://login.microsoftonline.us/t/oauth2/v2.0/token":            AudienceUSGov,
		"https://login.usgovcloudapi.net/t/oauth2/v2.0/token":             AudienceUSGov,
		"https://login.chinacloudapi.cn/t/oauth2/v2.0/token":              AudienceChina,
		"https://login.partner.microsoftonline.cn/t/oauth2/v2.0/token":    AudienceChina,
		"http://127.0.0.1:8080/contoso.onmicrosoft.com/oauth2/v2.0/token": AudienceGlobal,
		"::not a url": AudienceGlobal,
	}
	for in, want := range tests {
		if got := defaultAudience(in); got != want {
			t.Errorf("defaultAudience(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestInfoKeys checks that every key the provider reads can be written in
// a profile or given as a flag, and that the secret ones are marked so.
func TestInfoKeys(t *testing.T) {
	t.Parallel()
	for _, k := range Info.Keys {
		spec, ok := config.Lookup(k.Name)
		if !ok {
			t.Errorf("key %s is not a configuration key", k.Name)
			continue
		}
		if spec.Secret != k.Secret || spec.List != k.List {
			t.Errorf("key %s: Info says secret=%v list=%v, the key table secret=%v list=%v", k.Name, k.Secret, k.List, spec.Secret, spec.List)
		}
	}
}
