package managedidentity

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// fake is a managed-identity endpoint: IMDS or App Service, following the
// documented formats. It answers its scripted statuses in order (the last
// one repeats); a 200 is a token response with numbers in strings.
type fake struct {
	srv  *httptest.Server
	path string
	// check validates a request; a non-empty result is answered with
	// 400 and that error description.
	check func(r *http.Request) string
	// ok writes the 200 answer.
	ok func(w http.ResponseWriter, r *http.Request, n int)

	mu       sync.Mutex
	statuses []int
	seen     []*http.Request
}

// imdsPath is where IMDS serves tokens.
const imdsPath = "/metadata/identity/oauth2/token"

// newIMDS starts a fake IMDS that requires GET, "Metadata: true" and
// api-version 2018-02-01.
func newIMDS(t *testing.T, statuses ...int) *fake {
	t.Helper()
	f := &fake{path: imdsPath, statuses: statuses}
	f.check = func(r *http.Request) string {
		switch {
		case r.Method != http.MethodGet:
			return "GET only"
		case r.Header.Get("Metadata") != "true":
			return "Required metadata header not specified"
		case r.URL.Query().Get("api-version") != IMDSAPIVersion:
			return "bad api-version"
		}
		return ""
	}
	f.ok = imdsToken
	f.start(t)
	return f
}

// imdsToken writes an IMDS token response: every number a string.
func imdsToken(w http.ResponseWriter, r *http.Request, n int) {
	now := time.Now().Unix()
	writeJSON(w, http.StatusOK, map[string]string{
		"access_token": "mi-at-" + strconv.Itoa(n), "refresh_token": "",
		"expires_in": "3599", "expires_on": strconv.FormatInt(now+3599, 10), "ext_expires_in": "3599",
		"not_before": strconv.FormatInt(now, 10), "resource": r.URL.Query().Get("resource"), "token_type": "Bearer",
	})
}

func (f *fake) start(t *testing.T) {
	t.Helper()
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
}

// url is the fake's token URL.
func (f *fake) url() string { return f.srv.URL + f.path }

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.seen = append(f.seen, r.Clone(context.Background()))
	n := len(f.seen)
	status := http.StatusOK
	if len(f.statuses) > 0 {
		status = f.statuses[min(n, len(f.statuses))-1]
	}
	f.mu.Unlock()
	if r.URL.Path != f.path {
		http.NotFound(w, r)
		return
	}
	if msg := f.check(r); msg != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": msg})
		return
	}
	switch {
	case status == http.StatusOK:
		f.ok(w, r, n)
	case status == http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "0")
		writeJSON(w, status, map[string]string{"error": "too_many_requests"})
	case status >= 500:
		w.WriteHeader(status)
	default:
		writeJSON(w, status, map[string]string{"error": "unavailable", "error_description": "IMDS says " + strconv.Itoa(status)})
	}
}

// requests returns the requests received so far.
func (f *fake) requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.seen...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fastProvider retries at once, so the tests stay fast.
var fastProvider = Provider{Backoff: time.Millisecond}

// getToken runs p for cfg, with a trace-level logger whose output it
// returns. It refuses a configuration that would reach the real IMDS.
func getToken(t *testing.T, p Provider, cfg plugin.Config, scopes ...string) (*plugin.Token, string, error) {
	t.Helper()
	if cfg[KeyIMDSEndpoint] == "" && cfg[KeyIdentityEndpoint] == "" {
		t.Fatal("test configuration would contact the real IMDS; set imds_endpoint")
	}
	var buf syncBuffer
	logger := hclog.New(&hclog.LoggerOptions{Output: &buf, Level: hclog.Trace})
	req := &plugin.Request{Config: cfg, Scopes: scopes, Interaction: plugin.NoInteraction{}, Logger: logger}
	tok, err := p.GetToken(context.Background(), req)
	return tok, buf.String(), err
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
