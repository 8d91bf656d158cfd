// Command plugin-github-app is a keyfob provider plugin that gets GitHub
// App installation access tokens: it signs a short-lived JWT with the
// App's private key and exchanges it at GitHub's REST API
// (POST /app/installations/{installation_id}/access_tokens) for a token
// that acts as the App on the repositories it is installed on. It is built
// only on keyfob's public plugin SDK and golang-jwt; see docs/plugins.md.
//
// Install it as the plugin named github-app and pin its checksum:
//
//	go build -o ~/.local/share/keyfob/plugins/keyfob-plugin-github-app ./examples/plugin-github-app
//	sha256sum ~/.local/share/keyfob/plugins/keyfob-plugin-github-app
//
// A profile using it (git over HTTPS takes an installation token as the
// password of the user x-access-token):
//
//	[profiles.ci-bot]
//	plugin                 = "github-app"
//	plugin_sha256          = "…"
//	provider               = "github_app"
//	github_app_id          = "123456"          # the App's id or client id
//	github_installation_id = "7890123"
//	github_app_private_key = "file:~/.secrets/ci-bot.private-key.pem"
//	github_repositories    = ["infra", "docs"] # optional: narrow the token
//	scopes                 = ["contents:read"] # optional: narrow its permissions
//	hosts                  = ["github.com"]
//	git_username           = "x-access-token"
//
// For GitHub Enterprise Server set github_api_url = "https://HOST/api/v3".
package main

import "github.com/keyfob/keyfob/plugin"

// version is reported by keyfob plugins and sent as the User-Agent.
const version = "0.1.0"

func main() { plugin.Serve(plugin.ServeOpts{Registry: registry(), Version: version}) }

// registry holds the plugin's one provider.
func registry() *plugin.Registry {
	var reg plugin.Registry
	reg.Register(Info, &Provider{})
	return &reg
}
