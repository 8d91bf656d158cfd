package config

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// manyProfiles is a configuration file with n profiles of six keys.
func manyProfiles(n int) []byte {
	var b strings.Builder
	b.WriteString("default_profile = \"p0\"\n")
	for i := range n {
		fmt.Fprintf(&b, "\n[profiles.p%d]\nprovider = \"client_credentials\"\ntoken_url = \"https://idp.example.com/token\"\n"+
			"client_id = \"client-%d\"\nclient_secret = \"env:SECRET_%d\"\nscopes = [\"api\", \"openid\"]\ntimeout = 30\n", i, i, i)
	}
	return []byte(b.String())
}

// TestParseWorkIsLinear checks, without timing anything, that parsing
// does work linear in the number of profiles: plainParse, and the fast
// decoder of the general path, take such a file themselves (go-toml's
// decoder checks duplicate keys by a scan that is quadratic in the number
// of tables), and allocations grow by the same factor as the file.
func TestParseWorkIsLinear(t *testing.T) {
	const n = 500
	small, large := manyProfiles(n), manyProfiles(4*n)
	if doc, _ := scan(large); doc == nil {
		t.Fatal("the fast decoder left a plain file of many profiles to go-toml")
	}
	if _, ok := plainParse("config.toml", string(large), large); !ok {
		t.Fatal("plainParse left a plain file of many profiles to the other paths")
	}
	parse := func(data []byte) func() {
		return func() {
			if _, err := Parse("config.toml", data); err != nil {
				t.Fatal(err)
			}
		}
	}
	a, b := testing.AllocsPerRun(3, parse(small)), testing.AllocsPerRun(3, parse(large))
	if ratio := b / a; ratio > 4.4 {
		t.Errorf("allocations grow %.2f× for 4× the profiles (%v → %v), want about 4×", ratio, a, b)
	}
}

func TestLineIndexPosition(t *testing.T) {
	t.Parallel()
	data := []byte("a\n\nbc\r\nd\n")
	lines := newLineIndex(data)
	for off := range data {
		line, col := 1, 1
		for _, c := range data[:off] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		if got := lines.position(off); got.Line != line || got.Column != col || got.Offset != off {
			t.Errorf("position(%d) = %+v, want line %d column %d", off, got, line, col)
		}
	}
}

func TestParseManyProfiles(t *testing.T) {
	t.Parallel()
	f, err := Parse("config.toml", manyProfiles(50))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.ProfileNames()); got != 50 {
		t.Fatalf("%d profiles, want 50", got)
	}
	p, err := f.Profile("p49")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Sources["client_id"]; got.Line != 1+49*8+5 || got.Column != 1 {
		t.Errorf("client_id of p49 at %v, want line %d column 1", got, 1+49*8+5)
	}
}

func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1, 100, 10000} {
		data := manyProfiles(n)
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse("config.toml", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestJSONListMatchesMarshal(t *testing.T) {
	t.Parallel()
	for _, list := range [][]string{nil, {}, {""}, {"a", "b c"}, {"https://x/.default", "openid"},
		{`q"`}, {`b\`}, {"<a>&"}, {"\x00"}, {"\t"}, {"é"}, {"\u2028"}, {"\x7f"}, {"~"}} {
		want, _ := json.Marshal(list)
		if list == nil {
			want = []byte("[]")
		}
		if got := jsonList(list); got != string(want) {
			t.Errorf("jsonList(%q) = %s, want %s", list, got, want)
		}
	}
}
