package config

import (
	"bytes"
	"sort"

	"github.com/pelletier/go-toml/v2/unstable"
)

// positions records where each key path is first written in the
// document: a table header, a key of a key/value (dotted or not) or a key
// inside an inline table. It is a tree with one node per key path.
type positions struct {
	at   unstable.Position
	kids map[string]*positions
}

// lookup returns the position of path, the zero Position when unknown.
func (p *positions) lookup(path ...string) unstable.Position {
	if p = p.node(path...); p == nil {
		return unstable.Position{}
	}
	return p.at
}

// node returns the node of path, nil when unknown (a nil *positions
// knows no key).
func (p *positions) node(path ...string) *positions {
	for _, part := range path {
		if p == nil {
			return nil
		}
		p = p.kids[part]
	}
	return p
}

// child returns the node of key below p, recording it at the position at
// when it is new.
func (p *positions) child(key string, at func() unstable.Position) *positions {
	if c := p.kids[key]; c != nil {
		return c
	}
	if p.kids == nil {
		p.kids = map[string]*positions{}
	}
	c := &positions{at: at()}
	p.kids[key] = c
	return c
}

// scan walks the document's expressions once: it records where each key
// path first appears and builds the document with the fast decoder. doc
// is nil when the fast decoder leaves the document to go-toml, or on a
// parse error, which also ends the scan early. It takes time linear in
// the document's size (times the log of its line count): positions come
// from a table of line starts, not from unstable.Parser.Shape, which
// counts lines from the start of the document on every call.
func scan(data []byte) (doc map[string]any, pos *positions) {
	s := &scanner{pos: &positions{}, lines: newLineIndex(data)}
	s.p.Reset(data)
	b, fast := newBuilder(), true
	table := s.pos
	for s.p.NextExpression() {
		e := s.p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = s.recordKey(s.pos, e.Key())
		case unstable.KeyValue:
			s.recordKeyValue(table, e)
		}
		fast = fast && b.expression(e) == nil
	}
	if !fast || s.p.Error() != nil {
		return nil, s.pos
	}
	return b.root.any().(map[string]any), s.pos
}

// scanner is the state of scan.
type scanner struct {
	p     unstable.Parser
	pos   *positions
	lines lineIndex
}

// recordKeyValue records a key/value's dotted key under the table node
// and, for an inline table, its keys in turn.
func (s *scanner) recordKeyValue(table *positions, kv *unstable.Node) {
	full := s.recordKey(table, kv.Key())
	v := kv.Value()
	if v.Kind != unstable.InlineTable {
		return
	}
	it := v.Children()
	for it.Next() {
		if n := it.Node(); n.Kind == unstable.KeyValue {
			s.recordKeyValue(full, n)
		}
	}
}

// recordKey records every prefix of the key below node at the position of
// its first key part and returns the node of the full key.
func (s *scanner) recordKey(node *positions, key unstable.Iterator) *positions {
	for key.Next() {
		n := key.Node()
		node = node.child(string(n.Data), func() unstable.Position { return s.lines.position(int(n.Raw.Offset)) })
	}
	return node
}

// lineIndex holds the offset of every line's first byte.
type lineIndex []int

// newLineIndex indexes data's lines.
func newLineIndex(data []byte) lineIndex {
	starts := lineIndex{0}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return starts
		}
		off += i + 1
		starts = append(starts, off)
	}
}

// position is the line and column (both from 1, the column in bytes, as
// unstable.Parser.Shape counts) of the byte at offset.
func (l lineIndex) position(offset int) unstable.Position {
	line := sort.Search(len(l), func(i int) bool { return l[i] > offset })
	return unstable.Position{Offset: offset, Line: line, Column: offset - l[line-1] + 1}
}
