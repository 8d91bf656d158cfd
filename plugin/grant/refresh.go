package grant

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Refresh redeems a refresh token (RFC 6749 §6) for the setup's
// RefreshScopes, or its Scopes when RefreshScopes is nil.
func (s *Setup) Refresh(ctx context.Context, refreshToken plugin.Secret) (*oauth.TokenResponse, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken.Reveal()}}
	return s.send(ctx, form, s.refreshScopes())
}

// refreshScopes are the scopes a refresh asks for.
func (s *Setup) refreshScopes() []string {
	if s.RefreshScopes != nil {
		return s.RefreshScopes
	}
	return s.Scopes
}

// RefreshFromState tries the refresh token kept in req.State. It reports
// ok=false (and no error) when there is none, or when the server refused
// it with invalid_grant, so the caller falls back to its grant.
func (s *Setup) RefreshFromState(ctx context.Context, req *plugin.Request) (*plugin.Token, bool, error) {
	st := DecodeState(req.State)
	if st.RefreshToken == "" {
		return nil, false, nil
	}
	tr, err := s.Refresh(ctx, plugin.NewSecret(st.RefreshToken))
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.Code == "invalid_grant" {
		req.Logger.Info("stored refresh token refused; running the grant again", "error", oe.Code)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	tok, err := ToTokenState(tr, State{Account: st.Account, Granted: st.Granted})
	return tok, err == nil, err
}

// Send is the one way Post and Refresh reach the token endpoint; a
// provider that must see the raw response (a device-code poll) uses it
// too. It sets the scope, claims and resource parameters on form, refuses before any
// request a grant that the authority's Entra tenant does not allow
// (entra.CheckGrant), and adds a hint to an Entra error response
// (entra.Wrap; errors.As still finds the *plugin.OAuthError).
func (s *Setup) Send(ctx context.Context, form url.Values) (*oauth.TokenResponse, error) {
	return s.send(ctx, form, s.Scopes)
}

// send is Send asking for scopes.
func (s *Setup) send(ctx context.Context, form url.Values, scopes []string) (*oauth.TokenResponse, error) {
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	if s.Claims != "" {
		form.Set("claims", s.Claims)
	}
	if s.Resource != "" {
		form.Set("resource", s.Resource)
	}
	if err := entra.CheckGrant(s.Endpoints.Tenant, form); err != nil {
		return nil, err
	}
	tr, err := s.Client.Token(ctx, form)
	return tr, entra.Wrap(err)
}

// Post sends a grant's form with the setup's scopes and claims and
// converts the response.
func (s *Setup) Post(ctx context.Context, form url.Values, account string) (*plugin.Token, error) {
	tr, err := s.Send(ctx, form)
	if err != nil {
		return nil, err
	}
	tok, err := ToToken(tr, account)
	if err != nil {
		return nil, fmt.Errorf("token response: %w", err)
	}
	return tok, nil
}
