package onbehalfof

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// recorder is a token endpoint that records each request's path, form
// and Basic credentials, and issues a token with a refresh token.
type recorder struct {
	mu       sync.Mutex
	requests []seen
}

type seen struct {
	Path, User, Pass string
	Form             url.Values
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	user, pass, _ := r.BasicAuth()
	rec.mu.Lock()
	rec.requests = append(rec.requests, seen{Path: r.URL.Path, User: user, Pass: pass, Form: r.PostForm})
	rec.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "downstream", "token_type": "Bearer",
		"expires_in": 3600, "refresh_token": "rt", "scope": "https://graph.microsoft.com/User.Read"})
}

func (rec *recorder) all() []seen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.requests
}

func request(cfg plugin.Config) *plugin.Request {
	return &plugin.Request{Config: cfg, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
}

func TestOnBehalfOfRequestShape(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	cfg := plugin.Config{
		"authority": srv.URL + "/contoso.onmicrosoft.com", "client_id": "middle-tier",
		"client_secret": "s3cret", "assertion": "incoming.jwt.token",
		"scopes": `["https://graph.microsoft.com/.default"]`,
	}
	tok, err := Provider{}.GetToken(context.Background(), request(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken.Reveal() != "downstream" || tok.State != nil {
		t.Errorf("token = %q, state %q; want the downstream token and no state", tok.AccessToken.Reveal(), tok.State)
	}
	want := []seen{{
		Path: "/contoso.onmicrosoft.com/oauth2/v2.0/token", User: "middle-tier", Pass: "s3cret",
		Form: url.Values{
			"grant_type":          {"urn:ietf:params:oauth:grant-type:jwt-bearer"},
			"assertion":           {"incoming.jwt.token"},
			"requested_token_use": {"on_behalf_of"},
			"scope":               {"https://graph.microsoft.com/.default"},
			"client_id":           {"middle-tier"},
		},
	}}
	if diff := cmp.Diff(want, rec.all()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestOnBehalfOfRefusesBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	base := func(tenant string) plugin.Config {
		return plugin.Config{"authority": srv.URL + "/" + tenant, "client_id": "app", "client_secret": "s", "assertion": "a"}
	}
	without := func(cfg plugin.Config, key string) plugin.Config { delete(cfg, key); return cfg }
	tests := map[string]plugin.Config{
		"no assertion":            without(base("contoso.com"), "assertion"),
		"public client":           without(base("contoso.com"), "client_secret"),
		"common tenant":           base("common"),
		"organizations tenant":    base("organizations"),
		"missing assertion value": {"authority": srv.URL + "/contoso.com", "client_id": "app", "client_secret": "s", "assertion": "env:KEYFOB_TEST_UNSET_ASSERTION"},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Provider{}.GetToken(context.Background(), request(cfg))
			if plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("error = %v (kind %v), want a configuration error", err, plugin.KindOf(err))
			}
		})
	}
	if n := len(rec.all()); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
}
