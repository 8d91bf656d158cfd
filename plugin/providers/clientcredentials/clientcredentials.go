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
	Keys:        grant.ClientKeys(),
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
