package authcode

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

func TestCheckIss(t *testing.T) {
	t.Parallel()
	const issuer = "https://idp.example/realm"
	tests := map[string]struct {
		q        url.Values
		e        expect
		wantText string // "" accepts
	}{
		"right iss":                      {q: url.Values{"iss": {issuer}}, e: expect{issuer: issuer}},
		"right iss, promised":            {q: url.Values{"iss": {issuer}}, e: expect{issuer: issuer, issRequired: true}},
		"no iss, not promised":           {q: url.Values{}, e: expect{issuer: issuer}},
		"no iss, promised":               {q: url.Values{}, e: expect{issuer: issuer, issRequired: true, host: "idp.example"}, wantText: "carries no iss"},
		"another server's iss":           {q: url.Values{"iss": {"https://evil.example"}}, e: expect{issuer: issuer}, wantText: `iss "https://evil.example" is not the issuer`},
		"trailing slash is another iss":  {q: url.Values{"iss": {issuer + "/"}}, e: expect{issuer: issuer}, wantText: "is not the issuer"},
		"two iss":                        {q: url.Values{"iss": {issuer, issuer}}, e: expect{issuer: issuer}, wantText: "is not the issuer"},
		"empty iss":                      {q: url.Values{"iss": {""}}, e: expect{issuer: issuer}, wantText: "is not the issuer"},
		"issuer unknown: nothing to say": {q: url.Values{"iss": {"https://whatever"}}, e: expect{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := checkIss(tc.q, tc.e)
			if tc.wantText == "" {
				if err != nil {
					t.Fatalf("checkIss = %v, want nil", err)
				}
				return
			}
			if plugin.KindOf(err) != plugin.KindRefused || !strings.Contains(err.Error(), tc.wantText) {
				t.Fatalf("checkIss = %v (kind %v); want a refusal with %q", err, plugin.KindOf(err), tc.wantText)
			}
		})
	}
}

// TestRedirectFromAnotherIssuerIsNotRedeemed: a redirect whose iss is not
// the server's is refused before its code reaches the token endpoint;
// with the right iss the sign-in succeeds.
func TestRedirectFromAnotherIssuerIsNotRedeemed(t *testing.T) {
	t.Parallel()
	for iss, wantErr := range map[string]bool{"https://evil.example/v2.0": true, "-": true, "": false} {
		f := newFakeServer(t)
		right := f.authority() + "/v2.0"
		f.callback = func(state string) url.Values {
			q := url.Values{"code": {"the-code"}, "state": {state}, "iss": {right}}
			switch iss {
			case "-":
				q.Del("iss") // the server promised iss
			case "":
			default:
				q.Set("iss", iss)
			}
			return q
		}
		cfg := plugin.Config{"authority": "", "issuer": right, endpoint.KeyDiscoveredIssuer: right, endpoint.KeyIssParameter: "true",
			"authorization_url": f.authority() + "/oauth2/v2.0/authorize", "token_url": f.authority() + "/oauth2/v2.0/token"}
		req := request(f, newInteraction(), cfg)
		delete(req.Config, "authority")
		_, err := Provider{}.GetToken(context.Background(), req)
		_, token := f.requests()
		if wantErr && (plugin.KindOf(err) != plugin.KindRefused || !strings.Contains(err.Error(), "(RFC 9207") || len(token) != 0) {
			t.Errorf("iss %q: error %v, %d token requests; want a refusal and none", iss, err, len(token))
		}
		if !wantErr && (err != nil || len(token) != 1) {
			t.Errorf("right iss: error %v, %d token requests; want the code redeemed", err, len(token))
		}
	}
}

// TestAuthorizeURLCarriesTheResource: for a server other than Entra the
// resource is RFC 8707's parameter of the authorization request too.
func TestAuthorizeURLCarriesTheResource(t *testing.T) {
	t.Parallel()
	s := &grant.Setup{Client: &oauth.Client{ClientID: "app"}, Endpoints: endpoint.Endpoints{Authorization: "https://idp.example/authorize"},
		Scopes: []string{"openid"}, Resource: "https://api.example/"}
	u, err := url.Parse(authorizeURL(s, &options{params: url.Values{}}, newPKCE(), "http://localhost:1/"))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("resource"); got != "https://api.example/" {
		t.Errorf("resource = %q, want https://api.example/", got)
	}
}
