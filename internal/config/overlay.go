package config

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// flagAliases are flag spellings that differ from their key's: CONTRACT §5
// names the repeatable flag --scope.
var flagAliases = map[string]string{
	"scope": "scopes",
	"host":  "hosts",
}

// FlagName returns the command-line flag for a key, without its leading
// dashes: underscores become dashes ("client_id" → "client-id").
func FlagName(key string) string { return strings.ReplaceAll(key, "_", "-") }

// KeyForFlag returns the key a flag sets: leading dashes are dropped and
// dashes become underscores ("--client-id" → "client_id"); "scope" and
// "host" are the lists "scopes" and "hosts". It reports false for a flag
// that names no known key (see Known).
func KeyForFlag(flag string) (string, bool) {
	key := strings.ReplaceAll(strings.TrimLeft(flag, "-"), "-", "_")
	if alias, ok := flagAliases[key]; ok {
		key = alias
	}
	return key, Known(key)
}

// Overlay lays flag values over a profile's wire-form values and returns
// the result; base is not modified. flags is keyed by key name (flag names
// are accepted too). The last of several values wins, except for list
// keys, whose values (each split at whitespace) make up the list. An empty
// value removes the key. A secret-valued key takes only an env:/file:
// reference; a literal is refused without echoing it.
func Overlay(base map[string]string, flags map[string][]string) (map[string]string, error) {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	for _, name := range slices.Sorted(maps.Keys(flags)) {
		key, ok := KeyForFlag(name)
		if !ok {
			return nil, errdefs.Configf("unknown flag --%s%s", FlagName(name), didYouMean(FlagName(name), flagNames()))
		}
		vals := flags[name]
		if len(vals) == 0 {
			continue
		}
		v, err := flagValue(key, vals)
		if err != nil {
			return nil, err
		}
		setOrDelete(out, key, v)
	}
	return out, nil
}

// flagValue converts a flag's values for key to wire form.
func flagValue(key string, vals []string) (string, error) {
	spec, _ := Lookup(key)
	last := vals[len(vals)-1]
	switch {
	case spec.Secret:
		return secretFlag(key, last)
	case spec.List:
		return listFlag(vals), nil
	case spec.Bool:
		return boolFlag(key, last)
	}
	return last, nil
}

// secretFlag refuses a literal secret on the command line.
func secretFlag(key, v string) (string, error) {
	if v != "" && !errdefs.IsReference(v) {
		return "", errdefs.Configf("--%s takes a reference (env:NAME or file:PATH), not the secret itself", FlagName(key))
	}
	return v, nil
}

// listFlag joins repeated values, each split at whitespace, into JSON
// array text; no words at all gives "".
func listFlag(vals []string) string {
	var list []string
	for _, v := range vals {
		list = append(list, strings.Fields(v)...)
	}
	if len(list) == 0 {
		return ""
	}
	return jsonList(list)
}

// boolFlag normalizes a boolean flag value.
func boolFlag(key, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return "", errdefs.Configf("--%s: want true or false, got %q", FlagName(key), v)
	}
	return strconv.FormatBool(b), nil
}

// setOrDelete sets m[key] to v, or deletes it when v is empty.
func setOrDelete(m map[string]string, key, v string) {
	if v == "" {
		delete(m, key)
		return
	}
	m[key] = v
}

// flagNames returns the flag name of every known key.
func flagNames() []string {
	keys := KeyNames()
	for i, k := range keys {
		keys[i] = FlagName(k)
	}
	return keys
}
