package host

import (
	"github.com/keyfob/keyfob/host/keyspec"
	"github.com/keyfob/keyfob/plugin"
)

// ResolveConfig returns a copy of cfg in which the env:/file: reference of
// every secret key, and of every key named like one (keyspec.ResolvedByHost),
// is replaced by its value, so the plugin needs no access to the host's
// environment or files. Errors name the key and the
// variable or file, never a value.
func ResolveConfig(cfg map[string]string) (map[string]string, error) {
	return ResolveConfigWith(cfg, nil)
}

// ResolveConfigWith is ResolveConfig reading the environment through
// lookup (os.LookupEnv when nil).
func ResolveConfigWith(cfg map[string]string, lookup func(string) (string, bool)) (map[string]string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		if keyspec.ResolvedByHost(k) && plugin.IsReference(v) {
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
