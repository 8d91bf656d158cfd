package oauth

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// secretEq compares Secrets by value in cmp.Diff.
var secretEq = cmp.Comparer(func(a, b plugin.Secret) bool { return a.Reveal() == b.Reveal() })

// reply is one canned answer of a stub token endpoint.
type reply struct {
	status int
	header map[string]string
	body   string
}

// jsonReply is a reply with a JSON content type.
func jsonReply(status int, body string) reply {
	return reply{status: status, header: map[string]string{"Content-Type": "application/json; charset=utf-8"}, body: body}
}

// seen is what the stub saw of one request.
type seen struct {
	Form        url.Values
	ContentType string
	Accept      string
	BasicUser   string
	BasicPass   string
	HasBasic    bool
}

// stub is a token endpoint that answers its replies in order, repeating
// the last one, and records every request.
type stub struct {
	mu      sync.Mutex
	replies []reply
	reqs    []seen
}

// newStub starts a stub on a loopback httptest server.
func newStub(t *testing.T, replies ...reply) (*stub, *httptest.Server) {
	t.Helper()
	s := &stub{replies: replies}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	user, pass, ok := r.BasicAuth()
	s.mu.Lock()
	s.reqs = append(s.reqs, seen{Form: r.PostForm, ContentType: r.Header.Get("Content-Type"),
		Accept: r.Header.Get("Accept"), BasicUser: user, BasicPass: pass, HasBasic: ok})
	rep := s.replies[min(len(s.reqs), len(s.replies))-1]
	s.mu.Unlock()
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write([]byte(rep.body))
}

// requests returns what the stub has seen.
func (s *stub) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

// testClient is a Client for srv with fast retries and the fixed clock.
func testClient(tokenURL string, auth ClientAuth) *Client {
	return &Client{
		TokenURL: tokenURL,
		ClientID: "app-id",
		Auth:     auth,
		Backoff:  time.Millisecond,
		Now:      func() time.Time { return testNow },
	}
}

// countingAuth mints a numbered "assertion" on every Apply, as a JWT
// client assertion would.
type countingAuth struct {
	mu sync.Mutex
	n  int
}

func (a *countingAuth) Apply(_ context.Context, req *AuthRequest) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	req.Form.Set("client_assertion", strconv.Itoa(a.n))
	return nil
}

func (a *countingAuth) calls() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// noNetwork is a RoundTripper that fails the test if it is used.
type noNetwork struct{ t *testing.T }

func (n noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.t.Errorf("unexpected request to %s", r.URL.Host)
	return nil, http.ErrHandlerTimeout
}

// tokenBody is a minimal successful answer.
const tokenBody = `{"access_token":"at-value","token_type":"Bearer","expires_in":3599}`

// newTLSServer starts an https httptest server for h.
func newTLSServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // expected handshake failures
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}
