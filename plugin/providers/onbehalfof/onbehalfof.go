// Package onbehalfof is the on_behalf_of provider: Entra on-behalf-of: exchange an incoming token for one to a downstream API.
package onbehalfof

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "on_behalf_of"

// Info describes the provider.
var Info = plugin.ProviderInfo{Name: Name, Description: "Entra on-behalf-of: exchange an incoming token for one to a downstream API"}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken is not implemented yet.
func (Provider) GetToken(context.Context, *plugin.Request) (*plugin.Token, error) {
	return nil, plugin.Configf("provider %s is not implemented yet", Name)
}
