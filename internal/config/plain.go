package config

import (
	"encoding/binary"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"
)

// plainParse is the first of Parse's two paths, for the shape nearly
// every configuration has. It reads the file
// once, line by line, checking every key and value as the general path
// would, but builds nothing but an index of the profiles: a profile's
// Values are built when File.Profile asks for it, host matching reads
// only the hosts keys (File.EachHosts), so a cache hit with ten thousand
// profiles costs little more than one with one. It reads natively
//
//   - blank lines, comments, and a key = value or [profiles.NAME] line
//     followed by spaces, tabs and a comment;
//   - bare keys; bare or quoted profile names without escapes;
//   - values that are strings without escapes, true, false, decimal
//     integers and one-line lists of such strings;
//
// and hands any other key = value line (quoted key, escapes, multi-line
// string or list, inline table) to go-toml's parser. It reports false
// for anything else, or anything the general path reports (a test and a
// fuzz target compare them), and Parse then takes the general path.
//
// text is the document, which the File keeps; data is nil or the same
// bytes, which go-toml's parser reads (else a copy is made when needed).
func plainParse(path, text string, data []byte) (*File, bool) {
	if len(text) > math.MaxInt32 {
		return nil, false
	}
	s := newPlainScan(path, text, data)
	s.index = &plainIndex{text: text}
	s.f = &File{Path: path, plain: s.index}
	s.cur = -1
	if !s.lines() || !s.endProfile(len(text)) || !s.index.indexNames() {
		return nil, false
	}
	return s.f, true
}

// indexNames maps the profiles' names to their places, reporting false
// when a name is written twice.
func (x *plainIndex) indexNames() bool {
	x.byName = make(map[string]int32, len(x.profiles))
	for i, p := range x.profiles {
		x.byName[p.name] = int32(i)
	}
	return len(x.byName) == len(x.profiles)
}

// plainIndex is what plainParse keeps of a file: its text and where each
// profile is written.
type plainIndex struct {
	text     string
	profiles []plainProfile
	byName   map[string]int32 // built by plainParse
	secrets  *secretsFound    // literalSecrets' answer, once known

	// Or, read from a snapshot: the profiles' records, and their indexes
	// in order of their names (see decodeSnapshot).
	records, order []byte
}

// count is the number of profiles.
func (x *plainIndex) count() int {
	if x.order != nil {
		return len(x.order) / 4
	}
	return len(x.profiles)
}

// profile is profile i.
func (x *plainIndex) profile(i int) plainProfile {
	if x.order == nil {
		return x.profiles[i]
	}
	var p plainProfile
	decodeProfile(&p, x.records[i*recordSize:], x.text, 0) // checked when read
	return p
}

// name is the name of profile i.
func (x *plainIndex) name(i int) string {
	if x.order == nil {
		return x.profiles[i].name
	}
	r := x.records[i*recordSize:]
	off := binary.LittleEndian.Uint32(r)
	return x.text[off : off+binary.LittleEndian.Uint32(r[4:])] // checked when read
}

// sortedAt is the index of the k-th profile in order of names, of an
// index read from a snapshot.
func (x *plainIndex) sortedAt(k int) int {
	return int(binary.LittleEndian.Uint32(x.order[k*4:]))
}

// lookup is the index of the profile name.
func (x *plainIndex) lookup(name string) (int32, bool) {
	if x.order == nil {
		i, ok := x.byName[name]
		return i, ok
	}
	k := sort.Search(x.count(), func(k int) bool { return x.name(x.sortedAt(k)) >= name })
	if k == x.count() || x.name(x.sortedAt(k)) != name {
		return 0, false
	}
	return int32(x.sortedAt(k)), true
}

// sortedNames fills names, of len x.count(), with the profiles' names in
// sorted order, of an index read from a snapshot.
func (x *plainIndex) sortedNames(names []string) []string {
	for k := range names {
		names[k] = x.name(x.sortedAt(k))
	}
	return names
}

// plainProfile is where one profile is written.
type plainProfile struct {
	name      string
	at, line  int32 // offset and line of the name in its header
	body, end int32 // its keys: from the end of the header to the next header
	hosts     int32 // offset of its hosts key, -1 when it has none
	keys      int32 // how many keys it has
	preset    bool  // it has a preset key
}

