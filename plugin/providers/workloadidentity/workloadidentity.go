package workloadidentity

import (
	"context"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Name is the provider name used in profiles.
const Name = "workload_identity"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "federated credential (Kubernetes, GitHub Actions, Azure Pipelines token) as client assertion",
	Keys: []plugin.KeyInfo{
		{Name: "client_id", Required: true, Description: "application (client) id (AZURE_CLIENT_ID)"},
		{Name: "tenant_id", Description: "Entra tenant id or domain (AZURE_TENANT_ID)"},
		{Name: "authority_host", Description: "Entra authority host, default https://login.microsoftonline.com (AZURE_AUTHORITY_HOST)"},
		{Name: "authority", Description: "Entra authority https://HOST/TENANT (instead of tenant_id)"},
		{Name: "token_url", Description: "token endpoint (instead of authority or tenant_id)"},
		{Name: "scopes", List: true, Description: "scopes, e.g. https://management.azure.com/.default"},
		{Name: "resource", Description: "resource, requested as RESOURCE/.default"},
		{Name: KeySource, Description: "where the assertion comes from: file, github or azure_pipelines (default: inferred)"},
		{Name: KeyAssertionFile, Description: "file holding the federated token, read on every request (AZURE_FEDERATED_TOKEN_FILE)"},
		{Name: KeyRequestURL, Description: "OIDC token request URL (ACTIONS_ID_TOKEN_REQUEST_URL or SYSTEM_OIDCREQUESTURI)"},
		{Name: KeyRequestToken, Secret: true, Description: "bearer token for the OIDC request (ACTIONS_ID_TOKEN_REQUEST_TOKEN or SYSTEM_ACCESSTOKEN)"},
		{Name: KeyAudience, Description: "audience of the GitHub token, default api://AzureADTokenExchange"},
		{Name: KeyServiceConnection, Description: "Azure Pipelines service connection id (AZURESUBSCRIPTION_SERVICE_CONNECTION_ID)"},
		{Name: "ca_file", Description: "extra trusted CA certificates (PEM)"},
	},
}

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use; it keeps nothing between requests.
type Provider struct{}

// GetToken reads or fetches a fresh federated token and redeems it with
// the client_credentials grant. No refresh token is issued for this grant,
// so nothing is kept in state.
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	s, err := newSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	return s.Post(ctx, url.Values{"grant_type": {"client_credentials"}}, "")
}

// newSetup builds the token client: the profile's endpoint, transport and
// scopes, authenticated by the federated assertion. It does not use
// grant.NewSetup, whose client authentication comes from client_auth and
// client_secret, which this grant never sends.
func newSetup(ctx context.Context, req *plugin.Request) (*grant.Setup, error) {
	cfg := req.Config
	if err := cfg.Require("client_id"); err != nil {
		return nil, err
	}
	hc, err := oauth.HTTPClientFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	ep, err := resolveEndpoints(ctx, cfg, hc)
	if err != nil {
		return nil, err
	}
	src, err := sourceFromConfig(cfg, hc, ep.Token)
	if err != nil {
		return nil, err
	}
	scopes, err := grant.Scopes(req)
	if err != nil {
		return nil, err
	}
	if len(scopes) == 0 {
		return nil, plugin.Configf("key scopes (or resource) is required, e.g. https://management.azure.com/.default")
	}
	c := &oauth.Client{TokenURL: ep.Token, ClientID: cfg.String("client_id"), Auth: assertionAuth(src),
		HTTPClient: hc, Logger: req.Logger}
	return &grant.Setup{Client: c, Endpoints: ep, Scopes: scopes}, nil
}
