// Package workloadidentity is the workload_identity provider: federated credential (Kubernetes, GitHub Actions, Azure Pipelines token) as client assertion.
package workloadidentity

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "workload_identity"

// Info describes the provider.
var Info = plugin.ProviderInfo{Name: Name, Description: "federated credential (Kubernetes, GitHub Actions, Azure Pipelines token) as client assertion"}

// Provider implements plugin.Provider.
type Provider struct{}

// GetToken is not implemented yet.
func (Provider) GetToken(context.Context, *plugin.Request) (*plugin.Token, error) {
	return nil, plugin.Configf("provider %s is not implemented yet", Name)
}
