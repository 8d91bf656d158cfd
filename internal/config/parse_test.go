package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// contractExample is the file of CONTRACT §4.
const contractExample = `default_profile = "graph"

[profiles.graph]
provider      = "client_credentials"          # the grant provider, see section 6
authority     = "https://login.microsoftonline.com/contoso.onmicrosoft.com"  # Entra: endpoints derived
client_id     = "00000000-0000-0000-0000-000000000001"
client_certificate = "~/certs/graph-app.pfx"  # PEM (cert + key) or PFX/PKCS#12
client_certificate_password = "env:GRAPH_PFX_PASSWORD"
scopes        = ["https://graph.microsoft.com/.default"]

[profiles.repos]
provider      = "device_code"
authority     = "https://login.microsoftonline.com/organizations"
client_id     = "00000000-0000-0000-0000-000000000002"
scopes        = ["499b84ac-1321-427f-aa17-267ca6975798/.default"]
hosts         = ["dev.azure.com"]             # host tools' requests for these hosts use this profile

[profiles.generic]
provider      = "password"
token_url     = "https://idp.example.com/oauth2/token"   # or issuer = "..." for OIDC discovery
client_id     = "cli"
client_secret = "file:~/.secrets/cli-secret"
username      = "alice@example.com"
password      = "env:IDP_PASSWORD"
scopes        = ["openid", "offline_access", "api"]
`

// writeFile writes data to a config.toml in a fresh temporary directory.
func writeFile(t testing.TB, data string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadContractExample(t *testing.T) {
	t.Parallel()
	path := writeFile(t, contractExample)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"generic", "graph", "repos"}, f.ProfileNames()); diff != "" {
		t.Errorf("ProfileNames (-want +got):\n%s", diff)
	}
	if f.DefaultProfile != "graph" {
		t.Errorf("DefaultProfile = %q, want graph", f.DefaultProfile)
	}
	p, err := f.Profile("generic")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"provider":      "password",
		"token_url":     "https://idp.example.com/oauth2/token",
		"client_id":     "cli",
		"client_secret": "file:~/.secrets/cli-secret",
		"username":      "alice@example.com",
		"password":      "env:IDP_PASSWORD",
		"scopes":        `["openid","offline_access","api"]`,
	}
	if diff := cmp.Diff(want, p.Values); diff != "" {
		t.Errorf("Values (-want +got):\n%s", diff)
	}
	wantSrc := Source{File: path, Line: 24, Column: 1}
	if diff := cmp.Diff(wantSrc, p.Sources["password"]); diff != "" {
		t.Errorf("Sources[password] (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Source{File: path, Line: 18, Column: 11}, p.Source); diff != "" {
		t.Errorf("Source (-want +got):\n%s", diff)
	}
}

