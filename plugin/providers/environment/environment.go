// Package environment is the environment provider, what keyfob token runs
// when no profile is configured at all (CONTRACT §4). It behaves like the
// Azure SDKs' EnvironmentCredential, followed by their workload identity
// credential: with a tenant and a client id, the first of these that is
// set decides the grant:
//
//  1. a client secret: client_credentials with the secret;
//  2. a client certificate: client_credentials with a certificate
//     assertion;
//  3. a user name and password: the password grant, as a public client;
//  4. a federated token file: workload identity federation.
//
// The plugin runs with a restricted environment and reads no variables
// itself: the host maps AZURE_TENANT_ID, AZURE_CLIENT_ID,
// AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH(_PASSWORD),
// AZURE_USERNAME, AZURE_PASSWORD, AZURE_FEDERATED_TOKEN_FILE and
// AZURE_AUTHORITY_HOST (or Terraform's ARM_* names) to the keys tenant_id,
// client_id, client_secret, client_certificate(_password), username,
// password, client_assertion_file and authority, keeping secrets as
// references it resolves itself. A profile may also set these keys
// directly.
package environment

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/clientcredentials"
	"github.com/keyfob/keyfob/plugin/providers/password"
	"github.com/keyfob/keyfob/plugin/providers/workloadidentity"
)

// Name is the provider name used in profiles.
const Name = "environment"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "Azure SDK environment variables (AZURE_*, ARM_*), as EnvironmentCredential",
	Keys: []plugin.KeyInfo{
		{Name: "tenant_id", Description: "tenant id or domain (AZURE_TENANT_ID)"},
		{Name: "client_id", Description: "application (client) id (AZURE_CLIENT_ID)"},
		{Name: "authority", Description: "derived from AZURE_AUTHORITY_HOST and the tenant"},
		{Name: "client_secret", Secret: true, Description: "client secret (AZURE_CLIENT_SECRET)"},
		{Name: "client_certificate", Description: "PEM or PFX certificate (AZURE_CLIENT_CERTIFICATE_PATH)"},
		{Name: "client_certificate_password", Secret: true, Description: "password of a PFX certificate (AZURE_CLIENT_CERTIFICATE_PASSWORD)"},
		{Name: "username", Description: "user name (AZURE_USERNAME)"},
		{Name: "password", Secret: true, Description: "password (AZURE_PASSWORD)"},
		{Name: "client_assertion_file", Description: "file holding a federated token (AZURE_FEDERATED_TOKEN_FILE)"},
		{Name: "scopes", List: true, Description: "scopes, e.g. https://management.azure.com/.default"},
	},
}

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use.
type Provider struct{}

// GetToken runs the grant the configuration selects (see the package
// documentation).
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	p, err := Select(req.Config)
	if err != nil {
		return nil, err
	}
	return p.GetToken(ctx, req)
}

// Select returns the provider that the keys choose, or a configuration
// error saying what to set.
func Select(cfg plugin.Config) (plugin.Provider, error) {
	switch {
	case !cfg.Has("tenant_id") && !cfg.Has("authority"):
		return nil, missing("AZURE_TENANT_ID")
	case !cfg.Has("client_id"):
		return nil, missing("AZURE_CLIENT_ID")
	case cfg.Has("client_secret"), cfg.Has("client_certificate"):
		return clientcredentials.Provider{}, nil
	case cfg.Has("username"):
		if !cfg.Has("password") {
			return nil, plugin.Configf("provider environment: AZURE_USERNAME is set but AZURE_PASSWORD is not")
		}
		return password.Provider{}, nil
	case cfg.Has("client_assertion_file"):
		return workloadidentity.Provider{}, nil
	}
	return nil, plugin.Configf("provider environment: AZURE_TENANT_ID and AZURE_CLIENT_ID are set, but no credential: " +
		"set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_USERNAME and AZURE_PASSWORD, or AZURE_FEDERATED_TOKEN_FILE")
}

// missing reports an unset variable with what the provider needs, and the
// alternatives.
func missing(name string) error {
	return plugin.Configf("provider environment: %s is not set (set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, "+
		"or AZURE_CLIENT_CERTIFICATE_PATH, AZURE_USERNAME and AZURE_PASSWORD, or AZURE_FEDERATED_TOKEN_FILE; "+
		"ARM_* names work too), or configure a profile and pass -p NAME", name)
}
