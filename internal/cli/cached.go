package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
)

// Negative-cache lifetimes (CONTRACT §7; [cache] item 4): long enough to
// absorb a burst of calls, short enough that a fixed secret works soon.
const (
	invalidClientBackoff = 30 * time.Second
	maxThrottleBackoff   = 5 * time.Minute
	defaultLockTimeout   = 2 * time.Minute
)

// cachedToken is one token request served through the cache: the fast
// path answers from it, otherwise the per-key lock is taken, the cache
// checked again, and the plugin asked with the stored state.
type cachedToken struct {
	env   *Env
	c     *commonFlags
	p     *profile
	cache *cache.Cache
	req   tokenkey.Request
	key   string
	now   time.Time
}

// fromCache returns an entry valid for the caller, and an entry that is
// valid but past its soft refresh deadline (to fall back on) separately.
func (t *cachedToken) fromCache() (fresh, stale *cache.Entry) {
	if t.c.forceRefresh {
		return nil, nil
	}
	e, ok := t.cache.Get(t.key)
	if !ok || !cache.Valid(e, t.now, t.c.minValidity) {
		return nil, nil
	}
	if cache.NeedsRefresh(e, t.now) {
		return nil, e
	}
	return e, nil
}

// getCachedToken answers from the cache, or gets a token and stores it,
// all within the call's timeout (see callTimeout). An error that needs a
// person ends with the keyfob login command that signs in (CONTRACT §5).
func (e *Env) getCachedToken(ctx context.Context, c *commonFlags, p *profile) (*cache.Entry, error) {
	ctx, cancel, err := withCallTimeout(ctx, c, p)
	if err != nil {
		return nil, err
	}
	defer cancel()
	entry, err := e.cachedOrFetched(ctx, c, p)
	return entry, withLoginHint(err, c, p)
}

// cachedOrFetched is getCachedToken without the bound and the hint.
func (e *Env) cachedOrFetched(ctx context.Context, c *commonFlags, p *profile) (*cache.Entry, error) {
	t, err := e.newCachedToken(c, p)
	if err != nil {
		return nil, err
	}
	fresh, stale := t.fromCache()
	if fresh != nil {
		return fresh, nil
	}
	if e, ok, err := t.remembered(stale); ok {
		return e, err
	}
	unlock, err := t.lock(ctx, t.key, "getting a token for")
	if err != nil {
		return nil, err
	}
	defer unlock()
	return t.fetch(ctx)
}

// newCachedToken opens the cache and derives the request's keys, the
// credential's fingerprint included: a secret reference that does not
// resolve, or a key file that cannot be read, is a configuration error
// naming the key (exit 2).
func (e *Env) newCachedToken(c *commonFlags, p *profile) (*cachedToken, error) {
	if c.minValidity < 0 {
		return nil, &usageError{fmt.Errorf("--min-validity %v is negative: give how long a served token must still last, e.g. 1m", c.minValidity)}
	}
	cc, err := e.openCache()
	if err != nil {
		return nil, err
	}
	req, err := e.tokenRequest(cc, c, p)
	if err != nil {
		return nil, err
	}
	req, err = e.keyedRequest(cc, req)
	if err != nil {
		return nil, err
	}
	return &cachedToken{env: e, c: c, p: p, cache: cc, req: req,
		key: tokenkey.Access(req, config.IsSecret), now: e.Now()}, nil
}

// keyedRequest sets req's credential fingerprints under the cache's salt,
// reading the secrets the way the front does (see tokenkey.Keyed).
func (e *Env) keyedRequest(cc *cache.Cache, req tokenkey.Request) (tokenkey.Request, error) {
	salt, err := cc.Salt()
	if err != nil {
		return req, plugin.Configf("%v", err)
	}
	req, err = tokenkey.Keyed(req, salt, config.IsSecret, e.lookupEnv)
	if err != nil {
		return req, plugin.Configf("%v", err)
	}
	return req, nil
}

// lock takes the lock on key, bounded by --lock-timeout, telling the user
// when it has to wait for another process doing what (e.g. "getting a
// token for") the profile.
func (t *cachedToken) lock(ctx context.Context, key, doing string) (func(), error) {
	timeout := t.c.lockTimeout
	if timeout <= 0 {
		timeout = defaultLockTimeout
	}
	lctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	unlock, err := t.cache.Lock(lctx, key, func() {
		fmt.Fprintf(t.env.Stderr, "keyfob: waiting for another keyfob process %s profile %q\n", doing, t.p.Name)
	})
	if errors.Is(err, cache.ErrInsecure) {
		return nil, plugin.Configf("%v", err) // a symbolic link or a FIFO at the lock path
	}
	return unlock, err
}

