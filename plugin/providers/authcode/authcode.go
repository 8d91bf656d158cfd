package authcode

import (
	"context"
	"net/url"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
	"github.com/keyfob/keyfob/plugin/providers/internal/delegated"
)

// Name is the provider name used in profiles.
const Name = "authorization_code"

// DefaultCallbackTimeout bounds the wait for the browser's redirect when
// the call has no deadline of its own.
const DefaultCallbackTimeout = 5 * time.Minute

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "authorization code grant with PKCE: sign in in a browser, back through a loopback redirect or a pasted URL",
	Interactive: true,
	Keys: append(append([]plugin.KeyInfo{
		{Name: KeyRedirectURI, Description: "redirect URI (default http://localhost:PORT/ on an ephemeral port)"},
		{Name: KeyRedirectMode, Description: "loopback (default) or paste (show the URL, paste the final address back)"},
		{Name: KeyNoBrowser, Bool: true, Description: "show the sign-in URL instead of opening a browser"},
		{Name: KeyDomainHint, Description: "domain_hint for the sign-in page"},
		{Name: KeyPrompt, Description: "OIDC prompt: login, consent, select_account or none"},
		{Name: "authorization_url", Description: "authorization endpoint (or authority / issuer)"},
	}, delegated.Keys()...), grant.ClientKeys()...),
}

// Provider implements plugin.Provider. The zero value is ready to use.
type Provider struct {
	// CallbackTimeout bounds the wait for the loopback redirect when ctx
	// has no deadline; 0 means DefaultCallbackTimeout.
	CallbackTimeout time.Duration
	// RedeemVerifier, when set, replaces the PKCE code verifier sent with
	// the code. It exists for tests that prove the server checks PKCE;
	// nil sends the real verifier.
	RedeemVerifier func(verifier string) string
}

// GetToken redeems the stored refresh token, or signs in in a browser.
func (p Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	o, err := parseOptions(req.Config)
	if err != nil {
		return nil, err
	}
	return delegated.GetToken(ctx, req, p.signIn(req, o))
}

// signIn gets a code through the browser and redeems it.
func (p Provider) signIn(req *plugin.Request, o *options) delegated.SignIn {
	return func(ctx context.Context, s *grant.Setup) (*oauth.TokenResponse, error) {
		if s.Endpoints.Authorization == "" {
			return nil, plugin.Configf("authorization_code needs authorization_url, or an authority or issuer that provides one")
		}
		pk := newPKCE()
		var redirect, code string
		var err error
		if o.mode == ModePaste {
			redirect, code, err = paste(ctx, req.Interaction, s, o, pk)
		} else {
			redirect, code, err = p.loopback(ctx, req, s, o, pk)
		}
		if err != nil {
			return nil, err
		}
		return p.redeem(ctx, s, code, redirect, pk.verifier)
	}
}

// redeem exchanges the code for tokens (RFC 6749 §4.1.3, RFC 7636 §4.5).
func (p Provider) redeem(ctx context.Context, s *grant.Setup, code, redirect, verifier string) (*oauth.TokenResponse, error) {
	if p.RedeemVerifier != nil {
		verifier = p.RedeemVerifier(verifier)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}, "code_verifier": {verifier}}
	return s.Send(ctx, form)
}

// loopback signs in through a redirect to a one-shot loopback listener.
func (p Provider) loopback(ctx context.Context, req *plugin.Request, s *grant.Setup, o *options, pk pkce) (string, string, error) {
	l, err := listen(o.redirect, expectFor(s, pk.state), req.Logger)
	if err != nil {
		return "", "", err
	}
	defer l.close()
	authURL := authorizeURL(s, o, pk, l.redirect)
	if err := show(ctx, req.Interaction, authURL, o, "To sign in, open this URL in a browser:"); err != nil {
		return "", "", err
	}
	code, err := l.wait(ctx, p.timeout())
	return l.redirect, code, err
}

func (p Provider) timeout() time.Duration {
	if p.CallbackTimeout > 0 {
		return p.CallbackTimeout
	}
	return DefaultCallbackTimeout
}
