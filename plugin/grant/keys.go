package grant

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/assertion"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// ClientKeys describes the configuration keys every grant that goes
// through Setup reads: the client, its authentication, the server and the
// scopes. Providers list them after their own keys in ProviderInfo.Keys.
func ClientKeys() []plugin.KeyInfo {
	return append([]plugin.KeyInfo{
		{Name: "client_id", Required: true, Description: "application (client) id"},
		{Name: "client_secret", Secret: true, Description: "client secret, for a confidential client"},
		{Name: "client_certificate", Description: "PEM or PFX certificate for private_key_jwt, instead of a secret"},
		{Name: "client_certificate_password", Secret: true, Description: "password of a PFX certificate"},
		{Name: "client_auth", Description: "client_secret_basic, client_secret_post, private_key_jwt or none"},
		{Name: "token_url", Description: "token endpoint (or authority / issuer)"},
		{Name: "authority", Description: "Entra authority https://HOST/TENANT"},
		{Name: "issuer", Description: "OpenID issuer, for discovery"},
		{Name: "scopes", List: true, Description: "scopes to request"},
	}, SetupKeys()...)
}

// SetupKeys describes the keys Setup reads besides the client and the
// server: the transport's trusted CAs, the shape of a client assertion and
// the client capabilities. ClientKeys includes them; a provider that
// lists its own client keys but goes through Setup adds these.
func SetupKeys() []plugin.KeyInfo {
	return []plugin.KeyInfo{
		{Name: oauth.KeyCAFile, Description: "extra trusted CA certificates (PEM)"},
		{Name: assertion.KeyAlg, Description: "assertion signing algorithm: PS256, RS256 or ES256"},
		{Name: oauth.KeyAssertionAudience, Description: "assertion audience: token_endpoint, issuer or both"},
		{Name: assertion.KeyHeader, Description: "certificate header of the assertion: x5t#S256, x5t, both or kid"},
		{Name: assertion.KeyKID, Description: "kid header of the assertion"},
		{Name: assertion.KeyX5C, Bool: true, Description: "send the certificate chain in the assertion's x5c header"},
		{Name: "client_capabilities", List: true, Description: `client capabilities sent in claims; ["cp1"] opts in to CAE`},
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
