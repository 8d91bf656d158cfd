package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/keyspec"
	"github.com/keyfob/keyfob/plugin"
)

// diskGetter is a TokenGetter standing for a plugin: its n-th token (from
// 1) is "disk-n" with state "state-n", valid for an hour; err, when set,
// fails every call. It records the requests it gets.
type diskGetter struct {
	err  error
	asks func(ctx context.Context) // called during each call, e.g. to ask a person
	mu   sync.Mutex
	got  []Request
}

func (g *diskGetter) GetToken(ctx context.Context, req *Request) (*Token, error) {
	g.mu.Lock()
	g.got = append(g.got, *req)
	n := len(g.got)
	g.mu.Unlock()
	if g.asks != nil {
		g.asks(ctx)
	}
	if g.err != nil {
		return nil, g.err
	}
	tok := &Token{AccessToken: plugin.NewSecret(fmt.Sprintf("disk-%d", n)), TokenType: "Bearer",
		State: []byte(fmt.Sprintf("state-%d", n)), ExpiresAt: time.Now().Add(time.Hour)}
	return tok, nil
}

func (g *diskGetter) calls() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.got...)
}

// testEnv is the environment of the Cache tests: no OS keyring.
func testEnv(vars map[string]string) func(string) string {
	return func(k string) string {
		if k == "KEYFOB_KEYRING" {
			return "off"
		}
		return vars[k]
	}
}

// ccRequest is a client_credentials request with its secret in $S.
func ccRequest() *Request {
	return &Request{Provider: "client_credentials", MinValidity: time.Minute, Config: map[string]string{
		"token_url": "https://idp.example/token", "client_id": "app", "client_secret": "env:S",
		"hosts": `["git.example"]`, "git_username": "me", "scopes": `["api"]`}}
}

// cacheDir is a cache directory Open creates, so with mode 0700.
func cacheDir(t *testing.T) string { return filepath.Join(t.TempDir(), "cache") }

func newTestCache(t *testing.T, dir string, g TokenGetter, opts CacheOptions) *Cache {
	t.Helper()
	opts.Dir, opts.Getenv = dir, testEnv(map[string]string{"S": "s3cret"})
	if opts.Profile == "" {
		opts.Profile = "cc"
	}
	return NewCache(g, opts)
}

// TestCacheSharesTokensAcrossCaches checks that Caches on one directory —
// as separate processes have — ask the getter once between them, even
// when they all miss at the same moment (the lock and the look again).
func TestCacheSharesTokensAcrossCaches(t *testing.T) {
	t.Parallel()
	dir, g := cacheDir(t), &diskGetter{}
	var wg sync.WaitGroup
	tokens := make([]string, 8)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := newTestCache(t, dir, g, CacheOptions{}).GetToken(t.Context(), ccRequest())
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken.Reveal()
		}()
	}
	wg.Wait()
	if n := len(g.calls()); n != 1 {
		t.Fatalf("getter asked %d times, want 1", n)
	}
	for i, tok := range tokens {
		if tok != "disk-1" {
			t.Errorf("caller %d got %q, want disk-1", i, tok)
		}
	}
}

// TestCacheKeysAreTheCLIs checks that the Cache stores a token under the
// key tokenkey computes from the profile's values (the CLI's and the
// front's), so the CLI serves what a Go host stored.
func TestCacheKeysAreTheCLIs(t *testing.T) {
	t.Parallel()
	dir := cacheDir(t)
	if _, err := newTestCache(t, dir, &diskGetter{}, CacheOptions{}).GetToken(t.Context(), ccRequest()); err != nil {
		t.Fatal(err)
	}
	store, err := cache.Open(dir, cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	salt, err := store.Salt()
	if err != nil {
		t.Fatal(err)
	}
	req := ccRequest()
	values := profileValues(req)
	kreq, err := tokenkey.Keyed(tokenkey.Request{Values: values}, salt, keyspec.IsSecret,
		func(k string) (string, bool) { return map[string]string{"S": "s3cret"}[k], k == "S" })
	if err != nil {
		t.Fatal(err)
	}
	e, ok := store.Get(tokenkey.Access(kreq, keyspec.IsSecret))
	if !ok || e.AccessToken != "disk-1" || e.Profile != "cc" || strings.Join(e.Scopes, " ") != "api" {
		t.Fatalf("entry under the CLI's key: %v, %v", e, ok)
	}
	if st, ok, _ := store.GetState(tokenkey.State(kreq)); !ok || string(st) != "state-1" {
		t.Errorf("state under the CLI's key: %q, %v", st, ok)
	}
}

// TestCacheSendsResolvedConfigWithoutHostKeys checks what the getter
// sees: secret references resolved, the host's own keys gone, the stored
// state on a forced refresh.
func TestCacheSendsResolvedConfigWithoutHostKeys(t *testing.T) {
	t.Parallel()
	dir, g := cacheDir(t), &diskGetter{}
	c := newTestCache(t, dir, g, CacheOptions{})
	for _, force := range []bool{false, true} {
		req := ccRequest()
		req.ForceRefresh = force
		if _, err := c.GetToken(t.Context(), req); err != nil {
			t.Fatal(err)
		}
	}
	calls := g.calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls, want 2", len(calls))
	}
	cfg := calls[0].Config
	if cfg["client_secret"] != "s3cret" || cfg["hosts"] != "" || cfg["git_username"] != "" || cfg["client_id"] != "app" {
		t.Errorf("getter saw %v", cfg)
	}
	if string(calls[0].State) != "" || string(calls[1].State) != "state-1" {
		t.Errorf("states sent %q, %q; want none, then state-1", calls[0].State, calls[1].State)
	}
}

