//go:build linux

package e2e_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
)

// TestThirdPartyPluginTokenChecked: a plugin keyfob did not write is held
// to the same rule as keyfob's own token client (issue 12 item 2): a
// token with a CR/LF or a token type keyfob cannot present is refused
// (exit 5, one line naming the plugin, nothing on stdout), while a good
// token with a lowercase "bearer" type is presented as Bearer. A refused
// token is not cached.
func TestThirdPartyPluginTokenChecked(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	pluginPath := buildFaultPlugin(t, t.TempDir())
	tests := map[string]struct {
		token, typ, wantOut, wantErr string
		wantCode                     int
	}{
		"crlf token":      {token: `abc\r\nX-Injected: evil`, typ: "Bearer", wantCode: 5, wantErr: "characters a bearer token may not have"},
		"escape in token": {token: `abc\u001b]0;pwned\u0007`, typ: "Bearer", wantCode: 5, wantErr: "characters a bearer token may not have"},
		"crlf type":       {token: "abc", typ: `Bearer\r\nX-Evil: 1`, wantCode: 5, wantErr: "is not supported"},
		"mac type":        {token: "abc", typ: "mac", wantCode: 5, wantErr: `token type "mac" is not supported`},
		"good token":      {token: "abc.def-ghi", typ: "bearer", wantOut: "Authorization: Bearer abc.def-ghi\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			cfg := fmt.Sprintf("[profiles.v]\nplugin = %q\nprovider = \"verbatim\"\nx_token = \"%s\"\nx_token_type = \"%s\"\n",
				pluginPath, tc.token, tc.typ)
			vars := env("KEYFOB_CONFIG", harness.WriteConfig(t, home, cfg), "KEYFOB_CACHE_DIR", filepath.Join(home, "cache"))
			for range 2 {
				res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "v", "-o", "header"}, Env: vars})
				if res.ExitCode != tc.wantCode || res.Stdout != tc.wantOut {
					t.Fatalf("exit %d, stdout %q; want %d, %q\nstderr: %s", res.ExitCode, res.Stdout, tc.wantCode, tc.wantOut, res.Stderr)
				}
				if tc.wantErr != "" && (!strings.Contains(res.Stderr, tc.wantErr) || !strings.Contains(res.Stderr, "plugin faultplugin") ||
					strings.Count(strings.TrimSpace(res.Stderr), "\n") > 0 || strings.Contains(res.Stderr, "X-Injected")) {
					t.Errorf("stderr %q: want one line naming the plugin and %q, without the token", res.Stderr, tc.wantErr)
				}
			}
			// A refused token is not cached; a good one is, so the glob sees entries where they are.
			at, _ := filepath.Glob(filepath.Join(home, "cache", "at-*"))
			if refused := tc.wantCode != 0; refused && len(at) != 0 {
				t.Errorf("cache holds access entries %v after a refused token", at)
			} else if !refused && len(at) == 0 {
				t.Errorf("no access entry in the cache after a good token")
			}
		})
	}
}
