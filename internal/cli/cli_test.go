package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  error
		want int
	}{
		"nil":                  {nil, ExitOK},
		"plain":                {errors.New("boom"), ExitInternal},
		"config":               {plugin.Configf("bad key"), ExitUsage},
		"usage":                {&usageError{errors.New("bad flag")}, ExitUsage},
		"invalid_client":       {&plugin.OAuthError{Code: "invalid_client", StatusCode: 401}, ExitRefused},
		"wrapped refused":      {fmt.Errorf("x: %w", &plugin.OAuthError{Code: "invalid_scope", StatusCode: 400}), ExitRefused},
		"login_required":       {&plugin.OAuthError{Code: "login_required", StatusCode: 400}, ExitInteraction},
		"sentinel interaction": {fmt.Errorf("no terminal: %w", plugin.ErrInteractionRequired), ExitInteraction},
		"server_error":         {&plugin.OAuthError{Code: "server_error", StatusCode: 500}, ExitUnavailable},
		"429":                  {&plugin.OAuthError{StatusCode: 429}, ExitUnavailable},
		"deadline":             {context.DeadlineExceeded, ExitUnavailable},
		"across the wire":      {plugin.FromStatus(plugin.ToStatus(&plugin.OAuthError{Code: "invalid_grant", StatusCode: 400})), ExitRefused},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := ExitCode(tc.err); got != tc.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}

// run runs the CLI in process with buffers.
func run(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	full := map[string]string{"KEYFOB_CACHE_DIR": filepath.Join(t.TempDir(), "cache"), "KEYFOB_KEYRING": "off"}
	for k, v := range env {
		full[k] = v
	}
	env = full
	e := Env{Args: args, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }, Now: time.Now, Executable: "/nonexistent/keyfob"}
	code = Main(context.Background(), e)
	return out.String(), errb.String(), code
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfgPath, []byte("[profiles.a]\nprovider = \"client_credentials\"\nclient_id = \"x\"\nclient_secret = \"env:MISSING_SECRET_VAR\"\ntoken_url = \"https://idp.example.com/t\"\n[profiles.b]\nclient_id = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("[profiles.a\nprovider = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		env        map[string]string
		args       []string
		wantCode   int
		wantStderr []string
	}{
		"unknown profile":     {map[string]string{"KEYFOB_CONFIG": cfgPath}, []string{"token", "-p", "nope"}, ExitUsage, []string{`"nope"`}},
		"missing secret var":  {map[string]string{"KEYFOB_CONFIG": cfgPath}, []string{"token", "-p", "a"}, ExitUsage, []string{"MISSING_SECRET_VAR"}},
		"malformed config":    {map[string]string{"KEYFOB_CONFIG": bad}, []string{"token", "-p", "a"}, ExitUsage, []string{bad}},
		"unknown flag":        {nil, []string{"token", "--bogus"}, ExitUsage, []string{"bogus"}},
		"literal secret flag": {nil, []string{"token", "--provider", "password", "--password", "hunter2"}, ExitUsage, []string{"reference"}},
		"no provider":         {map[string]string{"KEYFOB_CONFIG": cfgPath}, []string{"token", "-p", "b"}, ExitUsage, []string{"provider"}},
		"bad output":          {nil, []string{"token", "-o", "yaml"}, ExitUsage, []string{"yaml"}},
		"checksum mismatch": {map[string]string{"KEYFOB_CONFIG": cfgPath, "MISSING_SECRET_VAR": "s"},
			[]string{"token", "-p", "a", "--plugin", "/bin/sh", "--plugin-sha256", strings.Repeat("0", 64)}, ExitUsage, []string{strings.Repeat("0", 64)}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, tc.env, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want empty", stdout)
			}
			if n := strings.Count(strings.TrimSpace(stderr), "\n"); n != 0 {
				t.Errorf("stderr has %d lines, want one: %q", n+1, stderr)
			}
			for _, w := range tc.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
			if strings.Contains(stderr, "hunter2") {
				t.Errorf("stderr echoes the secret: %q", stderr)
			}
		})
	}
}
