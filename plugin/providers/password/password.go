// Package password is the resource owner password credentials grant (RFC
// 6749 §4.3, "ROPC"), as in the seed's first script: a username and
// password, from a public client or with a client secret. Microsoft and
// OAuth 2.1 discourage it; it cannot satisfy MFA. The password is never
// stored: when the server issues a refresh token, later calls use that.
package password

import (
	"context"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Name is the provider name used in profiles.
const Name = "password"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "resource owner password credentials (ROPC)",
	Keys: append([]plugin.KeyInfo{
		{Name: "username", Required: true, Description: "user name"},
		{Name: "password", Required: true, Secret: true, Description: "password (env: or file: reference)"},
	}, grant.ClientKeys()...),
}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken uses the stored refresh token when there is one, else posts
// grant_type=password.
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	if err := req.Config.Require("username", "password"); err != nil {
		return nil, err
	}
	s, err := grant.NewSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	if tok, ok, err := s.RefreshFromState(ctx, req); ok || err != nil {
		return tok, err
	}
	pw, err := req.Config.Secret("password")
	if err != nil {
		return nil, err
	}
	user := req.Config.String("username")
	form := url.Values{"grant_type": {"password"}, "username": {user}, "password": {pw.Reveal()}}
	return s.Post(ctx, form, user)
}
