package config

import (
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// quickParse builds the File straight from the parser's expressions when
// the file has the plain shape nearly every configuration has: top-level
// default_profile and x_ keys, then [profiles.NAME] tables of simple keys
// whose values are strings, booleans, decimal integers or lists. It runs
// on every cache hit, so it skips the intermediate document, the position
// table and the sorting of the general path. It reports false for
// anything else — another shape, a key or profile written twice, any
// error — and Parse then takes the general path, which gives the same
// File for what quickParse accepts (a test and a fuzz target compare
// them) and reports the errors.
func quickParse(path string, data []byte) (*File, bool) {
	q := &quick{parser: parser{path: path}, lines: newLineIndex(data),
		f: &File{Path: path, profiles: map[string]*Profile{}}, seen: map[string]bool{}}
	q.p.Reset(data)
	for q.p.NextExpression() {
		if !q.expression(q.p.Expression()) {
			return nil, false
		}
	}
	if q.p.Error() != nil || !q.endProfile() {
		return nil, false
	}
	return q.f, true
}

// quick is quickParse's state.
type quick struct {
	parser
	p     unstable.Parser
	lines lineIndex
	f     *File
	seen  map[string]bool // top-level keys
	prof  *Profile        // the table being read, nil at the top level
	keys  []quickKey      // its keys, checked when it ends
}

// quickKey is one key of a profile table.
type quickKey struct {
	name  string
	value any
	src   Source
}

// expression takes one expression.
func (q *quick) expression(e *unstable.Node) bool {
	switch e.Kind {
	case unstable.Table:
		return q.endProfile() && q.header(e.Key())
	case unstable.KeyValue:
		return q.keyValue(e)
	}
	return false
}

// header starts the profile of a [profiles.NAME] header.
func (q *quick) header(key unstable.Iterator) bool {
	if !key.Next() || string(key.Node().Data) != keyProfiles || !key.Next() {
		return false
	}
	n := key.Node()
	name := string(n.Data)
	if key.Next() || strings.TrimSpace(name) == "" || q.f.profiles[name] != nil {
		return false
	}
	q.prof = &Profile{Name: name, Source: q.at(n)}
	q.f.profiles[name] = q.prof
	return true
}

// keyName is the key b as a string, the built-in key's own string when
// it is one, so that ten thousand profiles share their keys' names.
func keyName(b []byte) string {
	if i, ok := builtinIndex()[string(b)]; ok {
		return Keys[i].Name
	}
	return string(b)
}

// keyString is keyName for a string key.
func keyString(key string) string {
	if i, ok := builtinIndex()[key]; ok {
		return Keys[i].Name
	}
	return key
}

// keyValue takes a key of the top level or of the current profile.
func (q *quick) keyValue(e *unstable.Node) bool {
	key := e.Key()
	key.Next()
	n := key.Node()
	name := keyName(n.Data)
	v, err := scalarOrArray(e.Value())
	if key.Next() || err != nil {
		return false
	}
	if q.prof != nil {
		q.keys = append(q.keys, quickKey{name: name, value: v, src: q.at(n)})
		return true
	}
	return q.topLevel(name, v, q.at(n))
}

// topLevel takes default_profile or an ignored x_ key.
func (q *quick) topLevel(name string, v any, src Source) bool {
	if q.seen[name] {
		return false
	}
	q.seen[name] = true
	if name == keyDefaultProfile {
		s, ok := v.(string)
		q.f.DefaultProfile, q.f.DefaultSource = s, src
		return ok
	}
	return strings.HasPrefix(name, XPrefix)
}

// endProfile checks and stores the current profile's keys.
func (q *quick) endProfile() bool {
	if q.prof == nil {
		return true
	}
	ok := q.fill(q.prof, q.keys)
	q.prof, q.keys = nil, q.keys[:0]
	return ok
}

// fill checks keys, read from prof's table in order, and stores them in
// prof as the general path does; false on a key written twice or any
// key or value the general path reports.
func (p *parser) fill(prof *Profile, keys []quickKey) bool {
	prof.Values = make(map[string]string, len(keys))
	prof.Sources = make(map[string]Source, len(keys))
	open := false
	for _, k := range keys {
		if s, ok := k.value.(string); ok && k.name == "plugin" && strings.TrimSpace(s) != "" {
			open = true
		}
	}
	for _, k := range keys {
		if _, dup := prof.Values[k.name]; dup || p.valueAt(prof, k.name, k.value, open, k.src) != nil {
			return false
		}
	}
	return true
}

// at is where the key part n is written.
func (q *quick) at(n *unstable.Node) Source {
	pos := q.lines.position(int(n.Raw.Offset))
	return Source{File: q.path, Line: pos.Line, Column: pos.Column}
}
