package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pelletier/go-toml/v2"
)

// fastCases are documents for the fast decoder, with whether it must
// accept them itself (true) or may leave them to go-toml (false). Every
// one is also compared with go-toml by checkFastDecoder.
var fastCases = map[string]struct {
	doc  string
	fast bool
}{
	"contract example":        {contractExample, true},
	"empty":                   {"", true},
	"dotted at top":           {"profiles.a.client_id = \"c\"\nprofiles.a.scopes = [\"s\"]\n", true},
	"inline profiles":         {"[profiles]\na = { client_id = \"c\", hosts = [\"h\"], x.y = 1 }\n", true},
	"super table after":       {"[profiles.a.b]\n[profiles.a]\nclient_id = \"c\"\n", true},
	"sub table of dotted":     {"[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n", true},
	"array of tables":         {"[[a]]\nx = 1\n[a.b]\ny = 2\n[[a]]\n[a.b]\ny = 3\n", true},
	"integers":                {"a = 0\nb = -17\nc = +1_000\nd = 9223372036854775807\n", true},
	"strings":                 {"a = 'lit\\'\nb = \"\\u00e9\\n\"\nc = \"\"\"\nx\\\n  y\"\"\"\nd = '''\nz'''\n", true},
	"nested arrays":           {"a = [[\"x\"], [1, 2], [], [{ b = true }]]\n", true},
	"quoted keys":             {"[profiles.\"a.b\"]\n\"c d\" = \"e\"\n'' = 1\n", true},
	"crlf":                    {"[profiles.a]\r\nclient_id = \"c\"\r\n", true},
	"hex integer":             {"a = 0xff\n", false},
	"int overflow":            {"a = 9223372036854775808\n", false},
	"leading zero":            {"a = 01\n", false},
	"float":                   {"a = 1.5\n", false},
	"date":                    {"a = 1979-05-27\n", false},
	"table twice":             {"[a]\n[a]\n", false},
	"key twice":               {"a = 1\na = 2\n", false},
	"table over value":        {"a = 1\n[a]\n", false},
	"table over dotted":       {"[fruit]\napple.color = \"red\"\n[fruit.apple]\n", false},
	"dotted over header":      {"[a.b.c]\nz = 9\n[a]\nb.c.t = 1\n", false},
	"dotted over implicit":    {"[a.b.c]\n[a]\nb.d = 1\n", false},
	"inline extended":         {"a = { b = 1 }\n[a.c]\n", false},
	"inline extended dotted":  {"a = { b = 1 }\na.c = 2\n", false},
	"inline key twice":        {"a = { b = 1, b = 2 }\n", false},
	"inline inner closed":     {"a = { b = { c = 1 }, b.d = 2 }\n", false},
	"array table over table":  {"[a]\n[[a]]\n", false},
	"table over array table":  {"[[a]]\n[a]\n", false},
	"static array extended":   {"a = [1]\n[[a]]\n", false},
	"header through value":    {"a = 1\n[a.b]\n", false},
	"header through inline":   {"a = {}\n[a.b]\n", false},
	"header through static":   {"a = []\n[a.b]\n", false},
	"syntax error":            {"a = \n", false},
	"bad utf-8":               {"a = \"\xff\"\n", false},
	"bad escape":              {"a = \"\\q\"\n", false},
	"control char in comment": {"# \x01\na = 1\n", false},
}

func TestFastDecoder(t *testing.T) {
	t.Parallel()
	for name, tc := range fastCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := checkFastDecoder(t, []byte(tc.doc))
			if tc.fast && doc == nil {
				t.Errorf("the fast decoder left %q to go-toml", tc.doc)
			}
		})
	}
}

func TestFastDecoderTestdata(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzLoad", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no FuzzLoad corpus: %v", err)
	}
	for _, file := range files {
		data := fuzzCorpusBytes(t, file)
		checkFastDecoder(t, data)
		checkPlainParse(t, data)
	}
}

// fuzzCorpusBytes reads the []byte value of a one-value Go fuzz corpus file.
func fuzzCorpusBytes(t *testing.T, file string) []byte {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, val, ok := strings.Cut(string(raw), "\n")
	if !ok {
		t.Fatalf("%s: not a fuzz corpus file", file)
	}
	var s string
	if _, err := fmt.Sscanf(strings.TrimSpace(val), "[]byte(%q)", &s); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return []byte(s)
}

// checkFastDecoder compares the fast decoder with go-toml on data: what
// the fast decoder accepts, go-toml accepts with the same value. It
// returns the fast decoder's document, nil when it left data to go-toml.
func checkFastDecoder(t *testing.T, data []byte) map[string]any {
	t.Helper()
	doc, _ := scan(data)
	var want map[string]any
	err := toml.Unmarshal(data, &want)
	if doc == nil {
		return nil
	}
	if err != nil {
		t.Fatalf("fast decoder accepts %q, go-toml refuses it: %v", data, err)
	}
	if want == nil {
		want = map[string]any{}
	}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Fatalf("fast decoder of %q (-go-toml +fast):\n%s", data, diff)
	}
	return doc
}

func FuzzFastDecoder(f *testing.F) {
	for _, tc := range fastCases {
		f.Add([]byte(tc.doc))
	}
	for _, doc := range plainCases {
		f.Add([]byte(doc))
	}
	for _, doc := range notPlain {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastDecoder(t, data)
		checkPlainParse(t, data)
	})
}
