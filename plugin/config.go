package plugin

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/keyfob/keyfob/plugin/errdefs"
	"github.com/keyfob/keyfob/plugin/secretref"
)

// Config is a profile's keys as they cross the wire: a string per key, a
// list as its JSON array text, a secret as a literal or an "env:NAME" /
// "file:PATH" reference. A nil Config is empty.
type Config map[string]string

// String returns the value of key, or "" when absent. It does not resolve
// references; use Secret for secret-valued keys.
func (c Config) String(key string) string { return c[key] }

// Has reports whether key is set to a non-empty value.
func (c Config) Has(key string) bool { return c[key] != "" }

// List returns a list value. It accepts JSON array text and, for
// convenience, a single string or a space- or comma-separated string.
func (c Config) List(key string) ([]string, error) {
	v := strings.TrimSpace(c[key])
	if v == "" {
		return nil, nil
	}
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			return nil, Configf("key %s: not a list of strings: %v", key, err)
		}
		return out, nil
	}
	return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }), nil
}

// Secret resolves a secret-valued key (see ResolveSecret). An absent key
// gives the zero Secret and no error.
func (c Config) Secret(key string) (Secret, error) {
	v, ok := c[key]
	if !ok || v == "" {
		return Secret{}, nil
	}
	s, err := ResolveSecret(v)
	if err != nil {
		return Secret{}, Configf("key %s: %v", key, err)
	}
	return s, nil
}

// Require returns a configuration error naming the first key that is absent.
func (c Config) Require(keys ...string) error {
	for _, k := range keys {
		if !c.Has(k) {
			return Configf("key %s is required", k)
		}
	}
	return nil
}

// IsReference reports whether v is an "env:" or "file:" reference.
func IsReference(v string) bool { return errdefs.IsReference(v) }

// ResolveSecret resolves a secret value: "env:NAME" reads the environment
// variable NAME (which must be set and non-empty), "file:PATH" reads the file
// (a leading "~/" is the home directory; one trailing newline is dropped),
// anything else is the literal value. Errors name the variable or file,
// never the value.
func ResolveSecret(v string) (Secret, error) { return ResolveSecretWith(v, os.LookupEnv) }

// ResolveSecretWith is ResolveSecret reading the environment through
// lookup (os.LookupEnv when nil).
func ResolveSecretWith(v string, lookup func(string) (string, bool)) (Secret, error) {
	s, err := secretref.Read(v, lookup)
	if err != nil {
		return Secret{}, Configf("%v", err)
	}
	return NewSecret(s), nil
}

// ExpandHome replaces a leading "~/" with the user's home directory.
func ExpandHome(p string) string { return errdefs.ExpandHome(p) }
