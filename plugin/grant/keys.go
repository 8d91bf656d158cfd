package grant

import "github.com/keyfob/keyfob/plugin"

// ClientKeys describes the configuration keys every grant that goes
// through Setup reads: the client, its authentication, the server and the
// scopes. Providers list them after their own keys in ProviderInfo.Keys.
func ClientKeys() []plugin.KeyInfo {
	return []plugin.KeyInfo{
		{Name: "client_id", Required: true, Description: "application (client) id"},
		{Name: "client_secret", Secret: true, Description: "client secret, for a confidential client"},
		{Name: "client_certificate", Description: "PEM or PFX certificate for private_key_jwt, instead of a secret"},
		{Name: "client_certificate_password", Secret: true, Description: "password of a PFX certificate"},
		{Name: "client_auth", Description: "client_secret_basic, client_secret_post, private_key_jwt or none"},
		{Name: "token_url", Description: "token endpoint (or authority / issuer)"},
		{Name: "authority", Description: "Entra authority https://HOST/TENANT"},
		{Name: "issuer", Description: "OpenID issuer, for discovery"},
		{Name: "scopes", List: true, Description: "scopes to request"},
	}
}

// OptionalClientKeys are ClientKeys for the grants that go through
// NewSetupOptionalClient: client_id is not required.
func OptionalClientKeys() []plugin.KeyInfo {
	keys := ClientKeys()
	for i := range keys {
		if keys[i].Name == "client_id" {
			keys[i].Required = false
			keys[i].Description = "client id, when the server wants the client identified (optional)"
		}
	}
	return keys
}
