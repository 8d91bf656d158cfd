package grant

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// fakeEntra is an Entra-shaped token endpoint at /{tenant}/oauth2/v2.0/token
// that records the forms it receives and answers with answer.
type fakeEntra struct {
	*httptest.Server
	mu     sync.Mutex
	forms  []url.Values
	answer func(w http.ResponseWriter)
}

func newFakeEntra(t *testing.T, answer func(w http.ResponseWriter)) *fakeEntra {
	f := &fakeEntra{answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		f.forms = append(f.forms, r.PostForm)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		f.answer(w)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeEntra) received() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.forms
}

func okToken(w http.ResponseWriter) {
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600})
}

func newRequest(cfg plugin.Config, claims string) *plugin.Request {
	return &plugin.Request{Config: cfg, Claims: claims, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
}

// TestPostSendsScopeAndClaims: the one send path adds scope and the merged
// claims (challenge + client_capabilities) to grants and refreshes alike.
func TestPostSendsScopeAndClaims(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, okToken)
	cfg := plugin.Config{"authority": f.URL + "/contoso.onmicrosoft.com", "client_id": "app",
		"scopes": `["api://x/.default"]`, "client_capabilities": `["cp1"]`}
	s, err := NewSetup(context.Background(), newRequest(cfg, `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Post(context.Background(), url.Values{"grant_type": {"client_credentials"}}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Refresh(context.Background(), plugin.NewSecret("rt")); err != nil {
		t.Fatal(err)
	}
	wantClaims := `{"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]}}}`
	for i, form := range f.received() {
		got := map[string]string{"scope": form.Get("scope"), "claims": form.Get("claims")}
		if diff := cmp.Diff(map[string]string{"scope": "api://x/.default", "claims": wantClaims}, got); diff != "" {
			t.Errorf("request %d (-want +got):\n%s", i, diff)
		}
	}
	if n := len(f.received()); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

// TestPostRefusesGrantsTheTenantForbids: checked before any request.
func TestPostRefusesGrantsTheTenantForbids(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		tenant, grant string
		wantRequests  int
	}{
		"password on common":             {"common", "password", 0},
		"password on consumers":          {"consumers", "password", 0},
		"client_credentials on orgs":     {"organizations", "client_credentials", 0},
		"password on organizations":      {"organizations", "password", 1},
		"client_credentials on a tenant": {"contoso.onmicrosoft.com", "client_credentials", 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeEntra(t, okToken)
			cfg := plugin.Config{"authority": f.URL + "/" + tc.tenant, "client_id": "app"}
			s, err := NewSetup(context.Background(), newRequest(cfg, ""))
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Post(context.Background(), url.Values{"grant_type": {tc.grant}}, "")
			if got := len(f.received()); got != tc.wantRequests {
				t.Errorf("server saw %d requests, want %d", got, tc.wantRequests)
			}
			if tc.wantRequests == 0 && plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("error = %v (kind %v), want a configuration error", err, plugin.KindOf(err))
			}
			if tc.wantRequests > 0 && err != nil {
				t.Errorf("error = %v, want none", err)
			}
		})
	}
}

// TestPostExplainsEntraErrors: an AADSTS error gets its hint and kind,
// and keeps its ids.
func TestPostExplainsEntraErrors(t *testing.T) {
	t.Parallel()
	f := newFakeEntra(t, func(w http.ResponseWriter) {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_grant",
			"error_description": "AADSTS50076: Due to a configuration change made by your administrator...",
			"error_codes":       []int{50076}, "trace_id": "trace-9", "correlation_id": "corr-9"})
	})
	cfg := plugin.Config{"authority": f.URL + "/organizations", "client_id": "app"}
	s, err := NewSetup(context.Background(), newRequest(cfg, ""))
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Post(context.Background(), url.Values{"grant_type": {"password"}, "username": {"u"}, "password": {"p"}}, "u")
	if plugin.KindOf(err) != plugin.KindInteraction {
		t.Fatalf("error = %v (kind %v), want interaction_required", err, plugin.KindOf(err))
	}
	for _, want := range []string{"trace_id trace-9", "correlation_id corr-9", "; hint: multifactor authentication is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestClaimsRejectsBadChallenge(t *testing.T) {
	t.Parallel()
	_, err := Claims(newRequest(plugin.Config{}, "not json"))
	if plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("Claims(not json) error = %v, want a configuration error", err)
	}
}

// TestResourceParameter: a resource becomes the scope RESOURCE/.default
// for Entra only; any other server gets RFC 8707's resource parameter,
// next to the scopes when there are any.
func TestResourceParameter(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		entra  bool
		cfg    plugin.Config
		scopes []string
		want   map[string]string
	}{
		"entra: /.default":             {entra: true, cfg: plugin.Config{"resource": "https://graph.microsoft.com/"}, want: map[string]string{"scope": "https://graph.microsoft.com/.default", "resource": ""}},
		"entra: scopes win":            {entra: true, cfg: plugin.Config{"resource": "https://r", "scopes": `["a"]`}, want: map[string]string{"scope": "a", "resource": ""}},
		"other server: RFC 8707":       {cfg: plugin.Config{"resource": "https://api.example.com/"}, want: map[string]string{"scope": "", "resource": "https://api.example.com/"}},
		"other server: with scopes":    {cfg: plugin.Config{"resource": "https://api.example.com/", "scopes": `["read"]`}, want: map[string]string{"scope": "read", "resource": "https://api.example.com/"}},
		"other server: --scope and it": {cfg: plugin.Config{"resource": "urn:api"}, scopes: []string{"write"}, want: map[string]string{"scope": "write", "resource": "urn:api"}},
		"other server: no resource":    {cfg: plugin.Config{"scopes": `["read"]`}, want: map[string]string{"scope": "read", "resource": ""}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeEntra(t, okToken)
			cfg := plugin.Config{"client_id": "app", "token_url": f.URL + "/token"}
			if tc.entra {
				cfg = plugin.Config{"client_id": "app", "authority": f.URL + "/contoso.onmicrosoft.com"}
			}
			for k, v := range tc.cfg {
				cfg[k] = v
			}
			req := newRequest(cfg, "")
			req.Scopes = tc.scopes
			s, err := NewSetup(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Post(context.Background(), url.Values{"grant_type": {"client_credentials"}}, ""); err != nil {
				t.Fatal(err)
			}
			form := f.received()[0]
			got := map[string]string{"scope": form.Get("scope"), "resource": form.Get("resource")}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}
