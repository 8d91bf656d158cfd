package main

import (
	"context"
	"net/http"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "github_app"

// Configuration keys. github_app_private_key ends in _key, so keyfob
// treats it as secret-valued: it resolves env:/file: references before
// sending it and never prints it.
const (
	keyAppID          = "github_app_id"
	keyInstallationID = "github_installation_id"
	keyPrivateKey     = "github_app_private_key"
	keyAPIURL         = "github_api_url"
	keyRepositories   = "github_repositories"
)

// defaultAPIURL is GitHub.com's REST API.
const defaultAPIURL = "https://api.github.com"

// Info describes the provider to keyfob plugins.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "GitHub App installation access token",
	Keys: []plugin.KeyInfo{
		{Name: keyAppID, Required: true, Description: "the App's id or client id (the JWT's issuer)"},
		{Name: keyInstallationID, Required: true, Description: "id of the App's installation on an account"},
		{Name: keyPrivateKey, Required: true, Secret: true, Description: "the App's private key (PEM), e.g. file:PATH"},
		{Name: keyAPIURL, Description: "REST API URL (default " + defaultAPIURL + "; GHES: https://HOST/api/v3)"},
		{Name: keyRepositories, List: true, Description: "repository names the token is limited to"},
		{Name: "scopes", List: true, Description: "permissions the token is limited to, as NAME:LEVEL (contents:read)"},
		{Name: "ca_file", Description: "extra trusted CA certificates (PEM), for GHES"},
	},
}

// Provider implements plugin.Provider. The zero value is ready to use;
// tests set the clock and the HTTP client.
type Provider struct {
	// Now is the clock for the App JWT; nil means time.Now.
	Now func() time.Time
	// HTTPClient sends the API request; nil means one built from the
	// profile (ca_file, no redirects, timeouts).
	HTTPClient *http.Client
	// Backoff is the wait before the first retry; zero means 500ms.
	Backoff time.Duration
}

// GetToken signs an App JWT and exchanges it for an installation token.
// No state is kept: the private key is the lasting credential.
func (p *Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	s, err := readSettings(req)
	if err != nil {
		return nil, err
	}
	jwt, err := appJWT(s.appID, s.key, p.now())
	if err != nil {
		return nil, err
	}
	hc := p.HTTPClient
	if hc == nil {
		if hc, err = s.httpClient(); err != nil {
			return nil, err
		}
	}
	x := exchange{client: hc, settings: s, jwt: jwt, req: req, backoff: p.Backoff}
	return x.run(ctx)
}

func (p *Provider) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}
