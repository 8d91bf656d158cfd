package config

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// KeySpec describes one profile key.
type KeySpec struct {
	// Name is the key as written in the file, e.g. "client_id".
	Name string
	// Description is a short human-readable explanation.
	Description string
	// Secret marks a secret-valued key: on the command line it takes only
	// an env:/file: reference, and a literal value in a file readable by
	// others draws a warning.
	Secret bool
	// List marks a list of strings, carried as JSON array text.
	List bool
	// Bool marks a boolean, carried as "true" or "false".
	Bool bool
}

// Keys is the table of built-in profile keys (CONTRACT §4). Providers add
// their own with RegisterKey; keys starting with XPrefix need no entry.
var Keys = []KeySpec{
	{Name: "provider", Description: "grant provider, e.g. client_credentials or device_code"},
	{Name: "authority", Description: "Entra authority https://HOST/TENANT; endpoints are derived from it"},
	{Name: "issuer", Description: "OIDC issuer URL, for discovery"},
	{Name: "token_url", Description: "token endpoint URL"},
	{Name: "device_authorization_url", Description: "device authorization endpoint URL"},
	{Name: "authorization_url", Description: "authorization endpoint URL"},
	{Name: "client_id", Description: "OAuth client (application) id"},
	{Name: "client_auth", Description: "client_secret_basic, client_secret_post, private_key_jwt or none"},
	{Name: "client_secret", Description: "client secret", Secret: true},
	{Name: "client_certificate", Description: "PEM (cert + key) or PFX file for a client assertion"},
	{Name: "client_certificate_password", Description: "password of the PFX file", Secret: true},
	{Name: "client_assertion_alg", Description: "assertion signing algorithm: PS256, RS256 or ES256"},
	{Name: "client_assertion_audience", Description: "assertion audience: token_endpoint, issuer or both"},
	{Name: "client_assertion_header", Description: "certificate header of the assertion: x5t#S256, x5t, both or kid"},
	{Name: "client_assertion_kid", Description: "kid header of the assertion"},
	{Name: "client_assertion_x5c", Description: "send the certificate chain in the assertion's x5c header", Bool: true},
	{Name: "client_assertion_file", Description: "file holding a federated client assertion"},
	{Name: "username", Description: "resource owner user name"},
	{Name: "password", Description: "resource owner password", Secret: true},
	{Name: "refresh_token", Description: "refresh token for the refresh_token provider", Secret: true},
	{Name: "scopes", Description: "scopes to request", List: true},
	{Name: "resource", Description: "resource indicator"},
	{Name: "hosts", Description: "host patterns whose requests use this profile", List: true},
	{Name: "ca_file", Description: "extra trusted CA certificates (PEM)"},
	{Name: "plugin", Description: "path or name of an external provider plugin"},
	{Name: "plugin_sha256", Description: "expected SHA-256 of the plugin, lowercase hex"},
	{Name: "cloud", Description: "Entra national cloud: public, usgov or china"},
	{Name: "authority_host", Description: "Entra authority host URL; with tenant_id it makes the authority"},
	{Name: "preset", Description: "Entra preset filling scopes and hosts: graph, arm, aks, azure-devops, keyvault, storage or acr"},
	{Name: "tenant_id", Description: "Entra tenant id or domain; with cloud or authority_host it makes the authority"},
	{Name: "login_hint", Description: "user name to pre-fill at sign-in"},
	{Name: "domain_hint", Description: "domain hint for sign-in"},
	{Name: "prompt", Description: "OIDC prompt: login, consent, select_account or none"},
	{Name: "redirect_uri", Description: "redirect URI for the authorization code flow"},
	{Name: "redirect_mode", Description: "authorization code redirect: loopback (default) or paste (paste the final URL back, for SSH)"},
	{Name: "no_browser", Description: "show the sign-in URL instead of opening a browser", Bool: true},
	{Name: "revocation_url", Description: "RFC 7009 token revocation endpoint used by keyfob logout (default: discovered from issuer)"},
	{Name: "oidc_scopes", Description: "add offline_access openid profile to interactive sign-ins (default true)", Bool: true},
	{Name: "git_username", Description: "username= reported to git"},
	{Name: "docker_username", Description: "user name reported to docker"},
	{Name: "acr_exchange", Description: "docker: exchange the Entra token for an Azure Container Registry refresh token", Bool: true},
	{Name: "use_id_token", Description: "hand out the ID token instead of the access token", Bool: true},
	{Name: "client_capabilities", Description: "client capabilities sent in claims; [\"cp1\"] opts in to CAE", List: true},
	{Name: "assertion", Description: "JWT bearer or on-behalf-of assertion", Secret: true},
	{Name: "assertion_key", Description: "jwt_bearer: PEM private key file that signs a new assertion per request"},
	{Name: "assertion_issuer", Description: "jwt_bearer: iss of a signed assertion (default client_id)"},
	{Name: "assertion_subject", Description: "jwt_bearer: sub of a signed assertion (default assertion_issuer)"},
	{Name: "assertion_audience", Description: "jwt_bearer: aud of a signed assertion: token_endpoint, issuer, both or a literal value (default the issuer when known, else the token endpoint)"},
	{Name: "assertion_kid", Description: "jwt_bearer: kid header of a signed assertion"},
	{Name: "assertion_alg", Description: "jwt_bearer: signing algorithm RS256 (default for RSA), PS256, ES256, ES384 or ES512"},
	{Name: "subject_token", Description: "token exchange subject token", Secret: true},
	{Name: "actor_token", Description: "token exchange actor token", Secret: true},
	{Name: "subject_token_type", Description: "token exchange subject token type (default urn:ietf:params:oauth:token-type:access_token)"},
	{Name: "actor_token_type", Description: "token exchange actor token type (default urn:ietf:params:oauth:token-type:access_token)"},
	{Name: "audience", Description: "token exchange audience"},
	{Name: "requested_token_type", Description: "token exchange requested token type"},
	{Name: "object_id", Description: "managed identity object id"},
	{Name: "msi_res_id", Description: "managed identity resource id"},
	{Name: "identity_endpoint", Description: "managed identity endpoint URL"},
	{Name: "identity_secret", Description: "App Service managed identity header (IDENTITY_HEADER or MSI_SECRET)", Secret: true},
	{Name: "imds_endpoint", Description: "IMDS managed identity token URL (default http://169.254.169.254/metadata/identity/oauth2/token)"},
	{Name: "managed_identity_source", Description: "managed identity endpoint kind: imds, app_service or app_service_2017"},
	{Name: "federated_token_source", Description: "workload identity assertion source: file, github or azure_pipelines"},
	{Name: "federated_token_audience", Description: "audience of a GitHub Actions federated token (default api://AzureADTokenExchange)"},
	{Name: "oidc_request_url", Description: "GitHub Actions or Azure Pipelines OIDC token request URL"},
	{Name: "oidc_request_token", Description: "bearer token for oidc_request_url", Secret: true},
	{Name: "service_connection_id", Description: "Azure Pipelines service connection id"},
	{Name: "az_path", Description: "Azure CLI executable (default: az on PATH)"},
	{Name: "subscription", Description: "Azure CLI subscription name or id"},
	{Name: "azure_config_dir", Description: "Azure CLI configuration directory (AZURE_CONFIG_DIR)"},
	{Name: "timeout", Description: "bound on the whole call, as a Go duration"},
}

