// Package environment is the environment provider: Azure SDK environment variables (AZURE_*, ARM_*).
package environment

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "environment"

// Info describes the provider.
var Info = plugin.ProviderInfo{Name: Name, Description: "Azure SDK environment variables (AZURE_*, ARM_*)"}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken is not implemented yet.
func (Provider) GetToken(context.Context, *plugin.Request) (*plugin.Token, error) {
	return nil, plugin.Configf("provider %s is not implemented yet", Name)
}
