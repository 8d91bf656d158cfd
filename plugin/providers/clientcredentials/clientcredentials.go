// Package clientcredentials is the client_credentials grant (RFC 6749
// §4.4): an application gets a token for itself, authenticating with a
// client secret (or, with [entra], a certificate or federated assertion).
package clientcredentials

import (
	"context"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Name is the provider name used in profiles.
const Name = "client_credentials"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "an application's own token (client secret or certificate)",
	Keys: []plugin.KeyInfo{
		{Name: "client_id", Required: true, Description: "application (client) id"},
		{Name: "client_secret", Secret: true, Description: "client secret"},
		{Name: "client_certificate", Description: "PEM or PFX certificate for private_key_jwt, instead of a secret"},
		{Name: "client_certificate_password", Secret: true, Description: "password of a PFX certificate"},
		{Name: "client_auth", Description: "client_secret_basic, client_secret_post, private_key_jwt or none"},
		{Name: "token_url", Description: "token endpoint (or authority / issuer)"},
		{Name: "scopes", List: true, Description: "scopes, e.g. https://graph.microsoft.com/.default"},
	},
}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken posts grant_type=client_credentials. No refresh token is issued
// for this grant, so nothing is kept in state.
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	s, err := grant.NewSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	return s.Post(ctx, url.Values{"grant_type": {"client_credentials"}}, "")
}
