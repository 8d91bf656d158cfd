package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestBuiltinProvidersInProcess: keyfob's own providers run in the
// engine, so a token comes without the plugin executable (the tests'
// Executable does not exist); KEYFOB_PLUGIN_MODE=process, a pinned
// plugin_sha256 and azure_cli still launch it; a bad switch is a
// configuration error.
func TestBuiltinProvidersInProcess(t *testing.T) {
	t.Parallel()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "in-process-token", "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(srv.Close)
	cfg := filepath.Join(t.TempDir(), "config.toml")
	toml := fmt.Sprintf("[profiles.cc]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s\"\n"+
		"[profiles.pinned]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = \"c\"\nclient_secret = \"s\"\nplugin_sha256 = %q\n"+
		"[profiles.az]\nprovider = \"azure_cli\"\nscopes = [\"api\"]\n", srv.URL, srv.URL, strings.Repeat("0", 64))
	if err := os.WriteFile(cfg, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		profile, mode string
		wantCode      int
		wantOut       string
		wantErr       string
		wantRequests  int64
	}{
		"in process":            {profile: "cc", wantOut: "in-process-token\n", wantRequests: 1},
		"in process, auto":      {profile: "cc", mode: "auto", wantOut: "in-process-token\n", wantRequests: 1},
		"switch: process":       {profile: "cc", mode: "process", wantCode: ExitUsage, wantErr: "plugin /nonexistent/keyfob cannot be started"},
		"checksum pinned":       {profile: "pinned", wantCode: ExitUsage, wantErr: "/nonexistent/keyfob"},
		"azure_cli":             {profile: "az", wantCode: ExitUsage, wantErr: "plugin /nonexistent/keyfob cannot be started"},
		"switch: unknown value": {profile: "cc", mode: "inproc", wantCode: ExitUsage, wantErr: `KEYFOB_PLUGIN_MODE="inproc": want process or auto`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			before := requests.Load()
			env := map[string]string{"KEYFOB_CONFIG": cfg, pluginModeEnv: tc.mode}
			stdout, stderr, code := run(t, env, "token", "-p", tc.profile)
			if code != tc.wantCode || stdout != tc.wantOut || !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q, stderr naming %q", code, stdout, stderr, tc.wantCode, tc.wantOut, tc.wantErr)
			}
			if got := requests.Load() - before; got != tc.wantRequests {
				t.Errorf("%d token requests, want %d", got, tc.wantRequests)
			}
		})
	}
}
