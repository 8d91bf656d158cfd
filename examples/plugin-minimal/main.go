// Command plugin-minimal is the smallest useful keyfob provider plugin:
// the OAuth 2.0 client_credentials grant with a client secret, built only
// on keyfob's public plugin SDK. Copy it to start your own plugin;
// docs/plugins.md walks through it.
//
// Install it where keyfob looks for plugins by name, and pin its checksum:
//
//	go build -o ~/.local/share/keyfob/plugins/keyfob-plugin-minimal ./examples/plugin-minimal
//	sha256sum ~/.local/share/keyfob/plugins/keyfob-plugin-minimal
//
//	[profiles.api]                  # in ~/.config/keyfob/config.toml
//	plugin        = "minimal"
//	plugin_sha256 = "…"             # what sha256sum printed
//	provider      = "minimal_client_credentials"
//	token_url     = "https://idp.example.com/oauth2/token"
//	client_id     = "my-service"
//	client_secret = "env:MY_SERVICE_SECRET"
//	scopes        = ["api"]
package main

import (
	"context"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

func main() {
	var reg plugin.Registry
	reg.Register(info, plugin.ProviderFunc(getToken))
	plugin.Serve(plugin.ServeOpts{Registry: &reg, Version: "0.1.0"})
}

// info is what `keyfob plugins` shows: the provider's name and its keys.
var info = plugin.ProviderInfo{
	Name:        "minimal_client_credentials",
	Description: "client_credentials with a client secret (example plugin)",
	Keys: []plugin.KeyInfo{
		{Name: "token_url", Required: true, Description: "token endpoint (https, or http on loopback)"},
		{Name: "client_id", Required: true, Description: "OAuth client id"},
		{Name: "client_secret", Required: true, Secret: true, Description: "client secret"},
		{Name: "scopes", List: true, Description: "scopes to request"},
	},
}

// getToken runs the grant. It must not write to stdout or log secrets.
// Errors keep their kind across the wire: plugin.Configf is exit code 2,
// and the token client's errors are 3 (refused) or 5 (unavailable).
func getToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	cfg := req.Config
	if err := cfg.Require("token_url", "client_id", "client_secret"); err != nil {
		return nil, err
	}
	secret, err := cfg.Secret("client_secret") // keyfob resolved env:/file: already
	if err != nil {
		return nil, err
	}
	scopes := req.Scopes // --scope on the command line wins over the profile's
	if len(scopes) == 0 {
		if scopes, err = cfg.List("scopes"); err != nil {
			return nil, err
		}
	}
	// The SDK's token client: https only (but loopback), retries, Entra and
	// RFC 6749 errors as *plugin.OAuthError, no secret in any log line.
	client := &oauth.Client{
		TokenURL: cfg.String("token_url"),
		ClientID: cfg.String("client_id"),
		Auth:     oauth.SecretBasic{Secret: secret},
		Logger:   req.Logger,
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	tr, err := client.Token(ctx, form)
	if err != nil {
		return nil, err
	}
	return &plugin.Token{AccessToken: tr.AccessToken, TokenType: tr.TokenType, ExpiresAt: tr.ExpiresAt, Scope: tr.Scope}, nil
}
