package grant

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Refresh redeems a refresh token (RFC 6749 §6) for the setup's scopes.
func (s *Setup) Refresh(ctx context.Context, refreshToken plugin.Secret) (*oauth.TokenResponse, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken.Reveal()}}
	s.addScope(form)
	return s.Client.Token(ctx, form)
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
	tok, err := ToToken(tr, st.Account)
	return tok, err == nil, err
}

// addScope sets the space-separated scope parameter when there are scopes.
func (s *Setup) addScope(form url.Values) {
	if len(s.Scopes) > 0 {
		form.Set("scope", strings.Join(s.Scopes, " "))
	}
}

// Post sends a grant's form with the setup's scopes and converts the
// response.
func (s *Setup) Post(ctx context.Context, form url.Values, account string) (*plugin.Token, error) {
	s.addScope(form)
	tr, err := s.Client.Token(ctx, form)
	if err != nil {
		return nil, err
	}
	tok, err := ToToken(tr, account)
	if err != nil {
		return nil, fmt.Errorf("token response: %w", err)
	}
	return tok, nil
}
