package tokenexchange

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// recorder is a token endpoint that records each request's form and
// Basic credentials and answers with answer.
type recorder struct {
	mu       sync.Mutex
	requests []seen
	answer   map[string]any
}

type seen struct {
	User, Pass string
	Form       url.Values
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	user, pass, _ := r.BasicAuth()
	rec.mu.Lock()
	rec.requests = append(rec.requests, seen{User: user, Pass: pass, Form: r.PostForm})
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(rec.answer)
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.requests
}

// start serves rec; answer defaults to an exchanged access token with a
// refresh token.
func start(t *testing.T, answer map[string]any) (*recorder, string) {
	t.Helper()
	if answer == nil {
		answer = map[string]any{"access_token": "exchanged", "token_type": "Bearer", "expires_in": 600,
			"issued_token_type": TokenTypeAccessToken, "refresh_token": "rt"}
	}
	rec := &recorder{answer: answer}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv.URL + "/token"
}

func request(cfg plugin.Config, scopes ...string) *plugin.Request {
	return &plugin.Request{Config: cfg, Scopes: scopes, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
}

// secretFile writes a token to a file for a file: reference.
func secretFile(t *testing.T, value string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(value+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return "file:" + path
}

func TestExchangeRequestShape(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cfg    plugin.Config
		scopes []string
		want   seen
	}{
		"subject only, public client, defaults": {
			cfg: plugin.Config{"subject_token": "subject.jwt", "client_id": "cli"},
			want: seen{Form: url.Values{"grant_type": {GrantType}, "client_id": {"cli"},
				"subject_token": {"subject.jwt"}, "subject_token_type": {TokenTypeAccessToken}}},
		},
		"no client at all": {
			cfg: plugin.Config{"subject_token": "subject.jwt"},
			want: seen{Form: url.Values{"grant_type": {GrantType},
				"subject_token": {"subject.jwt"}, "subject_token_type": {TokenTypeAccessToken}}},
		},
		"delegation with every parameter, confidential client": {
			cfg: plugin.Config{"subject_token": "subject.jwt", "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
				"actor_token": "actor.jwt", "audience": "downstream", "resource": "https://api.example/",
				"requested_token_type": "urn:ietf:params:oauth:token-type:jwt", "scopes": `["read","write"]`,
				"client_id": "svc", "client_secret": "s3cret"},
			want: seen{User: "svc", Pass: "s3cret", Form: url.Values{"grant_type": {GrantType}, "client_id": {"svc"},
				"subject_token": {"subject.jwt"}, "subject_token_type": {"urn:ietf:params:oauth:token-type:id_token"},
				"actor_token": {"actor.jwt"}, "actor_token_type": {TokenTypeAccessToken},
				"audience": {"downstream"}, "resource": {"https://api.example/"},
				"requested_token_type": {"urn:ietf:params:oauth:token-type:jwt"}, "scope": {"read write"}}},
		},
		"resource is not turned into a scope; --scope wins over scopes": {
			cfg:    plugin.Config{"subject_token": "subject.jwt", "resource": "https://graph.microsoft.com", "scopes": `["ignored"]`},
			scopes: []string{"flag"},
			want: seen{Form: url.Values{"grant_type": {GrantType}, "subject_token": {"subject.jwt"},
				"subject_token_type": {TokenTypeAccessToken}, "resource": {"https://graph.microsoft.com"}, "scope": {"flag"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec, tokenURL := start(t, nil)
			tc.cfg["token_url"] = tokenURL
			tok, err := Provider{}.GetToken(t.Context(), request(tc.cfg, tc.scopes...))
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken.Reveal() != "exchanged" || tok.State != nil || !tok.NoCache {
				t.Errorf("token %q, state %q, NoCache %v; want the exchanged token, no state, not cached",
					tok.AccessToken.Reveal(), tok.State, tok.NoCache)
			}
			if diff := cmp.Diff([]seen{tc.want}, rec.all()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExchangeReadsReferences(t *testing.T) {
	t.Parallel()
	rec, tokenURL := start(t, map[string]any{"access_token": "jwt.token.value", "token_type": "bearer",
		"issued_token_type": TokenTypeAccessToken, "expires_in": 300})
	cfg := plugin.Config{"token_url": tokenURL, "subject_token": secretFile(t, "from-file"), "actor_token": secretFile(t, "actor-file")}
	tok, err := Provider{}.GetToken(t.Context(), request(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if tok.TokenType != "Bearer" || tok.AccessToken.Reveal() != "jwt.token.value" {
		t.Errorf("token type %q, token %q; want the issued token as a Bearer token", tok.TokenType, tok.AccessToken.Reveal())
	}
	form := rec.all()[0].Form
	if got := [2]string{form.Get("subject_token"), form.Get("actor_token")}; got != [2]string{"from-file", "actor-file"} {
		t.Errorf("[subject_token, actor_token] = %q, want the files' contents", got)
	}
}

// TestExchangeRefusesNA: token_type N_A (an ID token or assertion, not an
// access token) cannot be presented as a bearer token: exit 5, naming the
// type and saying what to ask for instead.
func TestExchangeRefusesNA(t *testing.T) {
	t.Parallel()
	_, tokenURL := start(t, map[string]any{"access_token": "id.token.value", "token_type": "N_A",
		"issued_token_type": "urn:ietf:params:oauth:token-type:id_token", "expires_in": 300})
	cfg := plugin.Config{"token_url": tokenURL, "subject_token": "subject.jwt"}
	tok, err := Provider{}.GetToken(t.Context(), request(cfg))
	want := `token type "N_A" is not supported: keyfob presents bearer tokens only (the issued token is not an access token; ask for one with requested_token_type`
	if tok != nil || plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), want) {
		t.Fatalf("GetToken = %v, %v (kind %v); want exit 5 with %q", tok, err, plugin.KindOf(err), want)
	}
}

func TestExchangeRefusesBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	rec, tokenURL := start(t, nil)
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		cfg     plugin.Config
		wantErr string
	}{
		"no subject token":             {plugin.Config{}, "key subject_token is required"},
		"actor type without actor":     {plugin.Config{"subject_token": "s", "actor_token_type": "x"}, "key actor_token_type is set but actor_token is not"},
		"unset subject reference":      {plugin.Config{"subject_token": "env:KEYFOB_TEST_UNSET_SUBJECT"}, "KEYFOB_TEST_UNSET_SUBJECT is not set"},
		"empty subject file":           {plugin.Config{"subject_token": "file:" + empty}, "key subject_token is empty"},
		"missing actor file":           {plugin.Config{"subject_token": "s", "actor_token": "file:/nonexistent/actor"}, "secret file /nonexistent/actor"},
		"certificate without a client": {plugin.Config{"subject_token": "s", "client_certificate": "/x.pem"}, "key client_certificate is set but client_id is not"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.cfg["token_url"] = tokenURL
			_, err := Provider{}.GetToken(context.Background(), request(tc.cfg))
			if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v (kind %v), want a configuration error containing %q", err, plugin.KindOf(err), tc.wantErr)
			}
		})
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}

func TestExchangeServerRefusal(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"subject_token is invalid"}`))
	}))
	t.Cleanup(srv.Close)
	_, err := Provider{}.GetToken(t.Context(), request(plugin.Config{"token_url": srv.URL, "subject_token": "stale"}))
	if plugin.KindOf(err) != plugin.KindRefused || !strings.Contains(err.Error(), "subject_token is invalid") {
		t.Errorf("error = %v (kind %v), want the server's refusal", err, plugin.KindOf(err))
	}
}
