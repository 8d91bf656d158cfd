package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// EnvironmentProfile is the profile used when none is selected or
// configured: provider "environment", which reads the AZURE_* variables.
const EnvironmentProfile = "environment"

// Source is where a key or profile was written. The zero Source means
// "not from a file" (a flag, or a built-in default).
type Source struct {
	// File is the configuration file's path.
	File string
	// Line and Column are 1-based; 0 when unknown.
	Line, Column int
}

// String renders "FILE:LINE", "FILE" when the line is unknown, or "" for
// the zero Source.
func (s Source) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return s.File
}

// Profile is one named set of keys in wire form (see the package doc).
// Its methods do not modify it; a Profile returned by File.Profile is the
// caller's to change.
type Profile struct {
	// Name is the profile's name, e.g. "graph".
	Name string
	// Values holds each key's value in wire form: a list is its JSON
	// array text, booleans and integers are their text, secrets are
	// literals or unresolved env:/file: references.
	Values map[string]string
	// Source is where the profile's table is first written.
	Source Source
	// Sources holds where each key of Values was written; keys that came
	// from elsewhere (flags) have no entry.
	Sources map[string]Source
}

// String returns the value of key, "" when absent.
func (p *Profile) String(key string) string { return p.Values[key] }

// List returns a list key's values (the JSON array text decoded).
func (p *Profile) List(key string) ([]string, error) { return decodeList(key, p.Values[key]) }

// Errorf returns a configuration error about key, prefixed with where the
// key was written ("config FILE:LINE: key "K": ...") or, for a key not
// from a file, with the profile's name.
func (p *Profile) Errorf(key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if src := p.Sources[key]; src.File != "" {
		return errdefs.Configf("config %s: key %q: %s", src, key, msg)
	}
	return errdefs.Configf("profile %q: key %q: %s", p.Name, key, msg)
}

// WithFlags returns a copy of p with flags laid over it (see Overlay);
// keys set by flags lose their file Source.
func (p *Profile) WithFlags(flags map[string][]string) (*Profile, error) {
	values, err := Overlay(p.Values, flags)
	if err != nil {
		return nil, err
	}
	q := p.clone()
	q.Values = values
	for key := range flags {
		if k, ok := KeyForFlag(key); ok {
			delete(q.Sources, k)
		}
	}
	return q, nil
}

// clone returns a deep copy of p.
func (p *Profile) clone() *Profile {
	q := *p
	q.Values = maps.Clone(p.Values)
	q.Sources = maps.Clone(p.Sources)
	if q.Values == nil {
		q.Values = map[string]string{}
	}
	if q.Sources == nil {
		q.Sources = map[string]Source{}
	}
	return &q
}

// environmentProfile is the profile used when "environment" is selected
// and the file does not define it.
func environmentProfile() *Profile {
	return &Profile{
		Name:    EnvironmentProfile,
		Values:  map[string]string{"provider": "environment"},
		Sources: map[string]Source{},
	}
}

// decodeList reads a list value in wire form: JSON array text, or for
// convenience a single string or a space- or comma-separated string.
func decodeList(key, v string) ([]string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			return nil, errdefs.Configf("key %s: not a list of strings: %v", key, err)
		}
		return out, nil
	}
	return strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }), nil
}
