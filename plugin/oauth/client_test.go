package oauth

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

const htmlPage = "<html><body><h1>Bad Gateway</h1>secret-looking-body</body></html>"

func TestClientOutcomes(t *testing.T) {
	t.Parallel()
	html := func(status int) reply {
		return reply{status: status, header: map[string]string{"Content-Type": "text/html"}, body: htmlPage}
	}
	tests := map[string]struct {
		replies  []reply
		wantReqs int
		wantKind plugin.Kind // KindInternal means success
		wantMsg  string      // a substring of the error
	}{
		"500, 500, 200 succeeds on the third attempt": {
			replies:  []reply{jsonReply(500, `{"error":"server_error"}`), jsonReply(500, `{}`), jsonReply(200, tokenBody)},
			wantReqs: 3,
		},
		"503 forever: three attempts, then unavailable": {
			replies:  []reply{html(503)},
			wantReqs: 3, wantKind: plugin.KindUnavailable, wantMsg: "HTTP 503",
		},
		"temporarily_unavailable on a 400 is retried": {
			replies:  []reply{jsonReply(400, `{"error":"temporarily_unavailable"}`), jsonReply(200, tokenBody)},
			wantReqs: 2,
		},
		"400 invalid_client is not retried": {
			replies:  []reply{jsonReply(400, `{"error":"invalid_client"}`), jsonReply(200, tokenBody)},
			wantReqs: 1, wantKind: plugin.KindRefused, wantMsg: "invalid_client",
		},
		"400 interaction_required is not retried": {
			replies:  []reply{jsonReply(400, `{"error":"interaction_required"}`)},
			wantReqs: 1, wantKind: plugin.KindInteraction, wantMsg: "interaction_required",
		},
		"HTML 502 page is retried, then unavailable": {
			replies:  []reply{html(502)},
			wantReqs: 3, wantKind: plugin.KindUnavailable, wantMsg: "HTTP 502",
		},
		"HTML 403 page is refused at once": {
			replies:  []reply{html(403)},
			wantReqs: 1, wantKind: plugin.KindRefused, wantMsg: "HTTP 403",
		},
		"HTML 200 page is not a token": {
			replies:  []reply{html(200)},
			wantReqs: 1, wantKind: plugin.KindUnavailable, wantMsg: "content type text/html, not JSON",
		},
		"truncated JSON": {
			replies:  []reply{jsonReply(200, `{"access_token":"at-val`)},
			wantReqs: 1, wantKind: plugin.KindUnavailable, wantMsg: "HTTP 200 token response: JSON body is truncated",
		},
		"no access_token": {
			replies:  []reply{jsonReply(200, `{"token_type":"Bearer"}`)},
			wantReqs: 1, wantKind: plugin.KindUnavailable, wantMsg: "has no access_token",
		},
		"body over 1 MiB": {
			replies:  []reply{jsonReply(200, `{"access_token":"`+strings.Repeat("a", MaxBodySize)+`"}`)},
			wantReqs: 1, wantKind: plugin.KindUnavailable, wantMsg: "exceeds the 1 MiB cap",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, srv := newStub(t, tc.replies...)
			tr, err := testClient(srv.URL, nil).Token(t.Context(), url.Values{"grant_type": {"client_credentials"}})
			if got := len(s.requests()); got != tc.wantReqs {
				t.Errorf("requests = %d, want %d", got, tc.wantReqs)
			}
			checkOutcome(t, tr, err, tc.wantKind, tc.wantMsg)
		})
	}
}

