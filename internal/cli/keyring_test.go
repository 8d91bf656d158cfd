package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The keyring is asked on the slow path, and says what it did only at
// info level. The bus address points at no socket, so the keyring is
// unusable on any machine; the request then fails at the plugin checksum,
// after the keyring step.
func TestKeyringStatus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyfob-cli-test-bus")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[profiles.a]\nprovider = \"client_credentials\"\nclient_id = \"x\"\nclient_secret = \"env:SECRET\"\ntoken_url = \"https://idp.example.com/t\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"token", "-p", "a", "--plugin", "/bin/sh", "--plugin-sha256", strings.Repeat("0", 64)}
	tests := map[string]struct {
		env      map[string]string
		wantCode int
		want     []string // in stderr
		notWant  []string
	}{
		"default level is silent": {nil, ExitUsage, nil, []string{"keyring"}},
		"info says it fell back":  {map[string]string{"KEYFOB_LOG": "info"}, ExitUsage, []string{"[INFO]", "OS keyring not usable", "plain files"}, nil},
		"off":                     {map[string]string{"KEYFOB_LOG": "info", "KEYFOB_KEYRING": "off"}, ExitUsage, []string{"OS keyring turned off"}, []string{"not usable"}},
		"require fails the call":  {map[string]string{"KEYFOB_KEYRING": "require"}, ExitUsage, []string{"KEYFOB_KEYRING=require", "not usable", "nonexistent"}, []string{"checksum", "plain files"}},
		"unknown mode warns":      {map[string]string{"KEYFOB_KEYRING": "maybe"}, ExitUsage, []string{"[WARN]", "maybe"}, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"KEYFOB_CONFIG": cfg, "SECRET": "s", "KEYFOB_KEYRING": "auto"}
			for k, v := range tc.env {
				env[k] = v
			}
			_, stderr, code := run(t, env, args...)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(stderr, w) {
					t.Errorf("stderr mentions %q:\n%s", w, stderr)
				}
			}
		})
	}
}
