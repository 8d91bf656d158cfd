package managedidentity

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

// cannedAnswer answers every request with one response, so the answer
// parser is fuzzed without a network.
type cannedAnswer struct {
	status     int
	retryAfter string
	body       []byte
}

func (a cannedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	h := http.Header{"Content-Type": {"application/json"}}
	if a.retryAfter != "" {
		h.Set("Retry-After", a.retryAfter)
	}
	return &http.Response{StatusCode: a.status, Header: h, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// FuzzAnswer feeds one managed-identity attempt (IMDS, App Service)
// arbitrary answers. It gives a token with a value, or an error with a
// kind, a Retry-After within bounds, and no body quoted when the body is
// not an error object.
func FuzzAnswer(f *testing.F) {
	for _, s := range []struct {
		body       string
		status     int
		retryAfter string
	}{
		{`{"access_token":"eyJ0","expires_in":"86399","expires_on":"1506484173","not_before":"1506397473","resource":"https://management.azure.com/","token_type":"Bearer"}`, 200, ""},
		{`{"access_token":"eyJ0","expires_on":"11/05/2021 15:18:31 +00:00","resource":"r","token_type":"Bearer"}`, 200, ""},
		{`{"statusCode":400,"message":"No managed identity endpoint found."}`, 400, ""},
		{`{"error":"invalid_request","error_description":"Identity not found"}`, 400, ""},
		{``, 404, ""},
		{`Too many requests`, 429, "5"},
		{`{"access_token":"x"`, 200, "Wed, 21 Oct 2015 07:28:00 GMT"},
	} {
		f.Add([]byte(s.body), s.status, s.retryAfter)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int, retryAfter string) {
		if status < 100 || status > 999 || strings.ContainsAny(retryAfter, "\r\n") {
			return
		}
		p := Provider{HTTPClient: &http.Client{Transport: cannedAnswer{status: status, retryAfter: retryAfter, body: body}}}
		build := func(ctx context.Context) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, "http://169.254.169.254/metadata/identity/oauth2/token", nil)
		}
		tr, err := p.attempt(t.Context(), "169.254.169.254", build)
		if err == nil {
			if tr == nil || tr.AccessToken.IsZero() {
				t.Fatal("a token without a value")
			}
			return
		}
		_ = plugin.KindOf(err)
		var oe *plugin.OAuthError
		if errors.As(err, &oe) && (oe.RetryAfter < 0 || oe.RetryAfter > maxRetryAfter) {
			t.Fatalf("RetryAfter = %v", oe.RetryAfter)
		}
		if len(body) >= 16 && body[0] != '{' && strings.Contains(err.Error(), string(body)) {
			t.Fatalf("error quotes the answer: %v", err)
		}
	})
}
