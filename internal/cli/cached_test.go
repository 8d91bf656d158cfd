package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/front"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/pflag"
)

// credNow is the fixed clock of the credential tests.
var credNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// credWorld is a configuration whose profiles present every kind of
// credential: a client secret from the environment, a password from a
// file, a client certificate file with its password, a federated token
// file, and (profile rt) a configured refresh token.
type credWorld struct {
	t    *testing.T
	dir  string
	vars map[string]string
}

// credConfig is the configuration; %[1]s is the directory of its files.
const credConfig = `[profiles.pw]
provider = "password"
token_url = "https://idp.example.com/token"
client_id = "app"
client_secret = "env:CRED_SECRET"
username = "alice"
password = "file:%[1]s/password"
client_certificate = "%[1]s/client.pem"
client_certificate_password = "env:CRED_PFX"
client_assertion_file = "%[1]s/federated"

[profiles.rt]
provider = "refresh_token"
token_url = "https://idp.example.com/token"
client_id = "app"
client_secret = "env:CRED_SECRET"
refresh_token = "env:CRED_RT"
`

func newCredWorld(t *testing.T) *credWorld {
	t.Helper()
	dir := t.TempDir()
	w := &credWorld{t: t, dir: dir, vars: map[string]string{
		"KEYFOB_CONFIG": filepath.Join(dir, "config.toml"), "KEYFOB_CACHE_DIR": filepath.Join(dir, "cache"),
		"KEYFOB_KEYRING": "off", "CRED_SECRET": "client-secret-1", "CRED_PFX": "pfx-password-1", "CRED_RT": "refresh-token-1",
	}}
	w.write("config.toml", fmt.Sprintf(credConfig, dir))
	w.write("password", "password-1\n")
	w.write("client.pem", "-----BEGIN CERTIFICATE-----\ncert-1\n-----END CERTIFICATE-----\n")
	w.write("federated", "federated-token-1")
	return w
}

func (w *credWorld) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

func (w *credWorld) env() *Env {
	return &Env{Getenv: func(k string) string { return w.vars[k] }, Now: func() time.Time { return credNow },
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Executable: "/nonexistent/keyfob"}
}

// profile selects profile name as the engine does.
func (w *credWorld) profile(name string) (*Env, *commonFlags, *profile) {
	w.t.Helper()
	env := w.env()
	c := &commonFlags{}
	fs := pflag.NewFlagSet("cred", pflag.ContinueOnError)
	c.register(fs)
	c.profile = name
	p, err := env.selectProfile(c, fs)
	if err != nil {
		w.t.Fatal(err)
	}
	return env, c, p
}

// keys returns the access and state keys of profile name, computed as
// the pipeline and the front compute them.
func (w *credWorld) keys(name string) (access, state string) {
	w.t.Helper()
	env, c, p := w.profile(name)
	req, err := env.keyedRequest(w.cache(), tokenkey.Request{Values: p.Values, Scopes: c.scopes})
	if err != nil {
		w.t.Fatal(err)
	}
	return tokenkey.Access(req, config.IsSecret), tokenkey.State(req)
}

// cache opens the world's cache directory.
func (w *credWorld) cache() *cache.Cache {
	w.t.Helper()
	cc, err := cache.Open(w.vars["KEYFOB_CACHE_DIR"], cache.Options{})
	if err != nil {
		w.t.Fatal(err)
	}
	return cc
}

// ask runs the engine's pipeline for profile name against g, forcing a
// refresh so g is asked.
func (w *credWorld) ask(name string, g host.TokenGetter) (*host.CacheEntry, error) {
	w.t.Helper()
	env, c, p := w.profile(name)
	c.forceRefresh = true
	return env.tokensWith(g, c, p).Entry(context.Background(), tokenRequest(c, p))
}

func TestCredentialInTheKeys(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		profile               string
		change                func(w *credWorld)
		sameAccess, sameState bool
	}{
		"nothing changed":                       {"pw", func(*credWorld) {}, true, true},
		"another client secret":                 {"pw", func(w *credWorld) { w.vars["CRED_SECRET"] = "client-secret-2" }, false, true},
		"another password":                      {"pw", func(w *credWorld) { w.write("password", "password-2\n") }, false, false},
		"certificate replaced at the same path": {"pw", func(w *credWorld) { w.write("client.pem", "other cert") }, false, true},
		"another certificate password":          {"pw", func(w *credWorld) { w.vars["CRED_PFX"] = "pfx-password-2" }, false, true},
		"a new federated token":                 {"pw", func(w *credWorld) { w.write("federated", "federated-token-2") }, true, true},
		"another refresh token":                 {"rt", func(w *credWorld) { w.vars["CRED_RT"] = "refresh-token-2" }, false, false},
		"refresh_token, another client secret":  {"rt", func(w *credWorld) { w.vars["CRED_SECRET"] = "client-secret-2" }, false, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newCredWorld(t)
			access, state := w.keys(tc.profile)
			tc.change(w)
			access2, state2 := w.keys(tc.profile)
			if (access == access2) != tc.sameAccess || (state == state2) != tc.sameState {
				t.Errorf("same access key %v, same state key %v; want %v, %v", access == access2, state == state2, tc.sameAccess, tc.sameState)
			}
		})
	}
}

