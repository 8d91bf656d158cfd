package front

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/output"
)

func TestParseToken(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args   []string
		want   tokenRequest
		wantOK bool
	}{
		"none":                {nil, tokenRequest{format: output.Raw, minValidity: time.Minute}, true},
		"short and long":      {[]string{"-p", "g", "--output=json", "--scope", "a", "--scope=b"}, tokenRequest{profile: "g", format: output.JSON, scopes: []string{"a", "b"}, minValidity: time.Minute}, true},
		"min validity":        {[]string{"--min-validity", "10m", "--timeout=5s"}, tokenRequest{format: output.Raw, minValidity: 10 * time.Minute, timeout: 5 * time.Second}, true},
		"force refresh":       {[]string{"--force-refresh"}, tokenRequest{}, false},
		"profile key flag":    {[]string{"--client-id", "x"}, tokenRequest{}, false},
		"bad format":          {[]string{"-o", "yaml"}, tokenRequest{}, false},
		"bad duration":        {[]string{"--min-validity", "soon"}, tokenRequest{}, false},
		"missing value":       {[]string{"-p"}, tokenRequest{}, false},
		"positional":          {[]string{"extra"}, tokenRequest{}, false},
		"claims challenge":    {[]string{"--claims", "{}"}, tokenRequest{}, false},
		"help goes to engine": {[]string{"--help"}, tokenRequest{}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseToken(tc.args)
			if ok != tc.wantOK {
				t.Fatalf("parseToken(%q) ok = %v, want %v", tc.args, ok, tc.wantOK)
			}
			if ok {
				if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(tokenRequest{})); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

// setup writes a config with profile "p" and returns an Env and the cache.
func setup(t *testing.T) (Env, *cache.Cache, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	text := "[profiles.p]\nprovider = \"client_credentials\"\ntoken_url = \"https://idp.example.com/t\"\nclient_id = \"c\"\nclient_secret = \"env:S\"\nscopes = [\"api\"]\n"
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "S": "front-secret"}
	c, err := cache.Open(vars["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.Profile("p")
	if err != nil {
		t.Fatal(err)
	}
	env := Env{Getenv: func(k string) string { return vars[k] }, Home: dir, Now: func() time.Time { return now }}
	return env, c, p.Values
}

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestRunAnswersFromCache(t *testing.T) {
	t.Parallel()
	env, c, values := setup(t)
	key := keyedAccess(t, c, tokenkey.Request{Values: values}, env.Getenv)
	entry := &cache.Entry{AccessToken: "cached-token", TokenType: "Bearer", IssuedAt: now.Add(-10 * time.Minute), ExpiresAt: now.Add(50 * time.Minute)}
	if err := c.Put(key, entry); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args        []string
		wantHandled bool
		wantOut     string
	}{
		"raw":                 {[]string{"token", "-p", "p"}, true, "cached-token\n"},
		"header":              {[]string{"token", "-p", "p", "-o", "header"}, true, "Authorization: Bearer cached-token\n"},
		"json":                {[]string{"token", "-p", "p", "-o", "json"}, true, `{"access_token":"cached-token","token_type":"Bearer","expires_at":"2026-11-22T10:45:00Z"}` + "\n"},
		"needs more validity": {[]string{"token", "-p", "p", "--min-validity", "46m"}, false, ""},
		"negative validity":   {[]string{"token", "-p", "p", "--min-validity", "-1h"}, false, ""},
		"other scopes miss":   {[]string{"token", "-p", "p", "--scope", "other"}, false, ""},
		"unknown profile":     {[]string{"token", "-p", "nope"}, false, ""},
		"other command":       {[]string{"version"}, false, ""},
		"forced refresh":      {[]string{"token", "-p", "p", "--force-refresh"}, false, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			e := env
			e.Args, e.Stdout, e.Stderr = tc.args, &out, &errb
			code, handled := Run(e)
			if handled != tc.wantHandled || (handled && code != 0) {
				t.Fatalf("Run = (%d, %v), want handled %v; stderr %q", code, handled, tc.wantHandled, errb.String())
			}
			if diff := cmp.Diff(tc.wantOut, out.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunDeclinesSoftRefreshAndCorruptEntries(t *testing.T) {
	t.Parallel()
	env, c, values := setup(t)
	key := keyedAccess(t, c, tokenkey.Request{Values: values}, env.Getenv)
	soft := &cache.Entry{AccessToken: "t", IssuedAt: now.Add(-30 * time.Minute), ExpiresAt: now.Add(30 * time.Minute), RefreshAt: now.Add(-time.Minute)}
	if err := c.Put(key, soft); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env.Args, env.Stdout, env.Stderr = []string{"token", "-p", "p"}, &out, &out
	if _, handled := Run(env); handled {
		t.Error("an entry past its refresh_in deadline must go to the engine")
	}
	matches, _ := filepath.Glob(filepath.Join(env.Getenv("KEYFOB_CACHE_DIR"), "at-*.json"))
	for _, m := range matches {
		if err := os.WriteFile(m, []byte("{truncated"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, handled := Run(env); handled || out.Len() != 0 {
		t.Errorf("a corrupt entry must be a miss, not an answer (output %q)", out.String())
	}
}
