package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
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

func TestDeclined(t *testing.T) {
	t.Parallel()
	overWire := func(err error) error { return plugin.FromStatus(plugin.ToStatus(err)) }
	tests := map[string]struct {
		asked    bool
		err      error
		timedOut bool
		want     bool
	}{
		"nobody asked":                   {asked: false, err: plugin.ErrInteractionRequired},
		"success":                        {asked: true},
		"no answer in time (provider)":   {asked: true, err: overWire(fmt.Errorf("timed out: %w", plugin.ErrInteractionRequired)), want: true},
		"no answer within --timeout":     {asked: true, err: overWire(context.DeadlineExceeded), timedOut: true, want: true},
		"access_denied":                  {asked: true, err: overWire(fmt.Errorf("declined: %w", &plugin.OAuthError{Code: "access_denied", StatusCode: 400})), want: true},
		"authorization_declined (Entra)": {asked: true, err: overWire(&plugin.OAuthError{Code: "authorization_declined", StatusCode: 400}), want: true},
		"expired_token":                  {asked: true, err: &plugin.OAuthError{Code: "expired_token", StatusCode: 400}, want: true},
		"server failing":                 {asked: true, err: overWire(&plugin.OAuthError{Code: "server_error", StatusCode: 500})},
		"bad client":                     {asked: true, err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := declined(tc.asked, tc.err, tc.timedOut); got != tc.want {
				t.Errorf("declined(%v, %v, %v) = %v, want %v", tc.asked, tc.err, tc.timedOut, got, tc.want)
			}
		})
	}
}

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
	_, stderr, code = run(t, env, "login", "-p", "dc")
	if code == ExitInteraction || strings.Contains(stderr, "declined") {
		t.Errorf("keyfob login obeyed the cooldown: exit %d, %q", code, stderr)
	}
}

func TestSigninCooldownSetting(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		value string
		want  time.Duration
		warns bool
	}{
		"default": {"", defaultSigninCooldown, false},
		"set":     {"90s", 90 * time.Second, false},
		"off":     {"0", 0, false},
		"bad":     {"soon", defaultSigninCooldown, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stderr strings.Builder
			e := &Env{Stderr: &stderr, Getenv: func(string) string { return tc.value }}
			if got := e.signinCooldown(); got != tc.want || (stderr.Len() > 0) != tc.warns {
				t.Errorf("signinCooldown() = %v (stderr %q), want %v", got, stderr.String(), tc.want)
			}
		})
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
	e := &Env{Getenv: func(string) string { return "" }}
	req, err := e.buildRequest(&c, &profile{Name: "ac", Values: map[string]string{"provider": "authorization_code"}})
	if err != nil {
		t.Fatal(err)
	}
	if req.Config["no_browser"] != "true" || !c.interact.noBrowser {
		t.Errorf("config %v, noBrowser %v", req.Config, c.interact.noBrowser)
	}
}

// TestSigninLockWaitsForTheSignin checks that a call queued behind
// another process's sign-in waits as long as a sign-in can last, not
// --lock-timeout, when the provider signs people in; others still give
// up after --lock-timeout, with exit 4.
func TestSigninLockWaitsForTheSignin(t *testing.T) {
	t.Parallel()
	const lockTimeout, held = 50 * time.Millisecond, 400 * time.Millisecond
	tests := map[string]struct {
		provider string
		login    bool
		waits    bool
	}{
		"device_code":        {provider: "device_code", waits: true},
		"authorization_code": {provider: "authorization_code", waits: true},
		"keyfob login":       {provider: "client_credentials", login: true, waits: true},
		"client_credentials": {provider: "client_credentials"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cc, err := cache.Open(filepath.Join(t.TempDir(), "cache"), cache.Options{})
			if err != nil {
				t.Fatal(err)
			}
			unlock, err := cc.Lock(context.Background(), "state", nil)
			if err != nil {
				t.Fatal(err)
			}
			time.AfterFunc(held, unlock)
			c := &commonFlags{lockTimeout: lockTimeout}
			c.interact.login = tc.login
			ct := &cachedToken{env: &Env{Stderr: io.Discard}, c: c, cache: cc,
				p: &profile{Name: "p", Values: map[string]string{"provider": tc.provider}}}
			got, err := ct.lockSignin(context.Background(), "state")
			if tc.waits {
				if err != nil {
					t.Fatalf("lockSignin gave up while the other sign-in went on: %v", err)
				}
				got()
				return
			}
			if !errors.Is(err, plugin.ErrInteractionRequired) {
				t.Fatalf("lockSignin() error %v, want exit 4 after --lock-timeout", err)
			}
		})
	}
}
