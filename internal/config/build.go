package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// errSlow stops the fast decoder: the document holds something it leaves
// to go-toml (a float, a date, a non-decimal integer) or breaks a rule
// (a key or table defined twice), which go-toml then reports.
var errSlow = errors.New("left to go-toml")

// The fast decoder builds the document from go-toml's unstable parser with
// maps, in time linear in its size. go-toml's own decoder checks for keys
// defined twice by scanning every key recorded after the parent, which
// is quadratic in the number of profiles; it stays the reference: every
// document the fast decoder does not accept goes to it, so the fast path
// only ever accepts what go-toml accepts, with the same values (a test
// and a fuzz target compare the two).

// tkind is what defined a table or value, which decides what may later
// extend or redefine it (TOML 1.0, "Table" and "Keys").
type tkind uint8

const (
	tImplicit tkind = iota // a table a [header] created on its way
	tExplicit              // a table a [header] defined
	tDotted                // a table a dotted key created
	tInline                // an inline table: closed
	tArray                 // an array of tables, [[header]]
	tValue                 // any other value, a static array among them
)

// tnode is one table or value of the document being built.
type tnode struct {
	kind     tkind
	children map[string]*tnode
	elems    []*tnode
	value    any
}

// newTable returns an empty table of kind k.
func newTable(k tkind) *tnode { return &tnode{kind: k, children: map[string]*tnode{}} }

// builder turns the parser's expressions into a document.
type builder struct {
	root    *tnode
	current *tnode
}

// newBuilder starts an empty document.
func newBuilder() *builder {
	root := newTable(tExplicit)
	return &builder{root: root, current: root}
}

// expression adds one top-level expression.
func (b *builder) expression(e *unstable.Node) error {
	switch e.Kind {
	case unstable.Table:
		return b.header(e.Key())
	case unstable.ArrayTable:
		return b.arrayHeader(e.Key())
	case unstable.KeyValue:
		return keyValue(b.current, e)
	}
	return nil
}

// header opens the table [key].
func (b *builder) header(key unstable.Iterator) error {
	parent, name, err := walkHeader(b.root, key)
	if err != nil {
		return err
	}
	t := parent.children[name]
	switch {
	case t == nil:
		t = newTable(tExplicit)
		parent.children[name] = t
	case t.kind == tImplicit:
		t.kind = tExplicit
	default:
		return errSlow
	}
	b.current = t
	return nil
}

// arrayHeader opens a new element of the array of tables [[key]].
func (b *builder) arrayHeader(key unstable.Iterator) error {
	parent, name, err := walkHeader(b.root, key)
	if err != nil {
		return err
	}
	a := parent.children[name]
	if a == nil {
		a = &tnode{kind: tArray}
		parent.children[name] = a
	}
	if a.kind != tArray {
		return errSlow
	}
	t := newTable(tExplicit)
	a.elems = append(a.elems, t)
	b.current = t
	return nil
}

// walkHeader follows a header's key from root through every part but the
// last, creating implicit tables, and returns the parent table and the
// last part.
func walkHeader(root *tnode, key unstable.Iterator) (*tnode, string, error) {
	parent := root
	key.Next()
	name := string(key.Node().Data)
	for key.Next() {
		t, err := headerStep(parent, name)
		if err != nil {
			return nil, "", err
		}
		parent, name = t, string(key.Node().Data)
	}
	return parent, name, nil
}

// headerStep is the table a header reaches through parent's key name:
// any table but an inline one; the last element of an array of tables.
func headerStep(parent *tnode, name string) (*tnode, error) {
	t := parent.children[name]
	switch {
	case t == nil:
		t = newTable(tImplicit)
		parent.children[name] = t
	case t.kind == tArray:
		t = t.elems[len(t.elems)-1]
	case t.kind == tInline || t.kind == tValue:
		return nil, errSlow
	}
	return t, nil
}

// keyValue sets a (possibly dotted) key of table t.
func keyValue(t *tnode, kv *unstable.Node) error {
	key := kv.Key()
	key.Next()
	name := string(key.Node().Data)
	for key.Next() {
		next := t.children[name]
		if next == nil {
			next = newTable(tDotted)
			t.children[name] = next
		}
		if next.kind != tDotted {
			return errSlow
		}
		t, name = next, string(key.Node().Data)
	}
	if _, seen := t.children[name]; seen {
		return errSlow
	}
	v, err := valueNode(kv.Value())
	if err != nil {
		return err
	}
	t.children[name] = v
	return nil
}

// valueNode builds the node of a value.
func valueNode(n *unstable.Node) (*tnode, error) {
	if n.Kind != unstable.InlineTable {
		v, err := scalarOrArray(n)
		return &tnode{kind: tValue, value: v}, err
	}
	t := newTable(tInline)
	it := n.Children()
	for it.Next() {
		if err := keyValue(t, it.Node()); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// scalarOrArray is a value as go-toml decodes it into an any: a string,
// bool, int64, []any or map[string]any.
func scalarOrArray(n *unstable.Node) (any, error) {
	switch n.Kind {
	case unstable.String:
		return string(n.Data), nil
	case unstable.Bool:
		return string(n.Data) == "true", nil
	case unstable.Integer:
		return decimal(string(n.Data))
	case unstable.Array:
		return array(n)
	case unstable.InlineTable:
		t, err := valueNode(n)
		if err != nil {
			return nil, err
		}
		return t.any(), nil
	}
	return nil, errSlow
}

// array builds a static array's elements.
func array(n *unstable.Node) (any, error) {
	list := []any{}
	it := n.Children()
	for it.Next() {
		v, err := scalarOrArray(it.Node())
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, nil
}

// decimal parses a TOML decimal integer; any other form (hex, octal,
// binary) or an integer out of range is left to go-toml.
func decimal(s string) (int64, error) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || !decimalDigits(digits) {
		return 0, errSlow
	}
	v, err := strconv.ParseInt(s[:len(s)-len(digits)]+strings.ReplaceAll(digits, "_", ""), 10, 64)
	if err != nil {
		return 0, errSlow
	}
	return v, nil
}

// decimalDigits reports whether s is "0" or digits not starting with 0,
// each "_" between two digits.
func decimalDigits(s string) bool {
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' && i > 0 && i < len(s)-1 && s[i-1] != '_' {
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// any is the node as go-toml decodes it: a table a map[string]any, an
// array of tables a []any of them.
func (t *tnode) any() any {
	switch t.kind {
	case tValue:
		return t.value
	case tArray:
		list := make([]any, len(t.elems))
		for i, e := range t.elems {
			list[i] = e.any()
		}
		return list
	}
	m := make(map[string]any, len(t.children))
	for k, c := range t.children {
		m[k] = c.any()
	}
	return m
}
