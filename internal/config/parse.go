package config

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/keyfob/keyfob/plugin/errdefs"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// Top-level keys of the file.
const (
	keyDefaultProfile = "default_profile"
	keyProfiles       = "profiles"
)

var topLevelKeys = []string{keyDefaultProfile, keyProfiles}

// Parse parses data as the configuration file at path; path is used only
// in error messages and Sources. Errors are as for Load.
func Parse(path string, data []byte) (*File, error) {
	return parseText(path, string(data), data)
}

// parseText is Parse, Load and LoadIndexed's parse of the document text
// of the file at path: plainParse, else the general path. data is nil or
// the same bytes as text (else a copy is made when needed).
func parseText(path, text string, data []byte) (*File, error) {
	if f, ok := plainParse(path, text, data); ok {
		return f, nil
	}
	if data == nil {
		data = []byte(text)
	}
	return parseGeneral(path, data)
}

// parseGeneral is Parse for any document: decoded by the fast decoder or
// go-toml, then checked key by key in the order they are written.
func parseGeneral(path string, data []byte) (*File, error) {
	doc, pos := scan(data)
	if doc == nil {
		var err error
		if doc, err = decode(path, data); err != nil {
			return nil, err
		}
	}
	p := &parser{path: path, pos: pos}
	return p.file(doc)
}

// decode parses the TOML document with go-toml's decoder, turning its
// errors into one-line configuration errors with the line and column: the
// reference for every document the fast decoder (see scan) leaves to it.
func decode(path string, data []byte) (map[string]any, error) {
	var doc map[string]any
	err := toml.Unmarshal(data, &doc)
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return nil, errdefs.Configf("config %s:%d:%d: %s", path, line, col, tomlMessage(de))
	}
	if err != nil {
		return nil, errdefs.Configf("config %s: %s", path, tomlMessage(err))
	}
	return doc, nil
}

// tomlMessage is go-toml's message without its "toml: " prefix, with any
// unprintable character (a key may hold one) escaped, so it stays on one
// line and cannot drive a terminal.
func tomlMessage(err error) string {
	return printable(strings.TrimPrefix(err.Error(), "toml: "))
}

// printable escapes the runes of s that unicode.IsPrint rejects.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// parser turns a decoded document into a File.
type parser struct {
	path string
	pos  *positions
}

// src is where the key path was written.
func (p *parser) src(path ...string) Source {
	at := p.pos.lookup(path...)
	return Source{File: p.path, Line: at.Line, Column: at.Column}
}

// errorf returns a configuration error prefixed with "config FILE:LINE: ".
func (p *parser) errorf(src Source, format string, args ...any) error {
	return errdefs.Configf("config %s: %s", src, fmt.Sprintf(format, args...))
}

// file checks the top-level keys and builds the File.
func (p *parser) file(doc map[string]any) (*File, error) {
	f := &File{Path: p.path, profiles: map[string]*Profile{}}
	for _, key := range p.sortedKeys(doc) {
		if err := p.topLevel(f, key, doc[key]); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// topLevel handles one top-level key.
func (p *parser) topLevel(f *File, key string, v any) error {
	src := p.src(key)
	switch key {
	case keyDefaultProfile:
		s, ok := v.(string)
		if !ok {
			return p.errorf(src, "key %q: want a string", key)
		}
		f.DefaultProfile, f.DefaultSource = s, src
		return nil
	case keyProfiles:
		return p.profiles(f, v)
	}
	if strings.HasPrefix(key, XPrefix) {
		return nil // reserved for extensions; ignored
	}
	if Known(key) {
		return p.errorf(src, "key %q belongs in a profile table such as [profiles.NAME]", key)
	}
	return p.errorf(src, "unknown top-level key %q%s", key, didYouMean(key, topLevelKeys))
}

// profiles handles the profiles table.
func (p *parser) profiles(f *File, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return p.errorf(p.src(keyProfiles), "key %q: want tables such as [profiles.NAME]", keyProfiles)
	}
	for _, name := range p.sortedKeys(m, keyProfiles) {
		prof, err := p.profile(name, m[name])
		if err != nil {
			return err
		}
		f.profiles[name] = prof
	}
	return nil
}

// profile builds one profile from its table.
func (p *parser) profile(name string, v any) (*Profile, error) {
	src := p.src(keyProfiles, name)
	m, ok := v.(map[string]any)
	if !ok {
		return nil, p.errorf(src, "profile %q: want a table [profiles.%s]", name, tomlKey(name))
	}
	if strings.TrimSpace(name) == "" {
		return nil, p.errorf(src, "profile name %q: want a non-empty name", name)
	}
	prof := &Profile{Name: name, Source: src, Values: map[string]string{}, Sources: map[string]Source{}}
	open := namesPlugin(m)
	for _, key := range p.sortedKeys(m, keyProfiles, name) {
		if err := p.value(prof, key, m[key], open); err != nil {
			return nil, err
		}
	}
	return prof, nil
}

// namesPlugin reports whether a profile's table sets plugin, which opens
// it to the plugin's own keys (see PluginKey).
func namesPlugin(m map[string]any) bool {
	s, ok := m["plugin"].(string)
	return ok && strings.TrimSpace(s) != ""
}

// value checks and converts one key of a profile; open accepts any
// PluginKey too.
func (p *parser) value(prof *Profile, key string, v any, open bool) error {
	return p.valueAt(prof, key, v, open, p.src(keyProfiles, prof.Name, key))
}

// valueAt is value for a key written at src.
func (p *parser) valueAt(prof *Profile, key string, v any, open bool, src Source) error {
	if !Known(key) && !(open && PluginKey(key)) {
		return p.errorf(src, "unknown key %q in profile %q%s", key, prof.Name, didYouMean(key, KeyNames()))
	}
	s, err := wireValue(key, v)
	if err != nil {
		return p.errorf(src, "key %q: %v", key, err)
	}
	prof.Values[key], prof.Sources[key] = s, src
	return nil
}

// sortedKeys returns m's keys in the order they are written in the file,
// so the first error reported is the first in the file. Each key's
// position is looked up once, not on every comparison.
func (p *parser) sortedKeys(m map[string]any, prefix ...string) []string {
	table := p.pos.node(prefix...)
	type placed struct {
		key string
		at  unstable.Position
	}
	list := make([]placed, 0, len(m))
	for key := range m {
		list = append(list, placed{key, order(table, key)})
	}
	slices.SortFunc(list, func(a, b placed) int {
		return cmp.Or(cmp.Compare(a.at.Line, b.at.Line), cmp.Compare(a.at.Column, b.at.Column), strings.Compare(a.key, b.key))
	})
	keys := make([]string, len(list))
	for i, e := range list {
		keys[i] = e.key
	}
	return keys
}

// order is the position of key in table, keys of unknown position last.
func order(table *positions, key string) unstable.Position {
	at := table.lookup(key)
	if at.Line == 0 {
		at.Line = math.MaxInt
	}
	return at
}

// tomlKey renders name as a TOML key: bare when it can be, else quoted.
func tomlKey(name string) string {
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && r != '_' && r != '-' {
			return fmt.Sprintf("%q", name)
		}
	}
	if name == "" {
		return `""`
	}
	return name
}