// plainScan is the state of a scan of a whole file (validating, f set) or
// of one profile's keys (building, f nil).
type plainScan struct {
	parser
	text  string // the document
	data  []byte // text[base:stop] (or nil until needed), for go-toml's parser
	base  int
	i     int // the next byte
	stop  int // where the scan ends
	toml  unstable.Parser
	known map[string]int // builtinIndex

	// Line counting: line is the number of lines before offset counted.
	line, counted int

	// Validating.
	f      *File
	index  *plainIndex
	top    []string  // top-level keys read
	cur    int       // the profile being read, -1 at the top level
	seen   [2]uint64 // its built-in keys, by index in Keys
	others []string  // its other keys
	order  []int     // the index in Keys of each of the last key in each place, -1 if none
	open   bool      // it names a plugin

	val plainValue // the value just read

	// Building.
	keys  []tableKey
	items []string // the current list's strings
}

// newPlainScan starts a scan of text (whose bytes data holds too).
func newPlainScan(path, text string, data []byte) *plainScan {
	return &plainScan{parser: parser{path: path}, text: text, data: data, stop: len(text), known: builtinIndex()}
}

// building reports whether the scan builds one profile's keys.
func (s *plainScan) building() bool { return s.f == nil }

// lines reads lines up to s.stop.
func (s *plainScan) lines() bool {
	t := s.text
	for s.i < s.stop {
		s.skipSpace()
		if s.i >= s.stop {
			return true
		}
		var ok bool
		switch c := t[s.i]; {
		case c == '\n' || c == '\r' || c == '#':
			ok = s.endLine()
		case c == '[':
			ok = s.header()
		default:
			ok = s.keyValue()
		}
		if !ok {
			return false
		}
	}
	return true
}

// skipSpace skips spaces and tabs.
func (s *plainScan) skipSpace() { s.i = spaceEnd(s.text, s.i) }

// endLine reads the end of a line: spaces, an optional comment and a
// newline, or the end of the document.
func (s *plainScan) endLine() bool {
	t := s.text
	if s.i = spaceEnd(t, s.i); s.i < len(t) && t[s.i] == '\n' {
		s.i++ // the common case
		return true
	}
	if s.i < len(t) && t[s.i] == '#' && !s.comment() {
		return false
	}
	switch {
	case s.i == len(t):
		return true
	case t[s.i] == '\n':
		s.i++
		return true
	case t[s.i] == '\r' && s.i+1 < len(t) && t[s.i+1] == '\n':
		s.i += 2
		return true
	}
	return false
}

// comment skips a comment up to its line's end: printable characters and
// tabs, as TOML allows.
func (s *plainScan) comment() bool {
	t := s.text
	end := strings.IndexByte(t[s.i:], '\n')
	if end < 0 {
		end = len(t)
	} else {
		end += s.i
	}
	if end > s.i && t[end-1] == '\r' {
		end--
	}
	stop, ok := plainRun(t[:end], s.i+1, 0)
	s.i = end
	return ok && stop == end
}

// header reads a [profiles.NAME] line and starts the profile.
func (s *plainScan) header() bool {
	const prefix = "[profiles."
	if s.building() || !s.endProfile(s.i) || !strings.HasPrefix(s.text[s.i:], prefix) {
		return false
	}
	s.i += len(prefix)
	at := s.i
	name, ok := s.name()
	if !ok || s.i >= len(s.text) || s.text[s.i] != ']' {
		return false
	}
	s.i++
	if !s.endLine() || strings.TrimSpace(name) == "" {
		return false
	}
	return s.startProfile(name, at)
}

// name reads a bare or quoted profile name.
func (s *plainScan) name() (string, bool) {
	if s.i >= len(s.text) {
		return "", false
	}
	if c := s.text[s.i]; c == '"' || c == '\'' {
		name, end, ok := quotedAt(s.text, s.i)
		s.i = end
		return name, ok
	}
	start := s.i
	for s.i < len(s.text) && bareKeyChar(s.text[s.i]) {
		s.i++
	}
	return s.text[start:s.i], s.i > start
}

// bareKeyChar reports whether c may be part of a bare key.
func bareKeyChar(c byte) bool { return bareKeyChars[c] }

// bareKeyChars holds bareKeyChar's answers.
var bareKeyChars = func() (set [256]bool) {
	for c := range set {
		b := byte(c)
		set[c] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '-'
	}
	return set
}()

// startProfile records the profile name whose header ends at s.i.
func (s *plainScan) startProfile(name string, at int) bool {
	s.cur = len(s.index.profiles)
	if s.cur == 1 {
		s.index.profiles = slices.Grow(s.index.profiles, len(s.text)/max(at-int(s.index.profiles[0].at), 64))
	}
	s.index.profiles = append(s.index.profiles, plainProfile{name: name, at: int32(at),
		line: int32(s.lineOf(at)), body: int32(s.i), hosts: -1})
	return true
}

