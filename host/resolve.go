package host

import (
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// secretKeys are the configuration keys whose values are secrets.
var secretKeys = map[string]bool{
	"client_secret": true, "password": true, "client_certificate_password": true,
	"refresh_token": true, "assertion": true, "subject_token": true, "actor_token": true,
}

// IsSecretKey reports whether a configuration key holds a secret: the
// normative secret keys and any key ending in _secret, _password, _token
// or _key, which is how a third-party provider's secret keys (such as
// github_app_private_key) are recognised without asking its plugin.
func IsSecretKey(key string) bool {
	return secretKeys[key] || strings.HasSuffix(key, "_secret") ||
		strings.HasSuffix(key, "_password") || strings.HasSuffix(key, "_token") ||
		strings.HasSuffix(key, "_key")
}

// ResolveConfig returns a copy of cfg in which every secret-valued key's
// env:/file: reference is replaced by its value, so the plugin needs no
// access to the host's environment or files. Errors name the key and the
// variable or file, never a value.
func ResolveConfig(cfg map[string]string) (map[string]string, error) {
	return ResolveConfigWith(cfg, nil)
}

// ResolveConfigWith is ResolveConfig reading the environment through
// lookup (os.LookupEnv when nil).
func ResolveConfigWith(cfg map[string]string, lookup func(string) (string, bool)) (map[string]string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		if IsSecretKey(k) && plugin.IsReference(v) {
			s, err := plugin.ResolveSecretWith(v, lookup)
			if err != nil {
				return nil, plugin.Configf("key %s: %v", k, err)
			}
			v = s.Reveal()
		}
		out[k] = v
	}
	return out, nil
}
