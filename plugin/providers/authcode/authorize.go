package authcode

import (
	"context"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/providers/internal/delegated"
)

// authorizeURL is the authorization request (RFC 6749 §4.1.1) with PKCE
// S256, the state, the setup's scopes, claims and resource and the
// profile's hints.
// Query parameters already in the endpoint URL are kept.
func authorizeURL(s *grant.Setup, o *options, pk pkce, redirect string) string {
	u, _ := url.Parse(s.Endpoints.Authorization) // checked by endpoint.Resolve
	q := u.Query()
	q.Set("client_id", s.Client.ClientID)
	q.Set("response_type", "code")
	q.Set("redirect_uri", redirect)
	q.Set("scope", strings.Join(s.Scopes, " "))
	q.Set("state", pk.state)
	q.Set("code_challenge", pk.challenge())
	q.Set("code_challenge_method", "S256")
	if s.Claims != "" {
		q.Set("claims", s.Claims)
	}
	if s.Resource != "" {
		q.Set("resource", s.Resource) // RFC 8707 §2.1
	}
	for k, v := range o.params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// show puts the URL before the user — always as a notice, and in a
// browser too unless no_browser is set. "Nobody can be asked" becomes
// the sign-in hint.
func show(ctx context.Context, ia plugin.Interaction, authURL string, o *options, msg string) error {
	err := ia.Notify(ctx, plugin.Notice{Message: msg + "\n" + authURL, VerificationURI: authURL})
	if err != nil || o.noBrowser {
		return delegated.Needed("the sign-in URL cannot be shown", err)
	}
	_, err = ia.OpenBrowser(ctx, authURL, "Opening a browser to sign in")
	return delegated.Needed("no browser can be opened", err)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}
