package delegated

import (
	"strconv"

	"github.com/keyfob/keyfob/plugin"
)

// Configuration keys every delegated provider reads.
const (
	// KeyOIDCScopes ("true" by default) adds OIDCScopes to the request.
	KeyOIDCScopes = "oidc_scopes"
	// KeyLoginHint is the user name to pre-fill; it also labels the account
	// when the ID token names none.
	KeyLoginHint = "login_hint"
)

// Keys describes the keys of this package, for plugin.ProviderInfo.
func Keys() []plugin.KeyInfo {
	return []plugin.KeyInfo{
		{Name: KeyOIDCScopes, Bool: true, Description: `add "offline_access openid profile" to the scopes (default true)`},
		{Name: KeyLoginHint, Description: "user name to pre-fill at sign-in"},
	}
}

// Bool reads a boolean key: absent or empty gives def, anything
// strconv.ParseBool refuses is a configuration error.
func Bool(cfg plugin.Config, key string, def bool) (bool, error) {
	v := cfg.String(key)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, plugin.Configf("key %s: %q is not true or false", key, v)
	}
	return b, nil
}