func TestParseValues(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want map[string]string
	}{
		"list becomes JSON text": {
			in:   "[profiles.p]\nscopes = [\"a\", \"b\"]\n",
			want: map[string]string{"scopes": `["a","b"]`},
		},
		"list is escaped as json.Marshal does": {
			in:   "[profiles.p]\nscopes = [\"<a&b>\", 'q\"']\n",
			want: map[string]string{"scopes": `["\u003ca\u0026b\u003e","q\""]`},
		},
		"empty list": {
			in:   "[profiles.p]\nhosts = []\n",
			want: map[string]string{"hosts": `[]`},
		},
		"single string for a list key": {
			in:   "[profiles.p]\nscopes = \"openid\"\n",
			want: map[string]string{"scopes": `["openid"]`},
		},
		"booleans and integers become text": {
			in:   "[profiles.p]\nuse_id_token = true\ntimeout = 30\nclient_id = false\n",
			want: map[string]string{"use_id_token": "true", "timeout": "30", "client_id": "false"},
		},
		"bool key accepts a string": {
			in:   "[profiles.p]\nuse_id_token = \"1\"\n",
			want: map[string]string{"use_id_token": "true"},
		},
		"x_ keys take any scalar or list": {
			in:   "[profiles.p]\nx_a = \"s\"\nx_b = 7\nx_c = [\"l\"]\n",
			want: map[string]string{"x_a": "s", "x_b": "7", "x_c": `["l"]`},
		},
		"dotted keys": {
			in:   "profiles.p.client_id = \"c\"\n",
			want: map[string]string{"client_id": "c"},
		},
		"inline table": {
			in:   "[profiles]\np = { client_id = \"c\", scopes = [\"s\"] }\n",
			want: map[string]string{"client_id": "c", "scopes": `["s"]`},
		},
		"top-level x_ key ignored": {
			in:   "x_editor = \"vim\"\n[profiles.p]\nclient_id = \"c\"\n",
			want: map[string]string{"client_id": "c"},
		},
		"empty profile": {
			in:   "[profiles.p]\n",
			want: map[string]string{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := Parse("/x/config.toml", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.Profile("p")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, p.Values); diff != "" {
				t.Errorf("Values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want string
	}{
		"bad list": {
			in:   "default_profile = \"a\"\n\n[profiles.a]\nclient_id = \"x\"\n\n\nscopes = [1, 2]\n",
			want: `config /x/config.toml:7: key "scopes": want a list of strings`,
		},
		"list given a table": {
			in:   "[profiles.a]\nhosts = { a = 1 }\n",
			want: `config /x/config.toml:2: key "hosts": want a list of strings`,
		},
		"float": {
			in:   "[profiles.a]\n timeout = 1.5\n",
			want: `config /x/config.toml:2: key "timeout": want a duration such as "30s" or "2m", or a number of seconds`,
		},
		"array for a string key": {
			in:   "[profiles.a]\nclient_id = [\"a\"]\n",
			want: `config /x/config.toml:2: key "client_id": want a string`,
		},
		"date": {
			in:   "[profiles.a]\nx_when = 2024-01-02\n",
			want: `config /x/config.toml:2: key "x_when": want a string`,
		},
		"bad bool": {
			in:   "[profiles.a]\nuse_id_token = \"yes\"\n",
			want: `config /x/config.toml:2: key "use_id_token": want true or false`,
		},
		"unknown key with suggestion": {
			in:   "[profiles.a]\nprovider = \"password\"\nclient_idd = \"x\"\n",
			want: `config /x/config.toml:3: unknown key "client_idd" in profile "a" (did you mean "client_id"?)`,
		},
		"unknown key with dashes": {
			in:   "[profiles.a]\nclient-id = \"x\"\n",
			want: `config /x/config.toml:2: unknown key "client-id" in profile "a" (did you mean "client_id"?)`,
		},
		"unknown key extending": {
			in:   "[profiles.a]\ntenant = \"x\"\n",
			want: `config /x/config.toml:2: unknown key "tenant" in profile "a" (did you mean "tenant_id"?)`,
		},
		"unknown key without suggestion": {
			in:   "[profiles.a]\n\nbanana = 1\n",
			want: `config /x/config.toml:3: unknown key "banana" in profile "a"`,
		},
		"unknown key in inline table": {
			in:   "[profiles]\na = { client_id = \"c\",\n  scope = [\"s\"] }\n",
			want: `config /x/config.toml:3: unknown key "scope" in profile "a" (did you mean "scopes"?)`,
		},
		"sub-table in a profile": {
			in:   "[profiles.a]\n[profiles.a.extra]\n",
			want: `config /x/config.toml:2: unknown key "extra" in profile "a"`,
		},
		"first error in file order": {
			in:   "[profiles.z]\nbad_one = 1\n[profiles.a]\nbad_two = 1\n",
			want: `config /x/config.toml:2: unknown key "bad_one" in profile "z"`,
		},
		"unknown top-level key": {
			in:   "profile = \"a\"\n",
			want: `config /x/config.toml:1: unknown top-level key "profile" (did you mean "profiles"?)`,
		},
		"unknown top-level table": {
			in:   "[profiles.a]\n[defaults]\nx = 1\n",
			want: `config /x/config.toml:2: unknown top-level key "defaults"`,
		},
		"duplicate key with a control character": {
			in:   "[profiles.a]\n\"x_\\u001b\" = 1\n\"x_\\u001b\" = 2\n",
			want: `config /x/config.toml:3:1: key x_\x1b is already defined`,
		},
		"profile key at top level": {
			in:   "\nclient_id = \"a\"\n",
			want: `config /x/config.toml:2: key "client_id" belongs in a profile table such as [profiles.NAME]`,
		},
		"default_profile not a string": {
			in:   "default_profile = 1\n",
			want: `config /x/config.toml:1: key "default_profile": want a string`,
		},
		"profiles not a table": {
			in:   "profiles = \"a\"\n",
			want: `config /x/config.toml:1: key "profiles": want tables such as [profiles.NAME]`,
		},
		"array of tables": {
			in:   "[[profiles]]\nclient_id = \"a\"\n",
			want: `config /x/config.toml:1: key "profiles": want tables such as [profiles.NAME]`,
		},
		"profile not a table": {
			in:   "[profiles]\na = 1\n",
			want: `config /x/config.toml:2: profile "a": want a table [profiles.a]`,
		},
		"quoted profile not a table": {
			in:   "[profiles]\n\"a b\" = 1\n",
			want: `config /x/config.toml:2: profile "a b": want a table [profiles."a b"]`,
		},
		"empty profile name": {
			in:   "[profiles.\"\"]\n",
			want: `config /x/config.toml:1: profile name "": want a non-empty name`,
		},
		"malformed TOML": {
			in:   "[profiles.a]\nclient_id = \n",
			want: `config /x/config.toml:2:13: unexpected character U+000A at start of value`,
		},
		"unterminated string": {
			in:   "[profiles.a]\nclient_id = \"abc\n",
			want: `config /x/config.toml:2:17: basic strings cannot have new lines`,
		},
		"duplicate key": {
			in:   "[profiles.a]\nclient_id = \"1\"\nclient_id = \"2\"\n",
			want: `config /x/config.toml:3:1: key client_id is already defined`,
		},
		"duplicate table": {
			in:   "[profiles.a]\n[profiles.a]\n",
			want: `config /x/config.toml:2:2: table a already exists`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("/x/config.toml", []byte(tc.in))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			if !errors.Is(err, errdefs.ErrConfig) {
				t.Errorf("error %v does not wrap errdefs.ErrConfig", err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"missing":    filepath.Join(t.TempDir(), "nope", "config.toml"),
		"empty path": "",
	}
	for name, path := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{}, f.ProfileNames()); diff != "" {
				t.Errorf("ProfileNames (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadUnreadable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Load(dir)
	if !errors.Is(err, errdefs.ErrConfig) {
		t.Fatalf("Load(dir) error = %v, want a config error", err)
	}
	if want := "config " + dir + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %q", err, want)
	}
}

func TestRegisteredKeyIsAccepted(t *testing.T) {
	t.Parallel()
	RegisterKey(KeySpec{Name: "acme_region", Description: "test key"})
	RegisterKey(KeySpec{Name: "acme_zones", List: true})
	f, err := Parse("c.toml", []byte("[profiles.p]\nacme_region = \"eu\"\nacme_zones = [\"a\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Profile("p")
	want := map[string]string{"acme_region": "eu", "acme_zones": `["a"]`}
	if diff := cmp.Diff(want, p.Values); diff != "" {
		t.Errorf("Values (-want +got):\n%s", diff)
	}
}
