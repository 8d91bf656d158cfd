package config

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

func TestPluginProfileAcceptsPluginKeys(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want map[string]string
	}{
		"named plugin": {
			in: "[profiles.p]\nplugin = \"github-app\"\nprovider = \"github_app\"\n" +
				"github_app_id = 12345\ngithub_installation_id = \"678\"\ngithub_repositories = [\"a\", \"b\"]\n",
			want: map[string]string{
				"plugin": "github-app", "provider": "github_app",
				"github_app_id": "12345", "github_installation_id": "678", "github_repositories": `["a","b"]`,
			},
		},
		"plugin path, key before plugin": {
			in:   "[profiles.p]\nzeta_region = \"eu\"\nplugin = \"/opt/keyfob/acme\"\n",
			want: map[string]string{"plugin": "/opt/keyfob/acme", "zeta_region": "eu"},
		},
		"inline table": {
			in:   "[profiles]\np = { plugin = \"acme\", zeta_flag = true }\n",
			want: map[string]string{"plugin": "acme", "zeta_flag": "true"},
		},
		"built-in keys keep their form": {
			in:   "[profiles.p]\nplugin = \"acme\"\nscopes = \"api\"\nuse_id_token = \"1\"\n",
			want: map[string]string{"plugin": "acme", "scopes": `["api"]`, "use_id_token": "true"},
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

func TestPluginProfileErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want string
	}{
		"no plugin: unknown key refused": {
			in:   "[profiles.a]\nprovider = \"client_credentials\"\ngithub_app_id = \"1\"\n",
			want: `config /x/config.toml:3: unknown key "github_app_id" in profile "a"`,
		},
		"empty plugin: unknown key refused": {
			in:   "[profiles.a]\nplugin = \" \"\ngithub_app_id = \"1\"\n",
			want: `config /x/config.toml:3: unknown key "github_app_id" in profile "a"`,
		},
		"plugin in another profile does not count": {
			in:   "[profiles.a]\nplugin = \"acme\"\n[profiles.b]\nzeta_region = \"eu\"\n",
			want: `config /x/config.toml:4: unknown key "zeta_region" in profile "b"`,
		},
		"malformed key name": {
			in:   "[profiles.a]\nplugin = \"acme\"\n\"Weird Key\" = \"eu\"\n",
			want: `config /x/config.toml:3: unknown key "Weird Key" in profile "a"`,
		},
		"sub-table": {
			in:   "[profiles.a]\nplugin = \"acme\"\n[profiles.a.extra]\nx = 1\n",
			want: `config /x/config.toml:3: key "extra": want a string`,
		},
		"float": {
			in:   "[profiles.a]\nplugin = \"acme\"\nzeta_ratio = 1.5\n",
			want: `config /x/config.toml:3: key "zeta_ratio": want a string`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("/x/config.toml", []byte(tc.in))
			if !errors.Is(err, errdefs.ErrConfig) {
				t.Fatalf("Parse error = %v, want a config error", err)
			}
			if diff := cmp.Diff(tc.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsSecretByName(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"github_app_private_key": true, "acme_api_token": true, "x_client_secret": true, "vault_password": true,
		"github_app_id": false, "github_installation_id": false, "zeta_region": false,
		// Built-in keys follow the table, whatever their names.
		"client_secret": true, "use_id_token": false, "subject_token_type": false, "client_id": false,
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := IsSecret(name); got != want {
				t.Errorf("IsSecret(%q) = %v, want %v", name, got, want)
			}
		})
	}
}

func TestPluginKey(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"github_app_id": true, "a": true, "k8s_namespace": true,
		"": false, "Upper": false, "with-dash": false, "9lives": false, "_lead": false, "sp ace": false,
	}
	for name, want := range tests {
		if got := PluginKey(name); got != want {
			t.Errorf("PluginKey(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestLiteralSecretWarningPluginKey(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("mode bits do not describe access on Windows")
	}
	path := writeFile(t, "[profiles.gh]\nplugin = \"github-app\"\ngithub_app_id = \"1\"\n"+
		"github_app_private_key = \"-----BEGIN RSA PRIVATE KEY-----\"\n")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`config %s is readable by others (mode 0644) and holds a literal secret (profile "gh" key "github_app_private_key"); run chmod 600 %s or use env:NAME or file:PATH references`, path, path)
	if diff := cmp.Diff(want, LiteralSecretWarning(path, f)); diff != "" {
		t.Errorf("LiteralSecretWarning (-want +got):\n%s", diff)
	}
}
