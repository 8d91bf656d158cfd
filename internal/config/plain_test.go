package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fileView is everything a File shows: its header fields, every profile
// as File.Profile returns it, and what EachHosts reports.
type fileView struct {
	Path, DefaultProfile string
	DefaultSource        Source
	Names                []string
	Profiles             map[string]*Profile
	Hosts                []ProfileHosts
}

// viewOf is f's fileView.
func viewOf(t *testing.T, f *File) fileView {
	t.Helper()
	v := fileView{Path: f.Path, DefaultProfile: f.DefaultProfile, DefaultSource: f.DefaultSource,
		Names: f.ProfileNames(), Profiles: map[string]*Profile{}}
	for _, name := range v.Names {
		p, err := f.Profile(name)
		if err != nil {
			t.Fatalf("Profile(%q): %v", name, err)
		}
		v.Profiles[name] = p
	}
	f.EachHosts(func(h ProfileHosts) {
		h.Hosts = slices.Clone(h.Hosts)
		v.Hosts = append(v.Hosts, h)
	})
	slices.SortFunc(v.Hosts, func(a, b ProfileHosts) int { return strings.Compare(a.Name, b.Name) })
	return v
}

// checkPlainParse compares plainParse with the general path on data:
// what plainParse accepts, the general path parses to a File that shows
// the same. It reports whether plainParse accepted data.
func checkPlainParse(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := plainParse("c.toml", string(data), nil)
	if !ok {
		return false
	}
	if got.plain == nil || got.profiles != nil {
		t.Fatalf("plainParse of %q kept no index", data)
	}
	want, err := parseGeneral("c.toml", data)
	if err != nil {
		t.Fatalf("plainParse accepts %q, the general path refuses it: %v", data, err)
	}
	for name := range want.profiles {
		if _, ok := got.plain.build("c.toml", int(got.plain.byName[name])); !ok {
			t.Fatalf("plainParse of %q: profile %q does not build", data, name)
		}
	}
	if diff := cmp.Diff(viewOf(t, want), viewOf(t, got)); diff != "" {
		t.Fatalf("plainParse of %q (-general +plain):\n%s", data, diff)
	}
	return true
}

// plainCases are documents plainParse must take itself; fastCases and
// the FuzzLoad corpus are compared too.
var plainCases = map[string]string{
	"contract example":    contractExample,
	"empty":               "",
	"x_ keys":             "x_a = 1\nx_b = [\"c\"]\ndefault_profile = \"p\"\n[profiles.p]\nx_c = true\n",
	"plugin keys first":   "[profiles.p]\nacme_region = \"eu\"\nplugin = \"acme\"\n",
	"quoted names":        "[profiles.\"a b\"]\nclient_id = 'c'\n[profiles.'é']\n",
	"empty profile":       "[profiles.a]\n[profiles.b]\nclient_id = \"c\"\n",
	"comments and blanks": "# top\n\n  \t\ndefault_profile = \"a\" # d\n[profiles.a]   # h\n  client_id = 'c'\t# k\n# é\n",
	"crlf":                "default_profile = \"a\"\r\n[profiles.a]\r\nscopes = [\"x\", 'y',]\r\n# c\r\nhosts = \"h\"\r\n",
	"no final newline":    "[profiles.a]\nclient_id = \"c\"",
	"values":              "[profiles.a]\nno_browser = true\nuse_id_token = \"false\"\ntimeout = \"2m\"\nclient_id = 12\nscopes = []\nx_n = -3\nx_l = [ \"a\" , \"b\" ]\n",
	"integer timeout":     "[profiles.a]\ntimeout = +1_000\n",
	"escapes":             "[profiles.a]\nclient_certificate = \"C:\\\\certs\\\\a.pem\"\nhosts = [\"h\\u0041\"]\n",
	"multi-line list":     "[profiles.a]\nscopes = [\n  \"a\", # first\n  \"b\",\n]\nhosts = [\n\"h\"]\nclient_id = \"c\"\n",
	"multi-line string":   "[profiles.a]\nclient_id = \"\"\"\nc\"\"\"\nx_a = '''x'''\n",
	"quoted keys":         "\"default_profile\" = \"a\"\n[profiles.a]\n\"client_id\" = \"c\"\n'x_y' = 1\n",
	"inline table x_":     "x_t = { a = 1 }\nx_u = [[1], 2]\n[profiles.a]\nx_t = [\n]\n",
	"unicode":             "[profiles.\"é\"]\nclient_id = \"zoë\"\nhosts = ['ü.example']\n",
	"plugin keys":         "[profiles.p]\nqqq_region = \"eu\"\nqqq_list = [\"a\"]\nplugin = \"acme\"\n",
	"preset":              "[profiles.a]\npreset = \"graph\"\n[profiles.b]\npreset = \"graph\"\nhosts = [\"x\"]\n",
	"many":                string(manyProfiles(20)),
}