// checkOutcome checks a success (wantKind KindInternal) or an error of
// the wanted kind whose text holds wantMsg and never a response body.
func checkOutcome(t *testing.T, tr *TokenResponse, err error, wantKind plugin.Kind, wantMsg string) {
	t.Helper()
	if wantKind == plugin.KindInternal {
		if err != nil || tr == nil || tr.AccessToken.Reveal() != "at-value" {
			t.Fatalf("Token() = %+v, %v; want at-value", tr, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Token() succeeded, want a %v error", wantKind)
	}
	if got := plugin.KindOf(err); got != wantKind {
		t.Errorf("KindOf(%q) = %v, want %v", err, got, wantKind)
	}
	if msg := err.Error(); !strings.Contains(msg, wantMsg) || strings.Contains(msg, "at-val") || strings.Contains(msg, "secret-looking") {
		t.Errorf("error %q: want it to contain %q and no body", msg, wantMsg)
	}
}

func TestClientOAuthErrorFields(t *testing.T) {
	t.Parallel()
	body := `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t1",
		"error_codes":[7000215],"timestamp":"2026-11-21 12:00:00Z","trace_id":"t1","correlation_id":"c1",
		"error_uri":"https://login.example.com/error?code=7000215"}`
	s, srv := newStub(t, jsonReply(401, body))
	_, err := testClient(srv.URL, SecretPost{Secret: plugin.NewSecret("s")}).Token(t.Context(), url.Values{})
	var got *plugin.OAuthError
	if !errors.As(err, &got) {
		t.Fatalf("Token() error = %v, want *plugin.OAuthError", err)
	}
	want := &plugin.OAuthError{
		Code: "invalid_client", Description: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t1",
		URI: "https://login.example.com/error?code=7000215", ErrorCodes: []int64{7000215},
		TraceID: "t1", CorrelationID: "c1", StatusCode: 401, Host: strings.TrimPrefix(srv.URL, "http://"),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("OAuthError (-want +got):\n%s", diff)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("requests = %d, want 1 (no retry)", n)
	}
}

func TestClientTooManyRequests(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		retryAfter string
		deadline   time.Duration
		wantReqs   int
		wantErr    bool
	}{
		"Retry-After within the deadline: wait and succeed": {retryAfter: "1", deadline: 20 * time.Second, wantReqs: 2},
		"Retry-After beyond the deadline: fail at once":     {retryAfter: "60", deadline: 5 * time.Second, wantReqs: 1, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			throttled := reply{status: 429, header: map[string]string{"Retry-After": tc.retryAfter}}
			s, srv := newStub(t, throttled, jsonReply(200, tokenBody))
			ctx, cancel := context.WithTimeout(t.Context(), tc.deadline)
			defer cancel()
			start := time.Now()
			_, err := testClient(srv.URL, nil).Token(ctx, url.Values{})
			elapsed := time.Since(start)
			if got := len(s.requests()); got != tc.wantReqs {
				t.Errorf("requests = %d, want %d", got, tc.wantReqs)
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("Token() error = %v, want error %v", err, tc.wantErr)
			}
			check429(t, err, elapsed)
		})
	}
}

// check429 checks the wait of a success, or the speed and details of a
// failure.
func check429(t *testing.T, err error, elapsed time.Duration) {
	t.Helper()
	if err == nil {
		if elapsed < time.Second {
			t.Errorf("succeeded after %v, before Retry-After", elapsed)
		}
		return
	}
	if elapsed > time.Second {
		t.Errorf("failed after %v, want at once", elapsed)
	}
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) || oe.RetryAfter != time.Minute || oe.StatusCode != 429 {
		t.Errorf("error = %#v, want a 429 OAuthError with RetryAfter 1m", err)
	}
	if plugin.KindOf(err) != plugin.KindUnavailable || !strings.Contains(err.Error(), "HTTP 429 (server asks to retry after 1m0s)") {
		t.Errorf("error %q (kind %v), want unavailable naming the wait", err, plugin.KindOf(err))
	}
}