// endProfile checks the keys of the profile being read, which ends at
// offset end: those not built in must be known, or any plugin key when
// it names a plugin.
func (s *plainScan) endProfile(end int) bool {
	if s.cur < 0 {
		return true
	}
	s.index.profiles[s.cur].end = int32(end)
	for _, k := range s.others {
		if !Known(k) && !(s.open && PluginKey(k)) {
			return false
		}
	}
	s.seen, s.others, s.open = [2]uint64{}, s.others[:0], false
	return true
}

// lineOf is the line (from 1) of offset off, which is not before any
// offset asked for before.
func (s *plainScan) lineOf(off int) int {
	s.line += strings.Count(s.text[s.counted:off], "\n")
	s.counted = off
	return s.line + 1
}

// at is where the key at offset off is written.
func (s *plainScan) at(off int) Source {
	col := off - strings.LastIndexByte(s.text[:off], '\n')
	return Source{File: s.path, Line: s.lineOf(off), Column: col}
}

// plainValue is a value as read: a string, a boolean, an integer, a list
// of strings (items), or another value go-toml's parser decoded.
type plainValue struct {
	kind byte // 's', 'b', 'i', 'l' or 'a'
	str  string
	b    bool
	n    int64
	v    any
}

// keyValue reads a key = value line.
func (s *plainScan) keyValue() bool {
	start := s.i
	key, at, ok := s.nativeKeyValue()
	if !ok {
		s.i = start
		key, at, ok = s.delegated()
	}
	return ok && s.endLine() && s.take(key, at)
}

// nativeKeyValue reads a bare key and a value of a form plainParse reads
// itself into s.val, reporting false for anything else.
func (s *plainScan) nativeKeyValue() (key string, at int, ok bool) {
	t, i := s.text, s.i
	at = i
	for i < len(t) && bareKeyChar(t[i]) {
		i++
	}
	key = t[at:i]
	i = spaceEnd(t, i)
	if key == "" || i >= len(t) || t[i] != '=' {
		return "", 0, false
	}
	s.i, ok = s.value(spaceEnd(t, i+1))
	return key, at, ok
}

// spaceEnd is where the spaces and tabs from t[i] end.
func spaceEnd(t string, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	return i
}

// value reads a value of a form plainParse reads itself, at i, into
// s.val (a list's strings into s.items), and returns where it ends.
func (s *plainScan) value(i int) (int, bool) {
	t, v := s.text, &s.val
	if i >= len(t) {
		return i, false
	}
	var ok bool
	switch t[i] {
	case '"', '\'':
		v.kind = 's'
		v.str, i, ok = quotedAt(t, i)
	case '[':
		v.kind = 'l'
		s.items, i, ok = listAt(t, i, s.items[:0])
	default:
		i, ok = wordAt(t, i, v)
	}
	return i, ok
}

// quotedAt reads the one-line basic string without escapes or the
// literal string at t[i], returning it and where it ends.
func quotedAt(t string, i int) (string, int, bool) {
	q := t[i]
	if i+2 < len(t) && t[i+1] == q && t[i+2] == q {
		return "", i, false // a multi-line string
	}
	end, ok := plainRun(t, i+1, q)
	if !ok || end >= len(t) || t[end] != q {
		return "", i, false
	}
	return t[i+1 : end], end + 1, true
}

// listAt reads the one-line list of strings at t[i], appending them to
// items.
func listAt(t string, i int, items []string) ([]string, int, bool) {
	for i = spaceEnd(t, i+1); i < len(t) && t[i] != ']'; i = spaceEnd(t, i) {
		if t[i] != '"' && t[i] != '\'' {
			return items, i, false
		}
		str, end, ok := quotedAt(t, i)
		if !ok {
			return items, i, false
		}
		items = append(items, str)
		if i = spaceEnd(t, end); i < len(t) && t[i] == ',' {
			i++
		} else if i >= len(t) || t[i] != ']' {
			return items, i, false
		}
	}
	return items, i + 1, i < len(t)
}

// wordAt reads true, false or the decimal integer at t[i] into v; the
// value must end there.
func wordAt(t string, i int, v *plainValue) (int, bool) {
	start := i
	for i < len(t) && wordChar(t[i]) {
		i++
	}
	w := t[start:i]
	if i < len(t) && t[i] != ' ' && t[i] != '\t' && t[i] != '#' && t[i] != '\r' && t[i] != '\n' {
		return i, false
	}
	switch w {
	case "true", "false":
		v.kind, v.b = 'b', w == "true"
		return i, true
	}
	n, err := decimal(w)
	v.kind, v.n = 'i', n
	return i, err == nil
}

// wordChar reports whether c may be part of a word value.
func wordChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '+' || c == '-'
}

