// Package onbehalfof is Microsoft Entra's on-behalf-of flow
// (entra-docs v2-oauth2-on-behalf-of-flow.md): a middle-tier API that
// received a user's access token trades it for a token to a downstream
// API, as the same user. It is the jwt-bearer grant with
// requested_token_use=on_behalf_of, not RFC 8693 token exchange:
//
//	POST https://login.microsoftonline.com/TENANT/oauth2/v2.0/token
//	grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
//	&assertion=<incoming access token>&requested_token_use=on_behalf_of
//	&scope=https://graph.microsoft.com/.default&client_id=APP (+ client credential)
//
// The incoming token is the secret-valued key assertion: the plugin has
// no stdin, so the host reads it from an env: or file: reference. The
// client must be confidential (client_secret or a certificate) and the
// authority must name a tenant.
package onbehalfof

import (
	"context"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Name is the provider name used in profiles.
const Name = "on_behalf_of"

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "Entra on-behalf-of: exchange an incoming token for one to a downstream API",
	Keys: append([]plugin.KeyInfo{
		{Name: "client_id", Required: true, Description: "the middle-tier API's application (client) id"},
		{Name: "authority", Required: true, Description: "Entra authority with a tenant, https://HOST/TENANT"},
		{Name: "assertion", Required: true, Secret: true, Description: "the incoming access token (env: or file: reference)"},
		{Name: "client_secret", Secret: true, Description: "client secret (or client_certificate)"},
		{Name: "client_certificate", Description: "PEM or PFX certificate for a client assertion"},
		{Name: "scopes", List: true, Description: "downstream scopes, e.g. https://graph.microsoft.com/.default"},
		{Name: "requested_token_type", Description: "urn:ietf:params:oauth:token-type:saml2 or saml1 for a SAML token"},
	}, grant.SetupKeys()...),
}

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use.
type Provider struct{}

// GetToken posts the on-behalf-of request. Each call runs the grant with
// the current assertion: a refresh token from an earlier user's exchange
// is never reused, so nothing is kept in state.
func (Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	if err := req.Config.Require("assertion"); err != nil {
		return nil, err
	}
	s, err := grant.NewSetup(ctx, req)
	if err != nil {
		return nil, err
	}
	if _, public := s.Client.Auth.(oauth.None); public || s.Client.Auth == nil {
		return nil, plugin.Configf("on_behalf_of needs a confidential client: set client_secret or client_certificate")
	}
	assertion, err := req.Config.Secret("assertion")
	if err != nil {
		return nil, err
	}
	form := url.Values{
		"grant_type":          {entra.GrantJWTBearer},
		"assertion":           {assertion.Reveal()},
		"requested_token_use": {"on_behalf_of"},
	}
	if t := req.Config.String("requested_token_type"); t != "" {
		form.Set("requested_token_type", t)
	}
	tok, err := s.Post(ctx, form, "")
	if err != nil {
		return nil, err
	}
	tok.State = nil
	// The token belongs to the incoming assertion's user, which the host's
	// cache key cannot see (it never holds secrets): caching it could hand
	// one user's downstream token to the next caller.
	tok.NoCache = true
	return tok, nil
}
