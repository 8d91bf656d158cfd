package host

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/keyfob/keyfob/plugin"
)

func TestVerifySHA256(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "plugin")
	if err := os.WriteFile(path, []byte("hello\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	const sum = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" // sha256sum of "hello\n"
	other := strings.Repeat("ab", 32)
	missing := filepath.Join(dir, "missing")
	tests := map[string]struct {
		path    string
		want    string
		wantErr string
	}{
		"match":        {path: path, want: sum},
		"upper case":   {path: path, want: strings.ToUpper(sum)},
		"whitespace":   {path: path, want: "  " + sum + "\n"},
		"mismatch":     {path: path, want: other, wantErr: fmt.Sprintf("plugin %s: checksum mismatch: plugin_sha256 is %s but the file's SHA-256 is %s", path, other, sum)},
		"too short":    {path: path, want: "abc", wantErr: `plugin_sha256 "abc" is not a 64-digit hex SHA-256`},
		"empty":        {path: path, want: "", wantErr: `plugin_sha256 "" is not a 64-digit hex SHA-256`},
		"sha512":       {path: path, want: strings.Repeat("a", 128), wantErr: fmt.Sprintf("plugin_sha256 %q is not a 64-digit hex SHA-256", strings.Repeat("a", 128))},
		"missing file": {path: missing, want: sum, wantErr: fmt.Sprintf("plugin %s: no such file or directory", missing)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := VerifySHA256(tc.path, tc.want)
			if diff := cmp.Diff(tc.wantErr, errString(err)); diff != "" {
				t.Errorf("VerifySHA256 (-want +got):\n%s", diff)
			}
			if err != nil && (plugin.KindOf(err) != plugin.KindConfig || !errors.Is(err, plugin.ErrConfig)) {
				t.Errorf("KindOf(%v) = %v, want config (exit 2)", err, plugin.KindOf(err))
			}
		})
	}
}

func TestPluginEnv(t *testing.T) {
	t.Parallel()
	lookup := func(env map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	}
	tests := map[string]struct {
		allow []string
		env   map[string]string
		want  []string
	}{
		"nothing allowed": {allow: nil, env: map[string]string{"PATH": "/bin"}, want: nil},
		"only allowed, in allow-list order": {
			allow: []string{"PATH", "HOME", "HTTPS_PROXY"},
			env:   map[string]string{"HTTPS_PROXY": "http://p:3128", "PATH": "/bin", "AZURE_CLIENT_SECRET": "s", "HOME": "/h"},
			want:  []string{"PATH=/bin", "HOME=/h", "HTTPS_PROXY=http://p:3128"},
		},
		"unset skipped":        {allow: []string{"A", "B"}, env: map[string]string{"B": "b"}, want: []string{"B=b"}},
		"set but empty passed": {allow: []string{"NO_PROXY"}, env: map[string]string{"NO_PROXY": ""}, want: []string{"NO_PROXY="}},
		"duplicates once":      {allow: []string{"A", "A"}, env: map[string]string{"A": "1"}, want: []string{"A=1"}},
		"value with equals":    {allow: []string{"A"}, env: map[string]string{"A": "x=y"}, want: []string{"A=x=y"}},
		"case differs on unix": {allow: []string{"https_proxy", "HTTPS_PROXY"}, env: map[string]string{"https_proxy": "l", "HTTPS_PROXY": "u"}, want: caseWant()},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, pluginEnv(tc.allow, lookup(tc.env))); diff != "" {
				t.Errorf("pluginEnv (-want +got):\n%s", diff)
			}
		})
	}
}

func caseWant() []string {
	if runtime.GOOS == "windows" {
		return []string{"https_proxy=l"}
	}
	return []string{"https_proxy=l", "HTTPS_PROXY=u"}
}

func TestDefaultEnvAllowListHasNoSecrets(t *testing.T) {
	t.Parallel()
	for _, name := range DefaultEnvAllowList {
		upper := strings.ToUpper(name)
		if strings.HasPrefix(upper, "AZURE_") || strings.Contains(upper, "SECRET") || strings.Contains(upper, "TOKEN") ||
			strings.Contains(upper, "PASSWORD") || strings.HasPrefix(upper, "KEYFOB_") && upper != "KEYFOB_LOG" {
			t.Errorf("DefaultEnvAllowList has %s", name)
		}
	}
}

