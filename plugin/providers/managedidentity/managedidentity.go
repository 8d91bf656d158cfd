// Package managedidentity is the managed_identity provider: Azure managed identity (IMDS, App Service, Functions).
package managedidentity

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "managed_identity"

// Info describes the provider.
var Info = plugin.ProviderInfo{Name: Name, Description: "Azure managed identity (IMDS, App Service, Functions)"}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken is not implemented yet.
func (Provider) GetToken(context.Context, *plugin.Request) (*plugin.Token, error) {
	return nil, plugin.Configf("provider %s is not implemented yet", Name)
}