// plainRun returns where the run of text that may be in a string quoted
// by q (or in a comment, for q 0) ends, at i or after: at q, a line's
// end, a control character, a backslash in a basic string or the end of
// t. It reports false for invalid UTF-8. Plain ASCII is skipped eight
// bytes at a time.
func plainRun(t string, i int, q byte) (int, bool) {
	for {
		for i+8 <= len(t) && !special(load64(t, i), q) {
			i += 8
		}
		if i >= len(t) {
			return i, true
		}
		switch c := t[i]; {
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(t[i:])
			if r == utf8.RuneError && size == 1 {
				return i, false
			}
			i += size
		case c == q || (c < 0x20 && c != '\t') || c == 0x7f || (c == '\\' && q == '"'):
			return i, true
		default:
			i++
		}
	}
}

// Eight bytes at a time, as go-toml's parser scans them.
const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// load64 is the eight bytes of t at i, little-endian.
func load64(t string, i int) uint64 {
	t = t[i : i+8]
	return uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
		uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
}

// special reports whether any byte of x may end a plain run: one below
// 0x20 or from 0x7f up, a backslash or q. It may report true for a word
// without one, never false for one with one: subtracting 0x20 from or
// adding 1 to each byte sets its high bit, or borrows or carries into
// the next, only for a byte that is itself special.
func special(x uint64, q byte) bool {
	return ((x-0x20*lsb)|(x+lsb))&msb|equal(x, '\\')|equal(x, uint64(q)) != 0
}

// equal is non-zero when a byte of x (all below 0x80) is c.
func equal(x, c uint64) uint64 {
	y := x ^ (c * lsb)
	return (y - lsb) & ^y & msb
}

// delegated reads a key = value line with go-toml's parser, leaving s.i
// after the value.
func (s *plainScan) delegated() (key string, at int, ok bool) {
	if s.data == nil {
		s.data = []byte(s.text[s.base:s.stop])
	}
	s.toml.Reset(s.data[s.i-s.base : s.stop-s.base])
	if !s.toml.NextExpression() {
		return "", 0, false
	}
	e := s.toml.Expression()
	if e.Kind != unstable.KeyValue {
		return "", 0, false
	}
	k := e.Key()
	k.Next()
	n := k.Node()
	value, err := scalarOrArray(e.Value())
	if k.Next() || err != nil {
		return "", 0, false
	}
	at = s.i + int(n.Raw.Offset)
	s.i += int(e.Raw.Offset + e.Raw.Length)
	s.val.kind, s.val.v = 'a', value
	return keyName(n.Data), at, true
}

// take checks or keeps the key key, written at offset at, with value v.
func (s *plainScan) take(key string, at int) bool {
	switch {
	case s.building():
		s.keys = append(s.keys, tableKey{name: keyString(key), value: s.val.any(s.items), src: s.at(at)})
		return true
	case s.cur < 0:
		return s.topLevel(key, at, &s.val)
	}
	return s.profileKey(key, at, &s.val)
}

// any is the value as go-toml decodes it; items are a list's strings.
func (v *plainValue) any(items []string) any {
	switch v.kind {
	case 's':
		return v.str
	case 'b':
		return v.b
	case 'i':
		return v.n
	case 'l':
		list := make([]any, len(items))
		for i, s := range items {
			list[i] = s
		}
		return list
	}
	return v.v
}

// topLevel takes default_profile or an ignored x_ key.
func (s *plainScan) topLevel(key string, at int, v *plainValue) bool {
	for _, k := range s.top {
		if k == key {
			return false
		}
	}
	s.top = append(s.top, key)
	if key != keyDefaultProfile {
		return strings.HasPrefix(key, XPrefix)
	}
	str, ok := v.str, v.kind == 's'
	if v.kind == 'a' {
		str, ok = v.v.(string)
	}
	s.f.DefaultProfile, s.f.DefaultSource = str, s.at(at)
	return ok
}

// profileKey checks a key of the current profile and its value, as
// valueAt would take them, and notes what EachHosts needs.
func (s *plainScan) profileKey(key string, at int, v *plainValue) bool {
	spec, ok := s.firstTime(key)
	if !ok || !plainValid(key, spec, v) {
		return false
	}
	p := &s.index.profiles[s.cur]
	p.keys++
	switch key {
	case "plugin":
		str, isString := v.str, v.kind == 's'
		if v.kind == 'a' {
			str, isString = v.v.(string)
		}
		s.open = s.open || (isString && strings.TrimSpace(str) != "")
	case "hosts":
		p.hosts = int32(at)
	case "preset":
		p.preset = true
	}
	return true
}

