package authcode

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

const tenant = "contoso.onmicrosoft.com"

// fakeServer is an Entra-shaped authorization server. Its authorization
// endpoint signs the user in at once and redirects to redirect_uri with
// the code (or with callback's parameters when set); its token endpoint
// redeems the code only with the verifier of the recorded challenge.
type fakeServer struct {
	srv *httptest.Server
	// callback, when set, replaces the redirect's query; it gets the
	// authorization request's state.
	callback func(state string) url.Values

	mu        sync.Mutex
	authorize []url.Values
	token     []url.Values
	challenge string
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) authority() string { return f.srv.URL + "/" + tenant }

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/" + tenant + "/oauth2/v2.0/authorize":
		f.serveAuthorize(w, r)
	case "/" + tenant + "/oauth2/v2.0/token":
		f.serveToken(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeServer) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.authorize = append(f.authorize, q)
	f.challenge = q.Get("code_challenge")
	f.mu.Unlock()
	back := url.Values{"code": {"the-code"}, "state": {q.Get("state")}}
	if f.callback != nil {
		back = f.callback(q.Get("state"))
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
}

func (f *fakeServer) serveToken(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f.mu.Lock()
	f.token = append(f.token, r.PostForm)
	challenge := f.challenge
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch form := r.PostForm; {
	case form.Get("grant_type") == "refresh_token" && form.Get("refresh_token") == "dead":
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","error_codes":[700082]}`)
	case form.Get("grant_type") == "refresh_token",
		form.Get("code") == "the-code" && s256(form.Get("code_verifier")) == challenge:
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 3600,
			"refresh_token": "rt-" + form.Get("grant_type"), "id_token": idToken(map[string]any{"preferred_username": "alice@contoso.com"})})
	default:
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"AADSTS501481: The Code_Verifier does not match the code_challenge"}`)
	}
}

func (f *fakeServer) requests() (authorize, token []url.Values) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.authorize...), append([]url.Values(nil), f.token...)
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func idToken(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc(b) + ".sig"
}

// browser is a fake user with a browser: it visits URLs, follows
// redirects to the end, and remembers where it ended.
type browser struct {
	client *http.Client
}

func newBrowser() *browser { return &browser{client: &http.Client{Timeout: 10 * time.Second}} }

// visit GETs u and follows redirects; it returns the final status.
func (b *browser) visit(u string) (int, error) {
	resp, err := b.client.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// finalAddress GETs u and follows redirects, but stops before the redirect
// leaves the server: it returns that last address unvisited, as a user
// copies it from a browser's address bar.
func (b *browser) finalAddress(u string) (string, error) {
	base, _ := url.Parse(u)
	c := *b.client
	var last string
	c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
		if req.URL.Host != base.Host {
			last = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := c.Get(u)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if last == "" {
		return "", fmt.Errorf("no redirect away from %s", base.Host)
	}
	return last, nil
}

// fakeInteraction records the provider's calls. OpenBrowser (or, with
// visitOnNotify, a notice with a URL) makes the browser visit the URL;
// Prompt answers with answer.
type fakeInteraction struct {
	refuse        bool
	noBrowser     bool // OpenBrowser reports that no browser started
	visitOnNotify bool
	answer        func(shownURL string) string
	b             *browser

	mu       sync.Mutex
	calls    []string
	notices  []plugin.Notice
	lastURL  string
	visitErr error
	status   int
}

func newInteraction() *fakeInteraction { return &fakeInteraction{b: newBrowser()} }

func (f *fakeInteraction) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeInteraction) Notify(_ context.Context, n plugin.Notice) error {
	if f.refuse {
		return fmt.Errorf("KEYFOB_NONINTERACTIVE=1 forbids sign-in: %w", plugin.ErrInteractionRequired)
	}
	f.record("Notify")
	f.mu.Lock()
	f.notices = append(f.notices, n)
	if n.VerificationURI != "" {
		f.lastURL = n.VerificationURI
	}
	f.mu.Unlock()
	if f.visitOnNotify && n.VerificationURI != "" {
		f.visit(n.VerificationURI)
	}
	return nil
}

func (f *fakeInteraction) OpenBrowser(_ context.Context, u, _ string) (bool, error) {
	if f.refuse {
		return false, plugin.ErrInteractionRequired
	}
	f.record("OpenBrowser")
	if f.noBrowser {
		return false, nil
	}
	f.visit(u)
	return true, nil
}

func (f *fakeInteraction) Prompt(context.Context, string, bool) (string, error) {
	if f.refuse || f.answer == nil {
		return "", plugin.ErrInteractionRequired
	}
	f.record("Prompt")
	f.mu.Lock()
	u := f.lastURL
	f.mu.Unlock()
	return f.answer(u), nil
}

func (f *fakeInteraction) visit(u string) {
	status, err := f.b.visit(u)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.visitErr = status, err
}

func (f *fakeInteraction) callLog() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, " ")
}

func request(f *fakeServer, ia plugin.Interaction, extra plugin.Config) *plugin.Request {
	cfg := plugin.Config{"authority": f.authority(), "client_id": "app", "scopes": `["api://app/.default"]`}
	for k, v := range extra {
		cfg[k] = v
	}
	return &plugin.Request{Config: cfg, Interaction: ia, Logger: hclog.NewNullLogger()}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