func TestClientAuthOnTheWire(t *testing.T) {
	t.Parallel()
	const id, secret = "app id:1", "p@ss:w%rd+/ü"
	tests := map[string]struct {
		auth ClientAuth
		want seen
	}{
		"none":        {auth: None{}, want: seen{Form: url.Values{"client_id": {id}, "grant_type": {"client_credentials"}}}},
		"nil is none": {auth: nil, want: seen{Form: url.Values{"client_id": {id}, "grant_type": {"client_credentials"}}}},
		"client_secret_basic url-encodes before base64": {
			auth: SecretBasic{Secret: plugin.NewSecret(secret)},
			want: seen{
				Form:     url.Values{"client_id": {id}, "grant_type": {"client_credentials"}},
				HasBasic: true, BasicUser: "app+id%3A1", BasicPass: "p%40ss%3Aw%25rd%2B%2F%C3%BC",
			},
		},
		"client_secret_post": {
			auth: SecretPost{Secret: plugin.NewSecret(secret)},
			want: seen{Form: url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"client_credentials"}}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, srv := newStub(t, jsonReply(200, tokenBody))
			c := testClient(srv.URL, tc.auth)
			c.ClientID = id
			if _, err := c.Token(t.Context(), url.Values{"grant_type": {"client_credentials"}}); err != nil {
				t.Fatal(err)
			}
			want := tc.want
			want.ContentType, want.Accept = "application/x-www-form-urlencoded", "application/json"
			if diff := cmp.Diff([]seen{want}, s.requests()); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClientBasicDecodesToOriginal(t *testing.T) {
	t.Parallel()
	const id, secret = "app id:1", "p@ss:w%rd+/ü"
	s, srv := newStub(t, jsonReply(200, tokenBody))
	c := testClient(srv.URL, SecretBasic{Secret: plugin.NewSecret(secret)})
	c.ClientID = id
	if _, err := c.Token(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	r := s.requests()[0]
	gotID, _ := url.QueryUnescape(r.BasicUser)
	gotSecret, _ := url.QueryUnescape(r.BasicPass)
	if gotID != id || gotSecret != secret {
		t.Errorf("server decoded %q / (secret match %v), want %q", gotID, gotSecret == secret, id)
	}
}

func TestClientAppliesAuthFreshPerAttempt(t *testing.T) {
	t.Parallel()
	s, srv := newStub(t, jsonReply(503, `{}`), jsonReply(503, `{}`), jsonReply(200, tokenBody))
	auth := &countingAuth{}
	form := url.Values{"grant_type": {"client_credentials"}}
	if _, err := testClient(srv.URL, auth).Token(t.Context(), form); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range s.requests() {
		got = append(got, r.Form.Get("client_assertion"))
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, got); diff != "" {
		t.Errorf("assertions per attempt (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(url.Values{"grant_type": {"client_credentials"}}, form); diff != "" {
		t.Errorf("caller's form changed (-want +got):\n%s", diff)
	}
}

func TestClientRefusesPlainHTTPBeforeConnecting(t *testing.T) {
	t.Parallel()
	auth := &countingAuth{}
	c := testClient("http://example.invalid/token", auth)
	c.HTTPClient = &http.Client{Transport: noNetwork{t}}
	_, err := c.Token(t.Context(), url.Values{})
	if plugin.KindOf(err) != plugin.KindConfig {
		t.Errorf("KindOf(%v) = %v, want config", err, plugin.KindOf(err))
	}
	if err == nil || !strings.Contains(err.Error(), "refusing plain http:// URL http://example.invalid/token") {
		t.Errorf("error = %v, want it to name the URL", err)
	}
	if auth.calls() != 0 {
		t.Errorf("Apply called %d times before the URL check", auth.calls())
	}
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	var followed atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		_, _ = w.Write([]byte(tokenBody))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	_, err := testClient(srv.URL+"/token", SecretPost{Secret: plugin.NewSecret("s")}).Token(t.Context(), url.Values{})
	if followed.Load() != 0 {
		t.Errorf("redirect followed %d times", followed.Load())
	}
	if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), "HTTP 307") {
		t.Errorf("error = %v (kind %v), want a config error naming HTTP 307", err, plugin.KindOf(err))
	}
}

func TestClientNetworkFailures(t *testing.T) {
	t.Parallel()
	addr := closedPort(t)
	auth := &countingAuth{}
	_, err := testClient("http://"+addr+"/token", auth).Token(t.Context(), url.Values{})
	if plugin.KindOf(err) != plugin.KindUnavailable {
		t.Errorf("KindOf(%v) = %v, want unavailable", err, plugin.KindOf(err))
	}
	if want := addr + ": connection refused (after 3 attempts)"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	if auth.calls() != 3 {
		t.Errorf("attempts = %d, want 3", auth.calls())
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestClientDeadlineExceeded(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := testClient(srv.URL, nil).Token(ctx, url.Values{})
	if plugin.KindOf(err) != plugin.KindUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v (kind %v), want unavailable wrapping DeadlineExceeded", err, plugin.KindOf(err))
	}
}

func TestClientLogsNoSecrets(t *testing.T) {
	t.Parallel()
	body := `{"access_token":"AT-SECRET","refresh_token":"RT-SECRET","id_token":"ID-SECRET","token_type":"bearer","expires_in":"60"}`
	_, srv := newStub(t, jsonReply(500, `{"error":"server_error","error_description":"DESC-TEXT"}`), jsonReply(200, body))
	var buf bytes.Buffer
	c := testClient(srv.URL, SecretPost{Secret: plugin.NewSecret("CLIENT-SECRET")})
	c.Logger = hclog.New(&hclog.LoggerOptions{Output: &buf, Level: hclog.Trace})
	tr, err := c.Token(t.Context(), url.Values{"refresh_token": {"OLD-RT-SECRET"}})
	if err != nil {
		t.Fatal(err)
	}
	logs := buf.String()
	for _, s := range []string{"SECRET", "DESC-TEXT"} {
		if strings.Contains(logs, s) {
			t.Errorf("log contains %q:\n%s", s, logs)
		}
	}
	if !strings.Contains(logs, tr.AccessToken.Fingerprint()) || !strings.Contains(logs, "attempt=2") {
		t.Errorf("log lacks the fingerprint or attempt number:\n%s", logs)
	}
}

func TestClientParsesServerAnswer(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body string
		want *TokenResponse
	}{
		"numeric strings": {
			body: `{"access_token":"at-value","token_type":"Bearer","expires_in":"3599","expires_on":"1895000000","refresh_in":"1800","resource":"r"}`,
			want: &TokenResponse{AccessToken: plugin.NewSecret("at-value"), TokenType: "Bearer",
				ExpiresAt: time.Unix(1895000000, 0).UTC(), RefreshAt: testNow.Add(30 * time.Minute)},
		},
		"lowercase bearer": {
			body: `{"access_token":"at-value","token_type":"bearer","expires_in":60,"refresh_token":"rt","scope":"openid offline_access"}`,
			want: &TokenResponse{AccessToken: plugin.NewSecret("at-value"), TokenType: "Bearer", ExpiresAt: testNow.Add(time.Minute),
				RefreshToken: plugin.NewSecret("rt"), Scope: "openid offline_access"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, srv := newStub(t, jsonReply(200, tc.body))
			got, err := testClient(srv.URL, nil).Token(t.Context(), url.Values{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, secretEq, cmpopts.IgnoreFields(TokenResponse{}, "Raw")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
