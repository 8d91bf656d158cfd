package devicecode

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// tenant is the Entra tenant of the fake authority.
const tenant = "contoso.onmicrosoft.com"

// fakeEntra is Entra ID's device-code and token endpoints. Device
// authorization answers deviceAnswer; each token request answers the next
// of tokenAnswers (the last one repeats). Every request is recorded.
type fakeEntra struct {
	srv          *httptest.Server
	deviceAnswer answer
	mu           sync.Mutex
	tokenAnswers []answer
	requests     []seen
}

// answer is one scripted HTTP answer.
type answer struct {
	status int
	body   map[string]any
}

// seen is one recorded request.
type seen struct {
	Path       string
	User, Pass string
	Form       url.Values
}

func newFakeEntra(t *testing.T, tokenAnswers ...answer) *fakeEntra {
	t.Helper()
	f := &fakeEntra{deviceAnswer: entraDeviceCode(), tokenAnswers: tokenAnswers}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeEntra) authority() string { return f.srv.URL + "/" + tenant }

func (f *fakeEntra) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	user, pass, _ := r.BasicAuth()
	f.mu.Lock()
	f.requests = append(f.requests, seen{Path: r.URL.Path, User: user, Pass: pass, Form: r.PostForm})
	a := f.deviceAnswer
	if strings.HasSuffix(r.URL.Path, "/token") {
		a = f.tokenAnswers[0]
		if len(f.tokenAnswers) > 1 {
			f.tokenAnswers = f.tokenAnswers[1:]
		}
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

func (f *fakeEntra) seen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.requests...)
}

// entraDeviceCode is a device authorization answer as Entra words it.
func entraDeviceCode() answer {
	return answer{200, map[string]any{
		"device_code":      "DAQABAAEAAAD--secret-device-code",
		"user_code":        "GLXQ8NZ9P",
		"verification_uri": "https://microsoft.com/devicelogin",
		"expires_in":       900,
		"interval":         5,
		"message":          "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code GLXQ8NZ9P to authenticate.",
	}}
}

// oauthError is an Entra-style error answer.
func oauthError(status int, code string, aadsts int) answer {
	return answer{status, map[string]any{"error": code, "error_description": "AADSTS" + itoa(aadsts) + ": " + code,
		"error_codes": []int{aadsts}, "trace_id": "trace-1", "correlation_id": "corr-1"}}
}

func pending() answer  { return oauthError(400, "authorization_pending", 70016) }
func slowDown() answer { return oauthError(400, "slow_down", 0) }

// tokens is a token answer with a refresh token and an ID token naming
// user.
func tokens(access, refresh, user string) answer {
	return answer{200, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600,
		"refresh_token": refresh, "id_token": idToken(map[string]any{"preferred_username": user, "oid": "o", "tid": "t"}),
		"scope": "api://app/.default"}}
}

// idToken is an unsigned compact JWS with claims, enough for Account.
func idToken(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(b) + ".sig"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// fakeInteraction records what the provider shows and asks. With refuse
// set, every method answers that nobody can be asked.
type fakeInteraction struct {
	refuse  bool
	mu      sync.Mutex
	notices []plugin.Notice
}

func (f *fakeInteraction) Notify(_ context.Context, n plugin.Notice) error {
	if f.refuse {
		return plugin.ErrInteractionRequired
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notices = append(f.notices, n)
	return nil
}

func (f *fakeInteraction) OpenBrowser(context.Context, string, string) (bool, error) {
	return false, plugin.ErrInteractionRequired
}

func (f *fakeInteraction) Prompt(context.Context, string, bool) (string, error) {
	return "", plugin.ErrInteractionRequired
}

func (f *fakeInteraction) shown() []plugin.Notice {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]plugin.Notice(nil), f.notices...)
}

// fakeClock is Provider.Now and Provider.Sleep: sleeping advances the
// clock at once and records the wait.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	err    error // returned by Sleep instead of sleeping, when set
}

var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

// provider returns a Provider on a fresh fake clock.
func provider() (Provider, *fakeClock) {
	c := &fakeClock{now: t0}
	return Provider{Now: c.Now, Sleep: c.Sleep}, c
}

// request builds a request for the fake Entra's public client "app".
func request(f *fakeEntra, ia plugin.Interaction, extra plugin.Config) *plugin.Request {
	cfg := plugin.Config{"authority": f.authority(), "client_id": "app", "scopes": `["api://app/.default"]`}
	for k, v := range extra {
		cfg[k] = v
	}
	return &plugin.Request{Config: cfg, Interaction: ia, Logger: hclog.NewNullLogger()}
}
