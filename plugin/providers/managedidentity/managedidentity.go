package managedidentity

import (
	"context"
	"net/http"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Name is the provider name used in profiles.
const Name = "managed_identity"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "Azure managed identity (IMDS, App Service, Functions)",
	Keys: []plugin.KeyInfo{
		{Name: "resource", Description: "resource (App ID URI) to get a token for; or one scope RESOURCE/.default"},
		{Name: "scopes", List: true, Description: "exactly one scope, RESOURCE/.default"},
		{Name: "client_id", Description: "client id of a user-assigned identity"},
		{Name: "object_id", Description: "object (principal) id of a user-assigned identity"},
		{Name: "msi_res_id", Description: "ARM resource id of a user-assigned identity"},
		{Name: KeySource, Description: "imds, app_service or app_service_2017 (default: app_service with identity_endpoint, else imds)"},
		{Name: KeyIdentityEndpoint, Description: "App Service endpoint (IDENTITY_ENDPOINT, or MSI_ENDPOINT for app_service_2017)"},
		{Name: KeyIdentitySecret, Secret: true, Description: "App Service identity header (IDENTITY_HEADER, or MSI_SECRET)"},
		{Name: KeyIMDSEndpoint, Description: "IMDS token URL, default " + DefaultIMDSEndpoint},
	},
}

// Retry defaults.
const (
	// DefaultBackoff is the wait before the first retry; it doubles for
	// each further one.
	DefaultBackoff = 2 * time.Second
	// DefaultMaxRetries is how many times a retryable answer is asked
	// again: with DefaultBackoff, 62 s of waits, about the 70 s IMDS may
	// take to restart.
	DefaultMaxRetries = 5
)

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use.
type Provider struct {
	// Backoff is the wait before the first retry; 0 means DefaultBackoff.
	// Tests set it small.
	Backoff time.Duration
	// MaxRetries is how many times a retryable answer is asked again; 0
	// means DefaultMaxRetries, negative never.
	MaxRetries int
	// HTTPClient sends the requests; nil means a client without proxy,
	// redirects or long timeouts (see newHTTPClient).
	HTTPClient *http.Client
}

// GetToken asks the managed-identity endpoint for a token. No refresh
// token exists here; the host caches the access token.
func (p Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	resource, err := resourceOf(req)
	if err != nil {
		return nil, err
	}
	id, err := identityOf(req.Config)
	if err != nil {
		return nil, err
	}
	ep, err := endpointOf(req.Config)
	if err != nil {
		return nil, err
	}
	build, err := ep.requestFor(resource, id)
	if err != nil {
		return nil, err
	}
	tr, err := p.fetch(ctx, req, ep, build)
	if err != nil {
		return nil, err
	}
	return grant.ToToken(tr, "")
}
