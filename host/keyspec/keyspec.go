// Package keyspec is what keyfob knows of a profile key before any plugin
// runs: the keys only the host reads (Host), the keys of its built-in
// providers with their kinds, generated from each provider's ProviderInfo
// (plugin/providers/all) into Builtin, and the naming rule that makes a
// third-party plugin's key secret. It
// imports only the standard library, so the lean front, the host SDK and
// the configuration loader all classify keys with the one IsSecret, and
// the cache keys they compute agree.
package keyspec

import (
	"strings"
	"sync"
)

// Key is one built-in key and its kinds; a provider key's are merged over
// every built-in provider that reads it.
type Key struct {
	// Name is the key as written in a profile, e.g. "client_id".
	Name string
	// Description is the line most providers give it.
	Description string
	// Secret marks a secret-valued key (a literal, env:NAME or file:PATH).
	Secret bool
	// List marks a list of strings, carried as JSON array text.
	List bool
	// Bool marks a boolean, carried as "true" or "false".
	Bool bool
	// Providers are the built-in providers that read it, sorted; none
	// for a host key.
	Providers []string
}

// Host are the keys only the host reads: which provider or plugin to
// run, how to pick the profile, what the host protocols report, and the
// Entra expansion done before the call. A provider's keys are declared
// in its ProviderInfo, never here. A key named like a secret (SecretName)
// that is not one, such as use_id_token, must be listed here or in a
// ProviderInfo, or IsSecret would take it for a secret.
var Host = []Key{
	{Name: "provider", Description: "grant provider, e.g. client_credentials or device_code"},
	{Name: "plugin", Description: "path or name of an external provider plugin"},
	{Name: "plugin_sha256", Description: "expected SHA-256 of the plugin, lowercase hex"},
	{Name: "hosts", Description: "host patterns whose requests use this profile", List: true},
	{Name: "timeout", Description: "bound on the whole call, as a Go duration"},
	{Name: "cloud", Description: "Entra national cloud: public, usgov or china"},
	{Name: "preset", Description: "Entra preset filling scopes and hosts: graph, arm, aks, azure-devops, keyvault, storage or acr"},
	{Name: "revocation_url", Description: "RFC 7009 token revocation endpoint used by keyfob logout (default: discovered from issuer)"},
	{Name: "use_id_token", Description: "hand out the ID token instead of the access token", Bool: true},
	{Name: "git_username", Description: "username= reported to git"},
	{Name: "docker_username", Description: "user name reported to docker"},
	{Name: "acr_exchange", Description: "docker: exchange the Entra token for an Azure Container Registry refresh token", Bool: true},
}

// Lookup returns the built-in key called name: a host key or a built-in
// provider's.
func Lookup(name string) (Key, bool) {
	k, ok := index()[name]
	return k, ok
}

// index maps each built-in key's name to it, a host key winning.
var index = sync.OnceValue(func() map[string]Key {
	m := make(map[string]Key, len(Host)+len(Builtin))
	for _, k := range Builtin {
		m[k.Name] = k
	}
	for _, k := range Host {
		m[k.Name] = k
	}
	return m
})

// IsSecret is keyfob's one secret classifier: a built-in key is secret
// when its declaration (Host, or its provider's ProviderInfo) says so, and
// any other key when it is named like a secret (SecretName). The host resolves a secret key's env:/file:
// reference before a call, the configuration loader refuses a literal
// secret on the command line, and cache keys hold a digest of a secret's
// value rather than the value: all of them ask IsSecret.
func IsSecret(name string) bool {
	if k, ok := Lookup(name); ok {
		return k.Secret
	}
	return SecretName(name)
}

// ResolvedByHost reports whether the host resolves an env:/file:
// reference in key before a call, since a plugin runs without the host's
// environment: every secret key (IsSecret) and every key named like one
// (SecretName), such as assertion_key, which is not secret itself (it
// may be a path) but may hold a reference to PEM text.
func ResolvedByHost(name string) bool { return IsSecret(name) || SecretName(name) }

// secretSuffixes end the names of keys that are secret by convention.
var secretSuffixes = []string{"_secret", "_password", "_token", "_key"}

// SecretName reports whether name ends like a secret key's: _secret,
// _password, _token or _key. This is how a third-party provider's secret
// keys (such as github_app_private_key) are known without starting its
// plugin; name a plugin's secret keys so.
func SecretName(name string) bool {
	for _, s := range secretSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}
