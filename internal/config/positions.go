package config

import (
	"fmt"

	"github.com/pelletier/go-toml/v2/unstable"
)

// positions maps a key path (see pathKey) to where that key is first
// written in the document: a table header, a key of a key/value (dotted
// or not) or a key inside an inline table.
type positions map[string]unstable.Position

// pathKey encodes a key path injectively.
func pathKey(path ...string) string { return fmt.Sprintf("%q", path) }

// at returns the position of path, the zero Position when unknown.
func (p positions) at(path ...string) unstable.Position { return p[pathKey(path...)] }

// scanPositions walks the document's expressions and records where each
// key path first appears. The document must already have decoded without
// error; a parse error here only ends the scan early.
func scanPositions(data []byte) positions {
	pos := positions{}
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = pos.recordKey(&p, nil, e.Key())
		case unstable.KeyValue:
			pos.recordKeyValue(&p, table, e)
		}
	}
	return pos
}

// recordKeyValue records a key/value's dotted key under prefix and, for an
// inline table, its keys in turn.
func (pos positions) recordKeyValue(p *unstable.Parser, prefix []string, kv *unstable.Node) {
	full := pos.recordKey(p, prefix, kv.Key())
	v := kv.Value()
	if v.Kind != unstable.InlineTable {
		return
	}
	it := v.Children()
	for it.Next() {
		if n := it.Node(); n.Kind == unstable.KeyValue {
			pos.recordKeyValue(p, full, n)
		}
	}
}

// recordKey records every prefix of prefix+key at the position of its
// first key part and returns the full path.
func (pos positions) recordKey(p *unstable.Parser, prefix []string, key unstable.Iterator) []string {
	full := append([]string(nil), prefix...)
	for key.Next() {
		n := key.Node()
		full = append(full, string(n.Data))
		k := pathKey(full...)
		if _, seen := pos[k]; !seen {
			pos[k] = p.Shape(n.Raw).Start
		}
	}
	return full
}
