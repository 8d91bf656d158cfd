package cli

import (
	"context"
	"errors"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// errNoRevocation says that the server offers no revocation endpoint.
var errNoRevocation = errors.New("the server offers no token revocation")

// revokeRefreshToken revokes the refresh token kept in state (RFC 7009)
// with the profile's client authentication, at the revocation_url key or
// else the revocation_endpoint of OpenID discovery (issuer). It reports
// false and no error when the state holds no refresh token (in keyfob's
// own providers' format, grant.State), and errNoRevocation when the
// server offers no revocation.
func (e *Env) revokeRefreshToken(ctx context.Context, p *profile, state []byte) (bool, error) {
	rt := grant.DecodeState(state).RefreshToken
	if rt == "" {
		return false, nil
	}
	resolved, err := host.ResolveConfigWith(p.Values, e.lookupEnv)
	if err != nil {
		return false, err
	}
	cfg := plugin.Config(resolved)
	c, ep, err := revocationClient(ctx, cfg)
	if err != nil {
		return false, err
	}
	return true, c.Revoke(ctx, ep.Revocation, plugin.NewSecret(rt), oauth.HintRefreshToken)
}

// revocationClient builds the profile's token client (grant.NewClient:
// its client authentication, whose assertion audience stays the token
// endpoint, and its TLS settings) and resolves its endpoints, the
// revocation_url key winning over discovery; errNoRevocation when there
// is no revocation endpoint.
func revocationClient(ctx context.Context, cfg plugin.Config) (*oauth.Client, endpoint.Endpoints, error) {
	c, ep, err := grant.NewClient(ctx, cfg)
	if err != nil {
		return nil, ep, err
	}
	if ep.Revocation == "" {
		return nil, ep, errNoRevocation
	}
	return c, ep, nil
}
