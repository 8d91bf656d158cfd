package endpoint

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// answer is a RoundTripper that answers every request with one canned
// response, so discovery is fuzzed without a network.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(a.body)), Request: r}, nil
}

// FuzzDiscover feeds OpenID discovery arbitrary documents. A document is
// either refused (a configuration error, or unavailable for a failing
// server) or gives endpoints that all pass oauth.CheckURL, so a document
// cannot point keyfob at a plain-http or schemeless token endpoint.
func FuzzDiscover(f *testing.F) {
	for _, s := range []struct {
		body   string
		status int
	}{
		{`{"issuer":"https://idp.example","token_endpoint":"https://idp.example/token","device_authorization_endpoint":"https://idp.example/device","authorization_endpoint":"https://idp.example/auth","revocation_endpoint":"https://idp.example/revoke"}`, 200},
		{`{"token_endpoint":"http://evil.example/token"}`, 200},
		{`{"token_endpoint":"http://127.0.0.1:9/token","revocation_endpoint":"javascript:alert(1)"}`, 200},
		{`{"token_endpoint":1}`, 200},
		{`{"token_endpoint":"https://idp.example/token"`, 200},
		{`<html>login</html>`, 200},
		{``, 503},
		{`{"token_endpoint":"https://idp.example/token"}`, 302},
	} {
		f.Add([]byte(s.body), s.status)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		if status < 100 || status > 999 {
			return
		}
		hc := &http.Client{Transport: answer{status: status, body: body}}
		ep, err := Resolve(t.Context(), plugin.Config{"issuer": "https://idp.example"}, hc)
		if err != nil {
			if k := plugin.KindOf(err); k != plugin.KindConfig && k != plugin.KindUnavailable {
				t.Fatalf("error %v is %v, want config or unavailable", err, k)
			}
			if len(body) >= 16 && strings.Contains(err.Error(), string(body)) {
				t.Fatalf("error quotes the document: %v", err)
			}
			return
		}
		if ep.Token == "" {
			t.Fatal("endpoints without a token endpoint")
		}
		for _, u := range []string{ep.Token, ep.DeviceAuthorization, ep.Authorization, ep.Revocation} {
			if u == "" {
				continue
			}
			if err := oauth.CheckURL(u); err != nil {
				t.Fatalf("Resolve accepted %q: %v", u, err)
			}
		}
	})
}