// notPlain are documents plainParse must leave to the other paths: the
// general path reports them, or reads a shape plainParse does not.
var notPlain = []string{
	"[profiles.a]\nclient_id = \"x\"\nclient_id = \"y\"\n", "[profiles.a]\n[profiles.a]\n",
	"[profiles.a]\nclient_id = \"x\"\n\"client_id\" = \"y\"\n",
	"default_profile = 1\n", "default_profile = \"a\"\ndefault_profile = \"b\"\n",
	"[profiles.a]\nclient_idd = \"x\"\n", "[profiles.a]\nscopes = [1]\n", "provider = \"x\"\n",
	"[profiles]\n", "[profiles.a.b]\n", "[other]\n", "[profiles.\" \"]\n", "[profiles.a]\nb.c = 1\n",
	"[profiles.a]\nqqq_region = \"eu\"\nplugin = \" \"\n", "[profiles.a]\nqqq_region = \"eu\"\nplugin = [\"p\"]\n",
	"[profiles.a]\nno_browser = \"maybe\"\n", "[profiles.a]\nno_browser = 1\n", "[profiles.a]\ntimeout = 0\n",
	"[profiles.a]\ntimeout = \"soon\"\n", "[profiles.a]\ntimeout = 4294967296\n", "[profiles.a]\ntimeout = [\"1s\"]\n",
	"[profiles.a]\nclient_id = [\"c\"]\n", "[profiles.a]\nclient_id = 1.5\n", "[profiles.a]\nclient_id = 0x1\n",
	"[profiles.a]\nclient_id = \"c\" x_a = 1\n", "[profiles.a]\nclient_id = \"c\"\r", "[profiles.a] x\n",
	"[ profiles.a ]\n", "[[profiles.a]]\n", "\xef\xbb\xbf[profiles.a]\n", "# \x01\n", "# \r\r\n",
	"[profiles.a]\nclient_id = \"\x7f\"\n", "[profiles.a]\nclient_id = \"\xff\"\n", "[profiles.a]\nclient_id = \"c\n",
	"[profiles.a]\nx_ = 1\n", "[profiles.a]\nx_t = 1979-05-27\n", "[profiles.a]\nx_t = { b = 1 }\n",
}

func TestPlainParse(t *testing.T) {
	t.Parallel()
	for name, doc := range plainCases {
		if !checkPlainParse(t, []byte(doc)) {
			t.Errorf("%s: plainParse left %q to the other paths", name, doc)
		}
	}
	for _, tc := range fastCases {
		checkPlainParse(t, []byte(tc.doc))
	}
	for _, doc := range notPlain {
		if checkPlainParse(t, []byte(doc)) {
			t.Errorf("plainParse accepts %q, which the general path must report or read", doc)
		}
	}
}

// TestPlainParseSameErrors checks that Parse reports, for a document
// plainParse leaves to the other paths, what the general path reports.
func TestPlainParseSameErrors(t *testing.T) {
	t.Parallel()
	for _, doc := range notPlain {
		_, err := Parse("c.toml", []byte(doc))
		_, want := parseGeneral("c.toml", []byte(doc))
		if fmt.Sprint(err) != fmt.Sprint(want) {
			t.Errorf("Parse(%q) = %v, the general path says %v", doc, err, want)
		}
	}
}

func TestPlainParseReadsOnlyTheIndex(t *testing.T) {
	f, err := Parse("c.toml", manyProfiles(1000))
	if err != nil {
		t.Fatal(err)
	}
	if f.plain == nil {
		t.Fatal("Parse did not take the plain path for a plain file")
	}
	allocs := testing.AllocsPerRun(5, func() {
		f.EachHosts(func(ProfileHosts) {})
	})
	if allocs > 5 {
		t.Errorf("EachHosts over 1000 profiles allocates %v times, want a few", allocs)
	}
}
