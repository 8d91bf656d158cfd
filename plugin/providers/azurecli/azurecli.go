// Package azurecli is the azure_cli provider: token from an existing az login.
package azurecli

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "azure_cli"

// Info describes the provider.
var Info = plugin.ProviderInfo{Name: Name, Description: "token from an existing az login"}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken is not implemented yet.
func (Provider) GetToken(context.Context, *plugin.Request) (*plugin.Token, error) {
	return nil, plugin.Configf("provider %s is not implemented yet", Name)
}
