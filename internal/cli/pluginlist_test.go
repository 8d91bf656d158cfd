package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/internal/config"
)

// writeExe writes an executable file (not a real plugin) and returns its
// path.
func writeExe(t *testing.T, dir, name string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPluginCandidates(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("execute bits")
	}
	home := t.TempDir()
	pluginDir := filepath.Join(home, "plugins")
	dataDir := filepath.Join(home, "data", "keyfob", "plugins")
	minimal := writeExe(t, pluginDir, "keyfob-plugin-minimal")
	writeExe(t, dataDir, "keyfob-plugin-minimal") // shadowed by $KEYFOB_PLUGIN_DIR's
	github := writeExe(t, dataDir, "keyfob-plugin-github-app")
	other := writeExe(t, filepath.Join(home, "elsewhere"), "acme")
	writeExe(t, pluginDir, "not-a-plugin")
	if err := os.WriteFile(filepath.Join(pluginDir, "keyfob-plugin-readme"), nil, 0o644); err != nil {
		t.Fatal(err) // not executable: skipped
	}
	f, err := config.Parse("config.toml", []byte(`
[profiles.a]
plugin = "minimal"
plugin_sha256 = "AA"
provider = "minimal_client_credentials"
[profiles.b]
plugin = "minimal"
plugin_sha256 = "aa"
provider = "minimal_client_credentials"
[profiles.c]
plugin = "`+other+`"
provider = "acme"
acme_region = "eu"
[profiles.d]
plugin = "missing"
provider = "x"
[profiles.e]
provider = "client_credentials"
`))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KEYFOB_PLUGIN_DIR": pluginDir, "XDG_DATA_HOME": filepath.Join(home, "data")}
	e := &Env{Executable: "/opt/keyfob", Getenv: func(k string) string { return env[k] }}
	got := e.pluginCandidates(f)
	want := []*pluginCandidate{
		{Name: "keyfob", Path: "/opt/keyfob", Builtin: true, Profiles: []string{"e"}, Pins: map[string]string{}},
		{Name: "github-app", Path: github, Pins: map[string]string{}},
		{Name: "minimal", Path: minimal, Profiles: []string{"a", "b"}, Pins: map[string]string{"aa": "a"}},
		{Name: other, Path: other, Profiles: []string{"c"}, Pins: map[string]string{}},
		{Name: "missing", Profiles: []string{"d"}, Pins: map[string]string{}},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(pluginCandidate{}, "Err")); diff != "" {
		t.Errorf("candidates (-want +got):\n%s", diff)
	}
	if err := got[4].Err; err == nil || !strings.Contains(err.Error(), "keyfob-plugin-missing not found") {
		t.Errorf("missing plugin's error = %v, want one naming keyfob-plugin-missing", err)
	}
}

func TestCheckPins(t *testing.T) {
	t.Parallel()
	path := writeExe(t, t.TempDir(), "keyfob-plugin-x")
	sum := sha256Of(t, path)
	tests := map[string]struct {
		pins    map[string]string
		want    string
		wantErr string
	}{
		"no pin":    {pins: map[string]string{}, want: ""},
		"matching":  {pins: map[string]string{sum: "a"}, want: sum},
		"one wrong": {pins: map[string]string{sum: "a", strings.Repeat("0", 64): "b"}, wantErr: `profile "b": ` + "plugin " + path + ": checksum mismatch"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := checkPins(&pluginCandidate{Path: path, Pins: tc.pins}, sum)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("checkPins error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("checkPins = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func sha256Of(t *testing.T, path string) string {
	t.Helper()
	sum, err := host.FileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestWritePluginsText(t *testing.T) {
	t.Parallel()
	list := []pluginListing{
		{Name: "keyfob", Path: "/opt/keyfob", Builtin: true, ProtocolVersion: 1, Version: "1.2.3", Providers: []providerListing{
			{Name: "client_credentials", Description: "an application's own token", ConfigKeys: []keyListing{{Name: "client_id", Required: true}, {Name: "scopes", List: true}}},
		}},
		{Name: "missing", Profiles: []string{"d"}, Error: "plugin \"missing\": keyfob-plugin-missing not found", Providers: []providerListing{}},
	}
	var b bytes.Buffer
	if err := writePluginsText(&b, list); err != nil {
		t.Fatal(err)
	}
	want := `keyfob (protocol 1, version 1.2.3)
  path:     /opt/keyfob
  provider client_credentials: an application's own token
    keys: client_id*, scopes

missing
  profiles: d
  error:    plugin "missing": keyfob-plugin-missing not found
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}
