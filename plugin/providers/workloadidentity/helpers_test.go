package workloadidentity

import (
	"bytes"
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

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// tenant is the domain tenant of the fake Entra authority.
const tenant = "contoso.onmicrosoft.com"

// entra is a fake Entra ID token endpoint at /TENANT/oauth2/v2.0/token. It
// answers a client_credentials request carrying the expected federated
// assertion with a v2.0 token response, and anything else with Entra's
// AADSTS70021 invalid_client error.
type entra struct {
	srv      *httptest.Server
	clientID string

	mu    sync.Mutex
	want  string       // the assertion it accepts
	forms []url.Values // every request's form
}

func newEntra(t *testing.T, clientID string) *entra {
	t.Helper()
	e := &entra{clientID: clientID}
	e.srv = httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(e.srv.Close)
	return e
}

// authority is the fake's authority URL, http://127.0.0.1:PORT/TENANT.
func (e *entra) authority() string { return e.srv.URL + "/" + tenant }

// tokenURL is the fake's token endpoint.
func (e *entra) tokenURL() string { return e.authority() + "/oauth2/v2.0/token" }

// accept sets the assertion the fake accepts.
func (e *entra) accept(jwt string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.want = jwt
}

// requests returns the forms received so far.
func (e *entra) requests() []url.Values {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]url.Values(nil), e.forms...)
}

func (e *entra) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/"+tenant+"/oauth2/v2.0/token" {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	e.mu.Lock()
	e.forms = append(e.forms, r.PostForm)
	want := e.want
	n := len(e.forms)
	e.mu.Unlock()
	f := r.PostForm
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if f.Get("grant_type") != "client_credentials" || f.Get("client_id") != e.clientID ||
		f.Get("client_assertion_type") != AssertionType || f.Get("client_assertion") != want || f.Get("client_secret") != "" {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client","error_description":"AADSTS70021: No matching federated identity record found for presented assertion.",` +
			`"error_codes":[70021],"trace_id":"t-1","correlation_id":"c-1"}`))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
		"access_token": "entra-at-" + strings.Repeat("x", n),
	})
}

// writeFile writes content to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// newRequest is a request for cfg whose logger writes to the returned
// buffer at trace level, so tests can look for leaked secrets.
func newRequest(cfg plugin.Config) (*plugin.Request, *syncBuffer) {
	buf := &syncBuffer{}
	logger := hclog.New(&hclog.LoggerOptions{Output: buf, Level: hclog.Trace})
	return &plugin.Request{Config: cfg, Interaction: plugin.NoInteraction{}, Logger: logger}, buf
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// getToken runs the provider once.
func getToken(t *testing.T, cfg plugin.Config) (*plugin.Token, string, error) {
	t.Helper()
	req, logs := newRequest(cfg)
	tok, err := Provider{}.GetToken(context.Background(), req)
	return tok, logs.String(), err
}
