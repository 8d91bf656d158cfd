package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// revokeAt revokes "rt-value" as a refresh token at srv's /revoke with c.
func revokeAt(ctx context.Context, c *Client, srv *httptest.Server) error {
	return c.Revoke(ctx, srv.URL+"/revoke", plugin.NewSecret("rt-value"), HintRefreshToken)
}

func TestRevokeOutcomes(t *testing.T) {
	t.Parallel()
	html := func(status int) reply {
		return reply{status: status, header: map[string]string{"Content-Type": "text/html"}, body: htmlPage}
	}
	tests := map[string]struct {
		replies     []reply
		wantReqs    int
		wantKind    plugin.Kind // KindInternal means success
		wantMsg     string      // a substring of the error
		unsupported bool        // the error wraps ErrUnsupportedTokenType
	}{
		"200 with no body is revoked":          {replies: []reply{{status: 200}}, wantReqs: 1},
		"200 with an HTML body is revoked":     {replies: []reply{html(200)}, wantReqs: 1},
		"204 is revoked":                       {replies: []reply{{status: 204}}, wantReqs: 1},
		"500, 503, 200 revokes on the third":   {replies: []reply{jsonReply(500, `{}`), html(503), {status: 200}}, wantReqs: 3},
		"temporarily_unavailable is retried":   {replies: []reply{jsonReply(400, `{"error":"temporarily_unavailable"}`), {status: 200}}, wantReqs: 2},
		"HTML 502 forever: three attempts":     {replies: []reply{html(502)}, wantReqs: 3, wantKind: plugin.KindUnavailable, wantMsg: "HTTP 502 (after 3 attempts)"},
		"401 invalid_client is not retried":    {replies: []reply{jsonReply(401, `{"error":"invalid_client"}`), {status: 200}}, wantReqs: 1, wantKind: plugin.KindRefused, wantMsg: ": invalid_client"},
		"HTML 403 is refused at once":          {replies: []reply{html(403)}, wantReqs: 1, wantKind: plugin.KindRefused, wantMsg: "HTTP 403"},
		"unsupported_token_type is told apart": {replies: []reply{jsonReply(400, `{"error":"unsupported_token_type"}`)}, wantReqs: 1, wantKind: plugin.KindRefused, wantMsg: ": unsupported_token_type", unsupported: true},
		"error body over 1 MiB": {replies: []reply{jsonReply(400, `{"error":"`+strings.Repeat("a", MaxBodySize)+`"}`)},
			wantReqs: 1, wantKind: plugin.KindUnavailable, wantMsg: "exceeds the 1 MiB cap"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, srv := newStub(t, tc.replies...)
			err := revokeAt(t.Context(), testClient(srv.URL+"/token", nil), srv)
			if got := len(s.requests()); got != tc.wantReqs {
				t.Errorf("requests = %d, want %d", got, tc.wantReqs)
			}
			checkRevokeOutcome(t, err, tc.wantKind, tc.wantMsg)
			if got := errors.Is(err, ErrUnsupportedTokenType); got != tc.unsupported {
				t.Errorf("errors.Is(%v, ErrUnsupportedTokenType) = %v, want %v", err, got, tc.unsupported)
			}
		})
	}
}

// checkRevokeOutcome checks a success (wantKind KindInternal) or an error
// of the wanted kind whose text holds wantMsg and never a body or token.
func checkRevokeOutcome(t *testing.T, err error, wantKind plugin.Kind, wantMsg string) {
	t.Helper()
	if wantKind == plugin.KindInternal {
		if err != nil {
			t.Fatalf("Revoke() = %v, want success", err)
		}
		return
	}
	if got := plugin.KindOf(err); err == nil || got != wantKind {
		t.Fatalf("Revoke() = %v (kind %v), want a %v error", err, got, wantKind)
	}
	if msg := err.Error(); !strings.Contains(msg, wantMsg) || strings.Contains(msg, "rt-value") || strings.Contains(msg, "secret-looking") {
		t.Errorf("error %q: want it to contain %q and no body or token", msg, wantMsg)
	}
}

// audienceAuth records the TokenURL each Apply is given.
type audienceAuth struct{ got atomic.Value }

func (a *audienceAuth) Apply(_ context.Context, req *AuthRequest) error {
	a.got.Store(req.TokenURL)
	req.Form.Set("client_assertion", "jwt")
	return nil
}

