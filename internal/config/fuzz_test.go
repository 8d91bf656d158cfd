package config

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

func FuzzLoad(f *testing.F) {
	seeds := []string{
		contractExample,
		"",
		"default_profile = \"a\"\n",
		"[profiles.a]\nscopes = [\"x\", 1]\n",
		"[profiles.a]\nclient_idd = 1\n",
		"[profiles]\na = { client_id = \"c\", hosts = [\"h\"] }\n",
		"profiles.a.b.c = 1\n",
		"[[profiles]]\n[[profiles.a]]\n",
		"[profiles.\"\"]\n",
		"[profiles.a]\nuse_id_token = \"maybe\"\ntimeout = 1e3\nx_t = 1979-05-27T07:32:00Z\n",
		"[profiles.a]\nx_l = [[\"nested\"]]\nx_m = {a = 1}\n",
		"a = \n",
		"\xff\xfe",
		"[profiles.a]\nclient_id = \"\"\"\nmulti\nline\"\"\"\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := writeTemp(t, dir, data)
		defer os.Remove(path)
		file, err := Load(path)
		if err != nil {
			if !errors.Is(err, errdefs.ErrConfig) {
				t.Fatalf("error %v does not wrap errdefs.ErrConfig", err)
			}
			if msg := strings.ReplaceAll(err.Error(), path, ""); msg != printable(msg) {
				t.Fatalf("error has unprintable characters: %q", err)
			}
			return
		}
		checkLoaded(t, file)
	})
}

// writeTemp writes data to a new file in dir and returns its path.
func writeTemp(t *testing.T, dir string, data []byte) string {
	tmp, err := os.CreateTemp(dir, "fuzz-*.toml")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	if _, err := tmp.Write(data); err != nil {
		t.Fatal(err)
	}
	return tmp.Name()
}

// checkLoaded checks invariants of a successfully loaded file.
func checkLoaded(t *testing.T, file *File) {
	for _, name := range file.ProfileNames() {
		p, err := file.Profile(name)
		if err != nil {
			t.Fatalf("Profile(%q) of a listed name: %v", name, err)
		}
		for key := range p.Values {
			if !Known(key) {
				t.Fatalf("profile %q holds unknown key %q", name, key)
			}
		}
		if _, err := p.List("scopes"); err != nil {
			t.Fatalf("scopes of %q is not a list: %v", name, err)
		}
	}
	_, _ = file.MatchHost("example.com", "443", "u", "https://example.com/x")
	_ = LiteralSecretWarning("", file)
}
