package workloadidentity

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

// cannedAnswer answers every request with one response, so the OIDC
// answer parser is fuzzed without a network.
type cannedAnswer struct {
	status int
	body   []byte
}

func (a cannedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// FuzzOIDCAnswer feeds the GitHub Actions and Azure Pipelines OIDC token
// answers arbitrary bodies and statuses. An answer gives a non-empty
// assertion or an error that is refused or unavailable and never quotes
// the body, which holds a token when it is well-formed.
func FuzzOIDCAnswer(f *testing.F) {
	for _, s := range []struct {
		body   string
		status int
		field  bool
	}{
		{`{"count":1,"value":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2ln"}`, 200, false},
		{`{"oidcToken":"eyJhbGciOiJSUzI1NiJ9.e30.c2ln"}`, 200, true},
		{`{"value":"  "}`, 200, false},
		{`{"value":123}`, 200, false},
		{`{"value":"eyJ...`, 200, false},
		{`{"message":"Bad credentials"}`, 401, false},
		{``, 429, true},
		{`<html>sign in</html>`, 302, true},
	} {
		f.Add([]byte(s.body), s.status, s.field)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int, pipelines bool) {
		if status < 100 || status > 999 {
			return
		}
		field, what := "value", "GitHub Actions OIDC"
		if pipelines {
			field, what = "oidcToken", "Azure Pipelines OIDC"
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://token.actions.example/oidc", nil)
		hc := &http.Client{Transport: cannedAnswer{status: status, body: body}}
		jwt, err := fetchJWT(hc, req, what, field)
		if err != nil {
			if k := plugin.KindOf(err); k != plugin.KindRefused && k != plugin.KindUnavailable {
				t.Fatalf("error %v is %v, want refused or unavailable", err, k)
			}
			if len(body) >= 16 && strings.Contains(err.Error(), string(body)) {
				t.Fatalf("error quotes the answer: %v", err)
			}
			return
		}
		if status != http.StatusOK || strings.TrimSpace(jwt.Reveal()) == "" || jwt.Reveal() != strings.TrimSpace(jwt.Reveal()) {
			t.Fatalf("accepted status %d with assertion %q", status, jwt.Reveal())
		}
	})
}