// maxOtherKeys bounds the keys of a profile that are not built in (x_
// and plugin keys) plainParse reads; a profile of more goes to the
// general path.
const maxOtherKeys = 32

// firstTime looks key up (a nil spec for a key Lookup does not know),
// reporting false when the current profile already has it.
func (s *plainScan) firstTime(key string) (*KeySpec, bool) {
	if i, builtin := s.builtin(key); builtin && i < 128 {
		bit := uint64(1) << (i % 64)
		if s.seen[i/64]&bit != 0 {
			return nil, false
		}
		s.seen[i/64] |= bit
		return &Keys[i], true
	}
	for _, k := range s.others {
		if k == key {
			return nil, false
		}
	}
	s.others = append(s.others, key)
	spec, known := Lookup(key)
	if !known {
		return nil, len(s.others) <= maxOtherKeys
	}
	return &spec, len(s.others) <= maxOtherKeys
}

// builtin looks key up in builtinIndex, trying first the built-in key
// the previous profile had in the same place: profiles written by a
// program repeat their keys in one order.
func (s *plainScan) builtin(key string) (int, bool) {
	n := int(s.index.profiles[s.cur].keys)
	if n < len(s.order) && s.order[n] >= 0 && Keys[s.order[n]].Name == key {
		return s.order[n], true
	}
	i, ok := s.known[key]
	if !ok {
		i = -1
	}
	if n < len(s.order) {
		s.order[n] = i
	} else if n == len(s.order) {
		s.order = append(s.order, i)
	}
	return i, ok
}

// plainValid reports whether wireValue accepts v for key, whose spec is
// nil when Lookup does not know it.
func plainValid(key string, spec *KeySpec, v *plainValue) bool {
	switch {
	case v.kind == 'a':
		_, err := wireValue(key, v.v)
		return err == nil
	case spec == nil:
		return true // a list, or a scalar
	case spec.List:
		return v.kind == 's' || v.kind == 'l'
	case spec.Bool:
		return v.kind == 'b' || (v.kind == 's' && validBool(v.str))
	case key == durationKey:
		return validDuration(v)
	}
	return v.kind != 'l'
}

// validBool reports whether strconv.ParseBool accepts s.
func validBool(s string) bool {
	_, err := strconv.ParseBool(s)
	return err == nil
}

// validDuration reports whether durationValue accepts v.
func validDuration(v *plainValue) bool {
	switch v.kind {
	case 's':
		_, err := durationValue(v.str)
		return err == nil
	case 'i':
		return v.n > 0 && v.n <= 1<<32-1
	}
	return false
}

// tableKey is one key of a profile table, as read.
type tableKey struct {
	name  string
	value any
	src   Source
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

// fill checks keys, read from prof's table in order, and stores them in
// prof as the general path does; false on a key written twice or any
// key or value the general path reports.
func (p *parser) fill(prof *Profile, keys []tableKey) bool {
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

// build builds profile i.
func (x *plainIndex) build(path string, i int) (*Profile, bool) {
	pp := x.profile(i)
	s := newPlainScan(path, x.text, nil)
	s.i, s.stop, s.base = int(pp.body), int(pp.end), int(pp.body)
	s.line, s.counted = int(pp.line)-1, int(pp.at)
	s.keys = make([]tableKey, 0, pp.keys)
	prof := &Profile{Name: pp.name, Source: Source{File: path, Line: int(pp.line), Column: s.at(int(pp.at)).Column}}
	if !s.lines() || !s.fill(prof, s.keys) {
		return nil, false
	}
	return prof, true
}

// eachHosts is File.EachHosts: it reads each hosts key where plainParse
// found it.
func (x *plainIndex) eachHosts(path string, fn func(ProfileHosts)) {
	s := newPlainScan(path, x.text, nil)
	for i := range x.count() {
		pp := x.profile(i)
		h := ProfileHosts{Name: pp.name, Written: pp.hosts >= 0, Preset: pp.preset}
		if h.Written {
			h.Hosts = s.hosts(pp)
		}
		fn(h)
	}
}

// hosts reads the hosts key of pp as a list.
func (s *plainScan) hosts(pp plainProfile) []string {
	s.i, s.stop, s.base, s.data = int(pp.hosts), int(pp.end), int(pp.body), nil
	if _, _, ok := s.nativeKeyValue(); !ok {
		s.i = int(pp.hosts)
		s.delegated()
	}
	v := &s.val
	switch v.kind {
	case 's':
		return append(s.items[:0], v.str)
	case 'l':
		return s.items
	}
	wire, _ := wireValue("hosts", v.v)
	list, _ := decodeList("hosts", wire)
	return list
}
