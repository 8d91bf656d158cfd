package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/keyfob/keyfob/host/keyspec"
)

// KeySpec describes one profile key: keyspec.Key, for the built-in keys
// and those RegisterKey adds. A Secret key takes only an env:/file:
// reference on the command line, and a literal value in a file readable
// by others draws a warning.
type KeySpec = keyspec.Key

// Keys is the table of built-in profile keys (CONTRACT §4), sorted by
// name: keyspec's host keys and every key of a built-in provider, as
// generated from the registry. Keys starting with XPrefix need no entry.
var Keys = buildKeys(keyspec.Host, keyspec.Builtin)

// buildKeys merges the host keys with the providers' keys, sorted by name.
func buildKeys(host, providers []keyspec.Key) []KeySpec {
	keys := slices.Concat(host, providers)
	slices.SortStableFunc(keys, func(a, b KeySpec) int { return strings.Compare(a.Name, b.Name) })
	return keys
}

// XPrefix starts keys that are always accepted without registration; they
// carry settings of third-party plugins.
const XPrefix = "x_"

var registry struct {
	sync.RWMutex
	keys map[string]KeySpec
}

// RegisterKey adds a key so that configuration files and flags accept it.
// A built-in key of the same name wins; registering a name again replaces
// the earlier registration. It panics on a name that is not lowercase
// letters, digits and underscores starting with a letter, and on a key
// whose Secret differs from what its name says (keyspec.SecretName: the
// one classifier could not know it), since those are programming errors.
// It is safe for concurrent use.
func RegisterKey(k KeySpec) {
	if !validKeyName(k.Name) {
		panic(fmt.Sprintf("config: RegisterKey: invalid key name %q", k.Name))
	}
	if k.Secret != keyspec.SecretName(k.Name) {
		panic(fmt.Sprintf("config: RegisterKey: key %q: Secret %v, but its name says %v", k.Name, k.Secret, !k.Secret))
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

// IsSecret reports whether key holds a secret. It is keyspec.IsSecret,
// keyfob's one classifier, which the host and the cache keys use too: a
// built-in provider's key is secret when its ProviderInfo says so, any
// other key when it is named like a secret (ending in _secret, _password,
// _token or _key), as a third-party plugin's own keys are (see
// PluginKey).
func IsSecret(name string) bool { return keyspec.IsSecret(name) }

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
