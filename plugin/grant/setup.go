package grant

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Setup is what a provider needs to talk to the token endpoint.
type Setup struct {
	// Client posts to the token endpoint with the profile's client
	// authentication.
	Client *oauth.Client
	// Endpoints of the authorization server.
	Endpoints endpoint.Endpoints
	// Scopes to request.
	Scopes []string
	// RefreshScopes, when not nil, are what a refresh asks for instead of
	// Scopes: RFC 6749 §6 lets a refresh ask for no more than the grant
	// included, so a provider that adds scopes to a sign-in (package
	// delegated's OIDC scopes) asks again only for those granted.
	RefreshScopes []string
	// Resource is sent as RFC 8707's resource parameter with every
	// request ("" for none): the profile's resource key, for servers other
	// than Entra. Entra gets it as the scope RESOURCE/.default instead
	// (see Scopes).
	Resource string
	// Claims is the claims request parameter sent with every token request
	// ("" for none); see Claims.
	Claims string
}

// NewSetup builds a Setup from the request's configuration: client_id,
// client_auth and its secret or certificate, ca_file, the endpoints, and
// the scopes.
func NewSetup(ctx context.Context, req *plugin.Request) (*Setup, error) {
	if err := req.Config.Require("client_id"); err != nil {
		return nil, err
	}
	return newSetup(ctx, req)
}

// NewSetupOptionalClient is NewSetup for the grants whose client
// authentication is optional: the JWT bearer grant (RFC 7523 §3.1) and
// token exchange (RFC 8693 §2.1). Without client_id the requests carry
// neither a client_id nor client authentication; a client credential
// without a client_id is a configuration error.
func NewSetupOptionalClient(ctx context.Context, req *plugin.Request) (*Setup, error) {
	if !req.Config.Has("client_id") {
		for _, k := range []string{"client_secret", "client_certificate", "client_assertion_file"} {
			if req.Config.Has(k) {
				return nil, plugin.Configf("key %s is set but client_id is not", k)
			}
		}
	}
	return newSetup(ctx, req)
}

// newSetup is NewSetup without the client_id check.
func newSetup(ctx context.Context, req *plugin.Request) (*Setup, error) {
	c, ep, err := NewClient(ctx, req.Config)
	if err != nil {
		return nil, err
	}
	scopes, resource, err := requested(req, ep)
	if err != nil {
		return nil, err
	}
	claims, err := Claims(req)
	if err != nil {
		return nil, err
	}
	c.Logger = req.Logger
	return &Setup{Client: c, Endpoints: ep, Scopes: scopes, Resource: resource, Claims: claims}, nil
}

// NewClient builds the profile's token client from cfg (client_id, its
// client authentication, ca_file) and resolves its endpoints
// (endpoint.Resolve). The client has no Logger.
func NewClient(ctx context.Context, cfg plugin.Config) (*oauth.Client, endpoint.Endpoints, error) {
	// Client authentication first: a bad certificate is reported before
	// any request, OpenID discovery included.
	auth, err := oauth.AuthFromConfig(cfg)
	if err != nil {
		return nil, endpoint.Endpoints{}, err
	}
	hc, err := oauth.HTTPClientFromConfig(cfg)
	if err != nil {
		return nil, endpoint.Endpoints{}, err
	}
	ep, err := endpoint.Resolve(ctx, cfg, hc)
	if err != nil {
		return nil, ep, err
	}
	c := &oauth.Client{TokenURL: ep.Token, ClientID: cfg.String("client_id"), Auth: auth, Issuer: ep.Issuer, HTTPClient: hc}
	return c, ep, nil
}

// requested returns what to ask the server for. Entra (ep.IsEntra) takes a
// v1-style resource only as the v2.0 scope RESOURCE/.default (see
// Scopes); any other server gets RFC 8707's resource parameter as
// configured, next to the scopes, since "/.default" means nothing there.
func requested(req *plugin.Request, ep endpoint.Endpoints) ([]string, string, error) {
	resource := req.Config.String("resource")
	if ep.IsEntra() || resource == "" {
		scopes, err := Scopes(req)
		return scopes, "", err
	}
	if len(req.Scopes) > 0 {
		return req.Scopes, resource, nil
	}
	scopes, err := req.Config.List("scopes")
	return scopes, resource, err
}

// Scopes returns the request's scopes, else the profile's "scopes" key,
// else "<resource>/.default" when a "resource" is configured: Entra's
// form. A Setup uses it for Entra only; other servers get the resource as
// Setup.Resource.
func Scopes(req *plugin.Request) ([]string, error) {
	if len(req.Scopes) > 0 {
		return req.Scopes, nil
	}
	scopes, err := req.Config.List("scopes")
	if err != nil || len(scopes) > 0 {
		return scopes, err
	}
	if r := req.Config.String("resource"); r != "" {
		return []string{ResourceScope(r)}, nil
	}
	return nil, nil
}

// ResourceScope turns a v1-style resource into a v2.0 scope:
// https://graph.microsoft.com → https://graph.microsoft.com/.default.
func ResourceScope(resource string) string {
	for len(resource) > 0 && resource[len(resource)-1] == '/' {
		resource = resource[:len(resource)-1]
	}
	return resource + "/.default"
}