// XPrefix starts keys that are always accepted without registration; they
// carry settings of third-party plugins.
const XPrefix = "x_"

var registry struct {
	sync.RWMutex
	keys map[string]KeySpec
}

// RegisterKey adds a provider-specific key so that configuration files and
// flags accept it. A built-in key of the same name wins; registering a
// name again replaces the earlier registration. It panics on a name that
// is not lowercase letters, digits and underscores starting with a letter,
// since that is a programming error. It is safe for concurrent use.
func RegisterKey(k KeySpec) {
	if !validKeyName(k.Name) {
		panic(fmt.Sprintf("config: RegisterKey: invalid key name %q", k.Name))
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.keys == nil {
		registry.keys = make(map[string]KeySpec)
	}
	registry.keys[k.Name] = k
}

// Lookup returns the spec of a built-in or registered key. Keys starting
// with XPrefix are not looked up; see Known.
func Lookup(name string) (KeySpec, bool) {
	if i, ok := builtinIndex()[name]; ok {
		return Keys[i], true
	}
	registry.RLock()
	defer registry.RUnlock()
	k, ok := registry.keys[name]
	return k, ok
}

// builtinIndex maps each built-in key's name to its first place in Keys,
// which is not changed once the program runs: parsing a file looks up
// every key it holds.
var builtinIndex = sync.OnceValue(func() map[string]int {
	index := make(map[string]int, len(Keys))
	for i, k := range Keys {
		if _, dup := index[k.Name]; !dup {
			index[k.Name] = i
		}
	}
	return index
})

// Known reports whether a profile may hold key: a built-in or registered
// key, or one starting with XPrefix.
func Known(name string) bool {
	if _, ok := Lookup(name); ok {
		return true
	}
	return strings.HasPrefix(name, XPrefix) && len(name) > len(XPrefix)
}

// IsSecret reports whether key holds a secret: a built-in or registered
// key marked Secret, or any other key named like a secret — ending in
// _secret, _password, _token or _key — as a third-party plugin's own keys
// are (see PluginKey). host.IsSecretKey follows the same naming rule, so
// the host resolves such a key's env:/file: reference before sending it.
func IsSecret(name string) bool {
	if k, ok := Lookup(name); ok {
		return k.Secret
	}
	return secretName(name)
}

// secretSuffixes end the names of keys that are secret by convention.
var secretSuffixes = []string{"_secret", "_password", "_token", "_key"}

// secretName reports whether name ends like a secret key's.
func secretName(name string) bool {
	for _, s := range secretSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// PluginKey reports whether name may be a key of a profile that names a
// plugin (one with a non-empty plugin key): any lowercase identifier —
// letters, digits and underscores, starting with a letter. keyfob cannot
// know a third-party provider's keys without starting its plugin, so such
// a profile accepts every well-formed key and hands it to the plugin,
// which reports the ones it misses; profiles of keyfob's own providers
// keep rejecting unknown keys.
func PluginKey(name string) bool { return validKeyName(name) }

// KeyNames returns every built-in and registered key name, sorted.
func KeyNames() []string {
	seen := make(map[string]bool, len(Keys))
	for _, k := range Keys {
		seen[k.Name] = true
	}
	registry.RLock()
	for name := range registry.keys {
		seen[name] = true
	}
	registry.RUnlock()
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// validKeyName reports whether name is a lowercase identifier.
func validKeyName(name string) bool {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