func TestRevokeSendsTheFormWithClientAuth(t *testing.T) {
	t.Parallel()
	const secret = "p@ss:w%rd"
	s, srv := newStub(t, reply{status: 200})
	if err := revokeAt(t.Context(), testClient(srv.URL+"/token", SecretBasic{Secret: plugin.NewSecret(secret)}), srv); err != nil {
		t.Fatal(err)
	}
	want := []seen{{
		Form:        url.Values{"client_id": {"app-id"}, "token": {"rt-value"}, "token_type_hint": {"refresh_token"}},
		ContentType: "application/x-www-form-urlencoded", Accept: "application/json",
		HasBasic: true, BasicUser: "app-id", BasicPass: url.QueryEscape(secret),
	}}
	if diff := cmp.Diff(want, s.requests()); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

func TestRevokeAssertionNamesTheTokenEndpoint(t *testing.T) {
	t.Parallel()
	s, srv := newStub(t, reply{status: 200})
	auth := &audienceAuth{}
	if err := revokeAt(t.Context(), testClient(srv.URL+"/token", auth), srv); err != nil {
		t.Fatal(err)
	}
	if got := auth.got.Load(); got != srv.URL+"/token" {
		t.Errorf("assertion audience = %v, want the token endpoint %s/token", got, srv.URL)
	}
	if got := s.requests()[0].Form.Get("client_assertion"); got != "jwt" {
		t.Errorf("client_assertion = %q, want jwt", got)
	}
}

func TestRevokeWithoutHint(t *testing.T) {
	t.Parallel()
	s, srv := newStub(t, reply{status: 200})
	if err := testClient(srv.URL, nil).Revoke(t.Context(), srv.URL, plugin.NewSecret("at"), ""); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(url.Values{"client_id": {"app-id"}, "token": {"at"}}, s.requests()[0].Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
}

func TestRevokeAppliesAuthFreshPerAttempt(t *testing.T) {
	t.Parallel()
	s, srv := newStub(t, jsonReply(503, `{}`), reply{status: 200})
	auth := &countingAuth{}
	if err := revokeAt(t.Context(), testClient(srv.URL, auth), srv); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.requests() {
		got = append(got, r.Form.Get("client_assertion"))
	}
	if diff := cmp.Diff([]string{"1", "2"}, got); diff != "" {
		t.Errorf("assertions per attempt (-want +got):\n%s", diff)
	}
}

func TestRevokeDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/revoke", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { followed.Add(1) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	err := revokeAt(t.Context(), testClient(srv.URL+"/token", nil), srv)
	if followed.Load() != 0 {
		t.Errorf("redirect followed %d times", followed.Load())
	}
	if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), "HTTP 307, a redirect") {
		t.Errorf("error = %v (kind %v), want a config error naming HTTP 307", err, plugin.KindOf(err))
	}
}

func TestRevokeNetworkFailuresAreRetried(t *testing.T) {
	t.Parallel()
	addr := closedPort(t)
	auth := &countingAuth{}
	err := testClient("http://"+addr+"/token", auth).Revoke(t.Context(), "http://"+addr+"/revoke", plugin.NewSecret("rt"), HintRefreshToken)
	if want := addr + ": connection refused (after 3 attempts)"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	if plugin.KindOf(err) != plugin.KindUnavailable || auth.calls() != 3 {
		t.Errorf("kind %v after %d attempts, want unavailable after 3", plugin.KindOf(err), auth.calls())
	}
}

func TestRevokeRefusesPlainHTTPBeforeConnecting(t *testing.T) {
	t.Parallel()
	auth := &countingAuth{}
	c := testClient("https://example.invalid/token", auth)
	c.HTTPClient = &http.Client{Transport: noNetwork{t}}
	err := c.Revoke(t.Context(), "http://example.invalid/revoke", plugin.NewSecret("rt"), HintRefreshToken)
	if plugin.KindOf(err) != plugin.KindConfig || auth.calls() != 0 {
		t.Errorf("error = %v (kind %v) after %d Apply calls, want a config error before any", err, plugin.KindOf(err), auth.calls())
	}
}

func TestRevokeTooManyRequests(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		retryAfter string
		deadline   time.Duration
		wantReqs   int
		wantErr    bool
	}{
		"Retry-After within the deadline: wait and revoke": {retryAfter: "1", deadline: 20 * time.Second, wantReqs: 2},
		"Retry-After beyond the deadline: fail at once":    {retryAfter: "60", deadline: 5 * time.Second, wantReqs: 1, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, srv := newStub(t, reply{status: 429, header: map[string]string{"Retry-After": tc.retryAfter}}, reply{status: 200})
			ctx, cancel := context.WithTimeout(t.Context(), tc.deadline)
			defer cancel()
			start := time.Now()
			err := revokeAt(ctx, testClient(srv.URL, nil), srv)
			if got := len(s.requests()); got != tc.wantReqs || (err != nil) != tc.wantErr {
				t.Fatalf("Revoke() = %v after %d requests, want error %v after %d", err, got, tc.wantErr, tc.wantReqs)
			}
			check429(t, err, time.Since(start))
		})
	}
}
