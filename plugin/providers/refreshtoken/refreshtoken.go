// Package refreshtoken redeems an explicit refresh token (RFC 6749 §6),
// as the seed's script did, from a secret reference. When the server
// rotates refresh tokens, the newest one is kept in state and used from
// then on, since the configured one is then spent.
package refreshtoken

import (
	"context"
	"errors"
	"fmt"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Name is the provider name used in profiles.
const Name = "refresh_token"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "redeem an explicit refresh token",
	Keys: append([]plugin.KeyInfo{
		{Name: "refresh_token", Required: true, Secret: true, Description: "refresh token (env: or file: reference)"},
	}, grant.ClientKeys()...),
}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken redeems the newest refresh token: the one in state when the
// server rotated it, else the configured one.
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	if err := req.Config.Require("refresh_token"); err != nil {
		return nil, err
	}
	s, err := grant.NewSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	if tok, ok, err := s.RefreshFromState(ctx, req); ok || err != nil {
		return tok, err
	}
	rt, err := req.Config.Secret("refresh_token")
	if err != nil {
		return nil, err
	}
	tr, err := s.Refresh(ctx, rt)
	if err != nil {
		return nil, explain(err)
	}
	return grant.ToToken(tr, "")
}

// explain adds what to do when the configured refresh token is refused.
func explain(err error) error {
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.Code == "invalid_grant" {
		return fmt.Errorf("%w (the configured refresh_token is expired, revoked or already used; get a new one)", err)
	}
	return err
}
