package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/pflag"
)

// deviceCodeProfile writes a config with profile dc (device_code against
// a server that is never reached) and returns its env and profile values.
func deviceCodeProfile(t *testing.T, extra string) (map[string]string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	toml := "[profiles.dc]\nprovider = \"device_code\"\ntoken_url = \"http://127.0.0.1:9/token\"\nclient_id = \"cli\"\n" + extra
	if err := os.WriteFile(cfg, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"), "KEYFOB_KEYRING": "off"}
	values := map[string]string{"provider": "device_code", "token_url": "http://127.0.0.1:9/token", "client_id": "cli"}
	return env, values
}

func openTestCache(t *testing.T, env map[string]string) *cache.Cache {
	t.Helper()
	c, err := cache.Open(env["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCooldownFailsFast checks that while a sign-in cooldown lasts a call
// with nothing to refresh with exits 4 at once, with the login hint,
// without starting the plugin; and that keyfob login still tries.
func TestCooldownFailsFast(t *testing.T) {
	t.Parallel()
	env, values := deviceCodeProfile(t, "")
	stateKey := tokenkey.State(tokenkey.Request{Values: values})
	n := cache.Negative{Until: time.Now().Add(time.Hour), Kind: cache.NegativeSigninDeclined, Message: "timed out", ExitCode: ExitInteraction}
	if err := openTestCache(t, env).PutNegative(stateKey, n); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	stdout, stderr, code := run(t, env, "token", "-p", "dc")
	if code != ExitInteraction || stdout != "" || time.Since(start) > time.Second {
		t.Fatalf("exit %d after %v, stdout %q, stderr %q; want exit 4 at once", code, time.Since(start), stdout, stderr)
	}
	if !strings.Contains(stderr, "declined or timed out") || !strings.HasSuffix(strings.TrimSpace(stderr), "; run: keyfob login -p dc") {
		t.Errorf("stderr %q", stderr)
	}
	// keyfob login runs the provider, which asks for a person this test
	// has none of: it gets as far as "cannot sign in", past the cooldown.
	_, stderr, code = run(t, env, "login", "-p", "dc")
	if strings.Contains(stderr, "declined") || !strings.Contains(stderr, "cannot sign in") {
		t.Errorf("keyfob login obeyed the cooldown: exit %d, %q", code, stderr)
	}
}

func TestLoginHint(t *testing.T) {
	t.Parallel()
	interaction := fmt.Errorf("sign-in needed: %w", plugin.ErrInteractionRequired)
	flagOnly := &profile{Name: flagOnlyName, flags: map[string][]string{
		"provider": {"device_code"}, "issuer": {"https://idp.example.com"}, "client_id": {"my app"}}}
	tests := map[string]struct {
		c    commonFlags
		p    *profile
		err  error
		want string
	}{
		"named profile": {p: &profile{Name: "repos"}, err: interaction,
			want: "sign-in needed: interaction required; run: keyfob login -p repos"},
		"name to quote": {p: &profile{Name: "it's"}, err: interaction,
			want: `sign-in needed: interaction required; run: keyfob login -p 'it'\''s'`},
		"flag-only profile": {c: commonFlags{scopes: []string{"api://x/.default"}}, p: flagOnly, err: interaction,
			want: "sign-in needed: interaction required; run: keyfob login --client-id 'my app' --issuer https://idp.example.com --provider device_code --scope api://x/.default"},
		"not an interaction error": {p: &profile{Name: "repos"}, err: plugin.Configf("bad key"), want: "bad key"},
		"keyfob login itself": {c: commonFlags{interact: interactOptions{login: true}}, p: &profile{Name: "repos"}, err: interaction,
			want: "sign-in needed: interaction required"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := withLoginHint(tc.err, &tc.c, tc.p)
			if got.Error() != tc.want {
				t.Errorf("got  %q\nwant %q", got.Error(), tc.want)
			}
			if ExitCode(got) != ExitCode(tc.err) || !errors.Is(got, tc.err) {
				t.Errorf("the hint changed the error's meaning: %v", got)
			}
		})
	}
	if withLoginHint(nil, &commonFlags{}, &profile{}) != nil {
		t.Error("a nil error got a hint")
	}
}

// TestNoBrowserFlag checks that --no-browser reaches the plugin as the
// profile key no_browser and turns the host's browser off.
func TestNoBrowserFlag(t *testing.T) {
	t.Parallel()
	var c commonFlags
	fs := pflag.NewFlagSet("token", pflag.ContinueOnError)
	c.register(fs)
	if err := fs.Parse([]string{"--no-browser"}); err != nil {
		t.Fatal(err)
	}
	req := tokenRequest(&c, &profile{Name: "ac", Values: map[string]string{"provider": "authorization_code"}})
	if req.Config["no_browser"] != "true" || !c.interact.noBrowser {
		t.Errorf("config %v, noBrowser %v", req.Config, c.interact.noBrowser)
	}
}
