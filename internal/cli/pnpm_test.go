package cli

import (
	"strings"
	"testing"
)

func TestPnpm(t *testing.T) {
	t.Parallel()
	vars := newToolVars(t)
	tests := map[string]struct {
		vars       map[string]string
		args       []string
		golden     string
		wantCode   int
		wantStderr string
	}{
		"-p":              {vars: vars, args: []string{"pnpm", "-p", "repos"}, golden: "pnpm-repos"},
		"KEYFOB_PROFILE":  {vars: with(vars, "KEYFOB_PROFILE", "gcp"), args: []string{"pnpm"}, golden: "pnpm-gcp"},
		"default_profile": {vars: vars, args: []string{"pnpm"}, golden: "pnpm-dflt"},
		"unknown profile": {vars: vars, args: []string{"pnpm", "-p", "nope"}, wantCode: ExitUsage, wantStderr: `"nope"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := toolRun(t, tc.vars, "", tc.args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			if tc.golden != "" {
				toolGolden(t, tc.golden, stdout)
				if stderr != "" {
					t.Errorf("stderr = %q, want nothing", stderr)
				}
				return
			}
			if stdout != "" || !containsAll(stderr, tc.wantStderr) {
				t.Errorf("stdout %q, stderr %q; want no stdout and stderr naming %q", stdout, stderr, tc.wantStderr)
			}
		})
	}
}

// containsAll reports whether s contains every sub.
func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