func TestUnreadableCredentialIsAConfigurationError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change func(w *credWorld)
		want   string
	}{
		"env variable unset":    {func(w *credWorld) { delete(w.vars, "CRED_SECRET") }, "key client_secret: environment variable CRED_SECRET is not set"},
		"secret file deleted":   {func(w *credWorld) { _ = os.Remove(filepath.Join(w.dir, "password")) }, "key password: secret file"},
		"certificate file gone": {func(w *credWorld) { _ = os.Remove(filepath.Join(w.dir, "client.pem")) }, "key client_certificate: file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newCredWorld(t)
			key, _ := w.keys("pw")
			if err := w.cache().Put(key, &cache.Entry{AccessToken: "cached", ExpiresAt: credNow.Add(time.Hour), IssuedAt: credNow}); err != nil {
				t.Fatal(err)
			}
			tc.change(w)
			var stdout, stderr bytes.Buffer
			env := *w.env()
			env.Args, env.Stdout, env.Stderr = []string{"token", "-p", "pw"}, &stdout, &stderr
			code := Main(context.Background(), env)
			if code != ExitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, stdout.String(), stderr.String(), tc.want)
			}
		})
	}
}

func TestNegativeMinValidityRefused(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	var stdout, stderr bytes.Buffer
	env := *w.env()
	env.Args, env.Stdout, env.Stderr = []string{"token", "-p", "pw", "--min-validity", "-1h"}, &stdout, &stderr
	if code := Main(context.Background(), env); code != ExitUsage || stdout.Len() != 0 || !strings.Contains(stderr.String(), "--min-validity -1h0m0s is negative") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 naming --min-validity", code, stdout.String(), stderr.String())
	}
}

func TestNegativeCacheIsPerCredential(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	w.vars["CRED_SECRET"] = "wrong-secret"
	refusal := fixedGetter{err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401, Host: "idp.example.com"}}
	if _, err := w.ask("pw", refusal); err == nil {
		t.Fatal("a refused client got a token")
	}
	if _, err := w.ask("pw", fixedGetter{tok: &host.Token{AccessToken: plugin.NewSecret("t")}}); err == nil || !strings.Contains(err.Error(), "remembered until") {
		t.Fatalf("the refusal was not remembered for the wrong secret: %v", err)
	}
	w.vars["CRED_SECRET"] = "client-secret-1"
	if _, err := w.ask("pw", fixedGetter{tok: &host.Token{AccessToken: plugin.NewSecret("t")}}); err != nil {
		t.Errorf("the wrong secret's refusal blocks the right one: %v", err)
	}
}

func TestThrottleMessageSaysWhatIsDone(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	_, err := w.ask("pw", fixedGetter{err: &plugin.OAuthError{StatusCode: 429, Host: "idp.example.com", RetryAfter: 24 * time.Hour}})
	want := "keyfob waits 5m0s, not the 24h0m0s asked for"
	if err == nil || !strings.Contains(err.Error(), want) || ExitCode(err) != ExitUnavailable {
		t.Errorf("error %v (exit %d); want exit 5 saying %q", err, ExitCode(err), want)
	}
	key, _ := w.keys("pw")
	n, ok := w.cache().GetNegative(key, credNow)
	if !ok || !strings.Contains(n.Message, want) || n.Until.After(credNow.Add(5*time.Minute+time.Second)) {
		t.Errorf("remembered %+v, %v; want 5 minutes and the same note", n, ok)
	}
}

func TestStoreCapsTheCachedLifetime(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		expiresAt  time.Time
		wantCached time.Time // zero: not cached
	}{
		"an hour":         {credNow.Add(time.Hour), credNow.Add(time.Hour)},
		"ten years":       {credNow.Add(10 * 365 * 24 * time.Hour), credNow.Add(cache.MaxLifetime)},
		"already expired": {credNow.Add(-time.Minute), time.Time{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newCredWorld(t)
			if _, err := w.ask("pw", fixedGetter{tok: &host.Token{AccessToken: plugin.NewSecret("tok"), TokenType: "Bearer", ExpiresAt: tc.expiresAt}}); err != nil {
				t.Fatal(err)
			}
			key, _ := w.keys("pw")
			e, ok := w.cache().Get(key)
			switch {
			case tc.wantCached.IsZero() && ok:
				t.Errorf("an expired token was cached until %v", e.ExpiresAt)
			case !tc.wantCached.IsZero() && (!ok || !e.ExpiresAt.Equal(tc.wantCached)):
				t.Errorf("cached %v, %v; want until %v", e, ok, tc.wantCached)
			}
		})
	}
}