// TestCacheRemembersInvalidClient checks that a refused client is not
// asked again by the next caller, which gets the refusal's kind.
func TestCacheRemembersInvalidClient(t *testing.T) {
	t.Parallel()
	dir := cacheDir(t)
	g := &diskGetter{err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}}
	if _, err := newTestCache(t, dir, g, CacheOptions{}).GetToken(t.Context(), ccRequest()); err == nil {
		t.Fatal("a refused client got a token")
	}
	_, err := newTestCache(t, dir, g, CacheOptions{}).GetToken(t.Context(), ccRequest())
	if !errors.Is(err, plugin.ErrRefused) || !strings.Contains(err.Error(), "not asking the server again yet") {
		t.Fatalf("second call: %v, want the remembered refusal", err)
	}
	if n := len(g.calls()); n != 1 {
		t.Errorf("getter asked %d times, want 1", n)
	}
}

// askedInteraction is a CallInteraction that reports a person was asked.
type askedInteraction struct {
	plugin.Interaction
	forbid string
	closed bool
}

func (a *askedInteraction) Asked() bool  { return true }
func (a *askedInteraction) Close() error { a.closed = true; return nil }

// TestCacheSigninCooldown checks that a declined sign-in makes the next
// call fail at once with a need for a person, and that SignIn ignores
// the cooldown; the getter got the call's Interaction in its context.
func TestCacheSigninCooldown(t *testing.T) {
	t.Parallel()
	dir := cacheDir(t)
	var seen []plugin.Interaction
	g := &diskGetter{err: &plugin.OAuthError{Code: "access_denied", StatusCode: 400}}
	g.asks = func(ctx context.Context) { seen = append(seen, interactionFrom(ctx, nil)) }
	var msgs bytes.Buffer
	opts := CacheOptions{Interactive: true, Messages: &msgs,
		Interaction: func(forbid string) CallInteraction { return &askedInteraction{forbid: forbid} }}
	if _, err := newTestCache(t, dir, g, opts).GetToken(t.Context(), ccRequest()); err == nil {
		t.Fatal("declined sign-in succeeded")
	}
	_, err := newTestCache(t, dir, g, opts).GetToken(t.Context(), ccRequest())
	if !errors.Is(err, plugin.ErrInteractionRequired) || !strings.Contains(err.Error(), "declined or timed out") {
		t.Fatalf("call during the cooldown: %v", err)
	}
	if n := len(g.calls()); n != 1 {
		t.Fatalf("getter asked %d times during the cooldown, want 1", n)
	}
	g.err = nil
	e, err := newTestCache(t, dir, g, opts).SignIn(t.Context(), ccRequest())
	if err != nil || e.AccessToken != "disk-2" {
		t.Fatalf("SignIn: %v, %v", e, err)
	}
	if p := g.calls()[1].Config["prompt"]; p != "select_account" {
		t.Errorf("SignIn sent prompt %q", p)
	}
	if len(seen) != 2 || seen[0] == nil || !seen[0].(*askedInteraction).closed {
		t.Errorf("interactions seen by the getter: %v", seen)
	}
}

// TestCacheSignOut checks that SignOut revokes the stored state and
// deletes it with the profile's tokens.
func TestCacheSignOut(t *testing.T) {
	t.Parallel()
	dir, g := cacheDir(t), &diskGetter{}
	c := newTestCache(t, dir, g, CacheOptions{})
	if _, err := c.GetToken(t.Context(), ccRequest()); err != nil {
		t.Fatal(err)
	}
	var revoked string
	if err := c.SignOut(t.Context(), ccRequest(), func(_ context.Context, st []byte) { revoked = string(st) }); err != nil {
		t.Fatal(err)
	}
	if revoked != "state-1" {
		t.Errorf("revoke got %q, want state-1", revoked)
	}
	req := ccRequest()
	if _, err := c.GetToken(t.Context(), req); err != nil || len(g.calls()) != 2 || g.calls()[1].State != nil {
		t.Errorf("after SignOut: %v, calls %v", err, g.calls())
	}
}

func TestCallTimeout(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		opts   CacheOptions
		values map[string]string
		mode   mode
		want   time.Duration
		bad    bool
	}{
		"non-interactive default": {want: DefaultTimeout},
		"option wins":             {opts: CacheOptions{Timeout: 5 * time.Second, Interactive: true}, values: map[string]string{"timeout": "1m"}, want: 5 * time.Second},
		"timeout key":             {values: map[string]string{"timeout": "45s"}, want: 45 * time.Second},
		"timeout key in seconds":  {values: map[string]string{"timeout": "90"}, want: 90 * time.Second},
		"bad timeout key":         {values: map[string]string{"timeout": "soon"}, bad: true},
		"zero timeout key":        {values: map[string]string{"timeout": "0"}, bad: true},
		"interactive":             {opts: CacheOptions{Interactive: true}, want: MaxSigninWait},
		"sign-in":                 {mode: modeLogin, want: MaxSigninWait},
		"sign-out":                {mode: modeLogout, want: DefaultTimeout},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := NewCache(nil, tc.opts).callTimeout(&Request{Config: tc.values}, tc.mode)
			if (err != nil) != tc.bad || (!tc.bad && got != tc.want) {
				t.Errorf("callTimeout() = %v, %v; want %v (error %v)", got, err, tc.want, tc.bad)
			}
			if tc.bad && plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("error %v is not a configuration error", err)
			}
		})
	}
}
