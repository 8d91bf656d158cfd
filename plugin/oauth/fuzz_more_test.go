package oauth

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// FuzzParseErrorResponse feeds the error path of the token response
// parser arbitrary bodies with non-2xx statuses, as proxies, WAFs and
// misconfigured servers send them. Every answer becomes one *OAuthError
// carrying the status, whose message stays on one line, never quotes a
// body that is not JSON, and whose kind follows the code and status.
func FuzzParseErrorResponse(f *testing.F) {
	for _, s := range []struct {
		body   string
		status int
	}{
		{`{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret.\r\nTrace ID: t","error_codes":[7000215],"trace_id":"t","correlation_id":"c"}`, 401},
		{`{"error":"temporarily_unavailable","error_codes":["90033", 1e99, -1]}`, 400},
		{`{"error":"interaction_required","claims":"{\"access_token\":{\"capolids\":{}}}"}`, 400},
		{`{"error":["not","a","string"],"error_description":{"a":1},"claims":{"b":[2]}}`, 400},
		{htmlPage, 502},
		{"", 429},
		{`{"error":"x"`, 500},
		{"\xff\xfe{", 403},
	} {
		f.Add([]byte(s.body), s.status)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if status >= 200 && status <= 299 {
			return // the success path is FuzzParseTokenResponse's
		}
		_, err := ParseTokenResponse(body, status, testNow)
		var oe *plugin.OAuthError
		if !errors.As(err, &oe) {
			t.Fatalf("error %v (%T) is not an *OAuthError", err, err)
		}
		if oe.StatusCode != status {
			t.Fatalf("StatusCode = %d, want %d", oe.StatusCode, status)
		}
		msg := err.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("message spans lines: %q", msg)
		}
		if len(body) >= 16 && body[0] != '{' && strings.Contains(msg, string(body)) {
			t.Fatalf("message quotes the body: %q", msg)
		}
		kind := plugin.KindOf(err)
		if oe.Retryable() && kind != plugin.KindUnavailable && oe.Code != "" {
			switch oe.Code {
			case "interaction_required", "login_required", "consent_required", "account_selection_required":
			default:
				t.Fatalf("retryable error %q classified %v", msg, kind)
			}
		}
	})
}

// FuzzParseRetryAfter feeds Retry-After header values: the wait is never
// negative and never more than a day.
func FuzzParseRetryAfter(f *testing.F) {
	for _, v := range []string{"60", "0", "-5", "9223372036854775807", "Wed, 21 Oct 2015 07:28:00 GMT",
		"Sun, 06 Nov 2044 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", " 1 ", "1.5", "soon"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d := parseRetryAfter(h, testNow)
		if d < 0 || d > 24*time.Hour {
			t.Fatalf("parseRetryAfter(%q) = %v", v, d)
		}
	})
}

// FuzzCheckURL feeds URL checking arbitrary configured URLs: what it
// accepts parses, has a host, and is https or http to loopback; what it
// refuses is a configuration error.
func FuzzCheckURL(f *testing.F) {
	for _, v := range []string{"https://login.microsoftonline.com/contoso/oauth2/v2.0/token", "http://127.0.0.1:8080/token",
		"http://[::1]/t", "http://localhost./t", "http://LOCALHOST/t", "http://127.1/t", "http://0x7f.0.0.1/t",
		"http://user:pw@example.com/", "https:///nohost", "HTTPS://EXAMPLE.COM", "//example.com", "file:///etc/passwd",
		"http://169.254.169.254/metadata", "http://[::ffff:127.0.0.1]/", "https://exa mple.com/", ""} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := CheckURL(raw)
		if err != nil {
			if !errors.Is(err, plugin.ErrConfig) {
				t.Fatalf("CheckURL(%q) = %v, not a config error", raw, err)
			}
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil || u.Host == "" {
			t.Fatalf("CheckURL accepted %q, which does not parse to a URL with a host", raw)
		}
		if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
			t.Fatalf("CheckURL accepted %q (scheme %q, host %q)", raw, u.Scheme, u.Hostname())
		}
	})
}
