package delegated

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// SignInHint starts the message of every "nobody can be asked" error of a
// delegated provider. The provider does not know the profile's name; the
// host adds " -p NAME" after "keyfob login".
const SignInHint = "sign-in needed: run keyfob login"

// SignIn runs one interactive sign-in against the server s describes and
// returns the token response. It reaches the user only through
// req.Interaction and passes that channel's errors through Needed.
type SignIn func(ctx context.Context, s *grant.Setup) (*oauth.TokenResponse, error)

// GetToken is the shape of every delegated call: redeem the refresh token
// in req.State when there is one, else (or when it is refused) make sure
// someone can be asked and run signIn. Without a stored refresh token the
// check comes before anything else, so a call that cannot sign in sends
// no request at all.
func GetToken(ctx context.Context, req *plugin.Request, signIn SignIn) (*plugin.Token, error) {
	if err := req.Config.Require("client_id"); err != nil {
		return nil, err
	}
	stored := grant.DecodeState(req.State).RefreshToken != ""
	if !stored {
		if err := Probe(ctx, req, "no refresh token is stored"); err != nil {
			return nil, err
		}
	}
	s, err := NewSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	if stored {
		if tok, ok, err := refresh(ctx, req, s); ok || err != nil {
			return tok, err
		}
	}
	tr, err := signIn(ctx, s)
	if err != nil {
		return nil, err
	}
	st := grant.State{Account: Account(tr.IDToken, req.Config.String(KeyLoginHint)), Granted: granted(tr, s.Scopes)}
	return grant.ToTokenState(tr, st)
}

// granted is the scope a sign-in's grant included: the response's scope,
// or what was asked for when the server did not say (RFC 6749 §5.1).
func granted(tr *oauth.TokenResponse, asked []string) string {
	if tr.Scope != "" {
		return tr.Scope
	}
	return strings.Join(asked, " ")
}

// NewSetup is grant.NewSetup with OIDCScopes added unless the profile
// sets oidc_scopes = false. A refresh asks for the scopes without them
// (see RefreshScopes) until the stored state says which were granted.
func NewSetup(ctx context.Context, req *plugin.Request) (*grant.Setup, error) {
	add, err := Bool(req.Config, KeyOIDCScopes, true)
	if err != nil {
		return nil, err
	}
	s, err := grant.NewSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	if add {
		s.Scopes = WithOIDCScopes(s.Scopes)
	}
	s.RefreshScopes = RefreshScopes(s, grant.DecodeState(req.State).Granted)
	return s, nil
}

// refresh redeems the stored refresh token. ok is false when the server
// refused it in a way a sign-in can fix, and someone can be asked; the
// caller then signs in.
func refresh(ctx context.Context, req *plugin.Request, s *grant.Setup) (*plugin.Token, bool, error) {
	tok, ok, err := s.RefreshFromState(ctx, req)
	if ok || (err != nil && !needsPerson(err)) {
		return tok, ok, err
	}
	reason := "the stored refresh token was refused"
	if err != nil {
		req.Logger.Info("refresh needs a person; signing in again", "error", oauthCode(err))
		reason = fmt.Sprintf("refreshing needs a person: %v", err)
	}
	return nil, false, Probe(ctx, req, reason)
}

// needsPerson reports whether a refresh error is a server answer that only
// a sign-in can fix (interaction_required, login_required,
// consent_required, or an Entra code of that kind).
func needsPerson(err error) bool {
	var oe *plugin.OAuthError
	return errors.As(err, &oe) && plugin.KindOf(err) == plugin.KindInteraction
}

// oauthCode is the OAuth error code in err's chain, or "".
func oauthCode(err error) string {
	var oe *plugin.OAuthError
	if errors.As(err, &oe) {
		return oe.Code
	}
	return ""
}

// Probe tells the user a sign-in is starting. Its real job is to learn,
// before any request, whether anybody can be asked: when the host says
// nobody can, it returns Needed's error for reason.
func Probe(ctx context.Context, req *plugin.Request, reason string) error {
	msg := fmt.Sprintf("Signing in to %s for client %s…", serverName(req.Config), req.Config.String("client_id"))
	return Needed(reason, req.Interaction.Notify(ctx, plugin.Notice{Message: msg}))
}

// Needed turns an Interaction error into the provider's answer: nil stays
// nil; "nobody can be asked" becomes an error wrapping it (so
// plugin.ErrInteractionRequired, exit 4) whose text starts with
// SignInHint and says why a sign-in was needed; any other failure of the
// channel is returned with context.
func Needed(reason string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, plugin.ErrInteractionRequired):
		return plugin.Errorf(plugin.ErrInteractionRequired, "%s (%s; %w)", SignInHint, reason, err)
	}
	return fmt.Errorf("reaching the user: %w", err)
}

// serverName names the authorization server from the configuration alone,
// without any request: the host of the first URL key set.
func serverName(cfg plugin.Config) string {
	for _, k := range []string{"authority", "issuer", "authorization_url", "device_authorization_url", "token_url"} {
		if u, err := url.Parse(cfg.String(k)); err == nil && u.Host != "" {
			return u.Host
		}
	}
	return "the authorization server"
}