// TestResolveConfig sets a variable for its subtests, so it is not
// parallel itself; its subtests are.
func TestResolveConfig(t *testing.T) {
	t.Setenv("KEYFOB_HOST_TEST_SECRET", "from-env")
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	tests := map[string]struct {
		in      map[string]string
		want    map[string]string
		wantErr string
	}{
		"nil":   {in: nil, want: map[string]string{}},
		"empty": {in: map[string]string{}, want: map[string]string{}},
		"env secret": {
			in:   map[string]string{"client_id": "app", "client_secret": "env:KEYFOB_HOST_TEST_SECRET"},
			want: map[string]string{"client_id": "app", "client_secret": "from-env"},
		},
		"file secret": {
			in:   map[string]string{"refresh_token": "file:" + file},
			want: map[string]string{"refresh_token": "from-file"},
		},
		"suffix keys are secret": {
			in:   map[string]string{"pfx_password": "env:KEYFOB_HOST_TEST_SECRET", "my_token": "file:" + file},
			want: map[string]string{"pfx_password": "from-env", "my_token": "from-file"},
		},
		"literal secret kept": {
			in:   map[string]string{"client_secret": "literal"},
			want: map[string]string{"client_secret": "literal"},
		},
		"non-secret references kept": {
			in:   map[string]string{"tenant": "env:KEYFOB_HOST_TEST_SECRET", "scopes": "file:" + missing, "client_id": "env:UNSET"},
			want: map[string]string{"tenant": "env:KEYFOB_HOST_TEST_SECRET", "scopes": "file:" + missing, "client_id": "env:UNSET"},
		},
		"missing variable": {
			in:      map[string]string{"client_secret": "env:KEYFOB_HOST_TEST_UNSET"},
			wantErr: "key client_secret: environment variable KEYFOB_HOST_TEST_UNSET is not set",
		},
		"missing file": {
			in:      map[string]string{"password": "file:" + missing},
			wantErr: fmt.Sprintf("key password: secret file %s: no such file or directory", missing),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var before map[string]string
			if tc.in != nil {
				before = make(map[string]string, len(tc.in))
				for k, v := range tc.in {
					before[k] = v
				}
			}
			got, err := ResolveConfig(tc.in)
			if diff := cmp.Diff(tc.wantErr, errString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if err != nil && plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("KindOf = %v, want config", plugin.KindOf(err))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ResolveConfig (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tc.in); diff != "" {
				t.Errorf("ResolveConfig changed its input (-before +after):\n%s", diff)
			}
		})
	}
}

func TestClientConfig(t *testing.T) {
	t.Parallel()
	type summary struct {
		Handshake        goplugin.HandshakeConfig
		Plugins          []string
		SkipHostEnv      bool
		AllowedProtocols []goplugin.Protocol
		AutoMTLS         bool
		StartTimeout     time.Duration
		Managed          bool
		HasRunner        bool
		Cmd              bool
	}
	base := summary{
		Handshake: plugin.Handshake, Plugins: []string{"token"}, SkipHostEnv: true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC}, AutoMTLS: runtime.GOOS == "windows",
		StartTimeout: 30 * time.Second, HasRunner: true,
	}
	with := func(f func(*summary)) summary { s := base; f(&s); return s }
	tests := map[string]struct {
		opts Options
		want summary
	}{
		"defaults":      {opts: Options{Path: "/p"}, want: base},
		"AutoMTLS":      {opts: Options{Path: "/p", AutoMTLS: true}, want: with(func(s *summary) { s.AutoMTLS = true })},
		"start timeout": {opts: Options{Path: "/p", StartTimeout: time.Second}, want: with(func(s *summary) { s.StartTimeout = time.Second })},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := clientConfig(tc.opts)
			var plugins []string
			for k := range cfg.VersionedPlugins[plugin.ProtocolVersion] {
				plugins = append(plugins, k)
			}
			got := summary{
				Handshake: cfg.HandshakeConfig, Plugins: plugins, SkipHostEnv: cfg.SkipHostEnv,
				AllowedProtocols: cfg.AllowedProtocols, AutoMTLS: cfg.AutoMTLS, StartTimeout: cfg.StartTimeout,
				Managed: cfg.Managed, HasRunner: cfg.RunnerFunc != nil, Cmd: cfg.Cmd != nil,
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("clientConfig (-want +got):\n%s", diff)
			}
		})
	}
}