// TestFrontAndEngineAgreeOnKeys: a token the engine cached is what the
// front serves for the same profile, credentials read the same way; once
// the certificate is replaced, neither serves it.
func TestFrontAndEngineAgreeOnKeys(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	for _, name := range []string{"pw", "rt"} {
		key, _ := w.keys(name)
		e := &cache.Entry{AccessToken: "token-of-" + name, TokenType: "Bearer", ExpiresAt: credNow.Add(time.Hour), IssuedAt: credNow}
		if err := w.cache().Put(key, e); err != nil {
			t.Fatal(err)
		}
		if env, c, p := w.profile(name); !peeks(env, c, p, e.AccessToken) {
			t.Errorf("the engine does not find its token for %s under the front's key", name)
		}
		if got, handled := runFront(w, name); !handled || got != "token-of-"+name+"\n" {
			t.Errorf("front for %s: handled %v, stdout %q; want the engine's cached token", name, handled, got)
		}
	}
	w.write("client.pem", "another certificate")
	if got, handled := runFront(w, "pw"); handled {
		t.Errorf("front served %q after the certificate was replaced", got)
	}
	if env, c, p := w.profile("pw"); peeks(env, c, p, "token-of-pw") {
		t.Error("the engine served the token after the certificate was replaced")
	}
}

// peeks reports whether the engine's pipeline holds token for p.
func peeks(env *Env, c *commonFlags, p *profile, token string) bool {
	e, ok := env.tokens(c, p).Peek(tokenRequest(c, p))
	return ok && e.AccessToken == token
}

func runFront(w *credWorld, profile string) (stdout string, handled bool) {
	var out bytes.Buffer
	_, handled = front.Run(front.Env{Program: "keyfob", Args: []string{"token", "-p", profile}, Stdout: &out, Stderr: io.Discard,
		Getenv: func(k string) string { return w.vars[k] }, Home: w.dir, Now: func() time.Time { return credNow }})
	return out.String(), handled
}

// TestCacheHoldsNoUnsaltedSecretHash: after an access token, refresh
// state and a remembered refusal are stored for profiles with every kind
// of credential, no cache file's name or content holds a secret, nor its
// SHA-256 in hex or base64: only the salted fingerprint.
func TestCacheHoldsNoUnsaltedSecretHash(t *testing.T) {
	t.Parallel()
	w := newCredWorld(t)
	for _, name := range []string{"pw", "rt"} {
		if _, err := w.ask(name, fixedGetter{tok: &host.Token{AccessToken: plugin.NewSecret("at-" + name), ExpiresAt: credNow.Add(time.Hour), State: []byte("state")}}); err != nil {
			t.Fatal(err)
		}
		_, _ = w.ask(name, fixedGetter{err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}})
	}
	secrets := []string{"client-secret-1", "pfx-password-1", "refresh-token-1", "password-1",
		"-----BEGIN CERTIFICATE-----\ncert-1\n-----END CERTIFICATE-----\n"}
	var forbidden []string
	for _, s := range secrets {
		forbidden = append(forbidden, s)
		forbidden = append(forbidden, hashForms(s)...)
	}
	files, err := os.ReadDir(w.vars["KEYFOB_CACHE_DIR"])
	if err != nil || len(files) < 5 {
		t.Fatalf("cache files %v, %v; want entries, state and negative entries", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(w.vars["KEYFOB_CACHE_DIR"], f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range forbidden {
			if strings.Contains(f.Name(), bad) || bytes.Contains(b, []byte(bad)) {
				t.Errorf("cache file %s holds a secret or its unsalted hash (%.8s…)", f.Name(), bad)
			}
		}
	}
}

// hashForms are the encodings of s's SHA-256 one could look for.
func hashForms(s string) []string {
	sum := sha256.Sum256([]byte(s))
	h := hex.EncodeToString(sum[:])
	return []string{h, strings.ToUpper(h), base64.StdEncoding.EncodeToString(sum[:]), base64.RawStdEncoding.EncodeToString(sum[:]),
		base64.URLEncoding.EncodeToString(sum[:]), base64.RawURLEncoding.EncodeToString(sum[:])}
}