// fetch runs under the lock: look again, then ask the plugin.
func (t *cachedToken) fetch(ctx context.Context) (*cache.Entry, error) {
	t.now = t.env.Now()
	fresh, stale := t.fromCache()
	if fresh != nil {
		return fresh, nil
	}
	if e, ok, err := t.remembered(stale); ok {
		return e, err
	}
	if err := t.sealState(ctx); err != nil {
		return nil, err
	}
	return t.viaPlugin(ctx, stale)
}

// failed handles a failed request: the still-valid token is served when
// only the soft refresh failed; throttling and invalid_client are
// remembered across processes.
func (t *cachedToken) failed(err error, stale *cache.Entry) (*cache.Entry, error) {
	if stale != nil {
		fmt.Fprintf(t.env.Stderr, "keyfob: early refresh failed, serving the still-valid token: %s\n", oneLine(err.Error()))
		return stale, nil
	}
	err = withBackoffNote(err)
	if n, ok := negativeFor(err, t.env.Now()); ok {
		_ = t.cache.PutNegative(t.key, n)
	}
	return nil, err
}

// withBackoffNote adds to a throttling error whose Retry-After is longer
// than keyfob remembers it what keyfob does instead, so the message does
// not promise a wait of a day when the next call asks after minutes.
func withBackoffNote(err error) error {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) || oe.StatusCode != 429 || oe.RetryAfter <= maxThrottleBackoff {
		return err
	}
	return fmt.Errorf("%w; keyfob waits %v, not the %v asked for, before asking the server again", err, maxThrottleBackoff, oe.RetryAfter)
}

func (t *cachedToken) storeState(key string, tok *host.Token) {
	var err error
	switch {
	case tok.ClearState:
		err = t.cache.DeleteState(key)
	case len(tok.State) > 0:
		err = t.cache.PutState(key, tok.State)
	}
	if err != nil {
		fmt.Fprintf(t.env.Stderr, "keyfob: warning: could not store the refresh state: %s\n", oneLine(err.Error()))
	}
}

// store keeps the token in the cache and returns it as an entry. The
// cached lifetime is capped (see cache.CacheExpiry), and hosts are told
// the capped expiry too; a token without an expiry, or already past it,
// is served but not cached.
func (t *cachedToken) store(tok *host.Token) *cache.Entry {
	e := &cache.Entry{
		AccessToken: tok.AccessToken.Reveal(), TokenType: tok.TokenType, ExpiresAt: tok.ExpiresAt,
		IssuedAt: t.now, RefreshAt: tok.RefreshAt, Scope: tok.Scope, IDToken: tok.IDToken.Reveal(),
		Account: tok.Account, Profile: t.p.Name, Scopes: tokenkey.Scopes(t.req),
	}
	if tok.NoCache || e.ExpiresAt.IsZero() {
		return e
	}
	exp := cache.CacheExpiry(e, t.now)
	if !exp.After(t.now) {
		return e
	}
	e.ExpiresAt = exp
	if err := t.cache.Put(t.key, e); err != nil && !errors.Is(err, cache.ErrNotCacheable) {
		fmt.Fprintf(t.env.Stderr, "keyfob: warning: could not cache the token: %s\n", oneLine(err.Error()))
	}
	return e
}

// negativeFor decides whether a failure is remembered, and for how long.
func negativeFor(err error, now time.Time) (cache.Negative, bool) {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) {
		return cache.Negative{}, false
	}
	msg := oneLine(err.Error())
	switch {
	case oe.StatusCode == 429 && oe.RetryAfter > 0:
		return cache.Negative{Until: now.Add(min(oe.RetryAfter, maxThrottleBackoff)), Kind: cache.NegativeThrottled,
			Message: msg, ExitCode: ExitUnavailable}, true
	case oe.Code == "invalid_client":
		return cache.Negative{Until: now.Add(invalidClientBackoff), Kind: cache.NegativeInvalidClient,
			Message: msg, ExitCode: ExitRefused}, true
	}
	return cache.Negative{}, false
}

// negativeError replays a remembered failure with its exit code.
func negativeError(n *cache.Negative) error {
	sentinel := plugin.ErrRefused
	if n.ExitCode == ExitUnavailable {
		sentinel = plugin.ErrUnavailable
	}
	return fmt.Errorf("%s (remembered until %s; not asking the server again yet): %w",
		n.Message, n.Until.UTC().Format(time.RFC3339), sentinel)
}
