package host

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/plugin"
)

// DefaultLockTimeout is how long a call waits for another process getting
// the same token when CacheOptions.LockTimeout is zero.
const DefaultLockTimeout = 2 * time.Minute

// mode is what a call is for.
type mode int

const (
	modeGet    mode = iota // a token, from the cache when it can
	modeLogin              // a sign-in afresh (Cache.SignIn)
	modeLogout             // a sign-out (Cache.SignOut)
)

// call is one request served through the cache: the fast path answers
// from it, otherwise the per-key lock is taken, the cache checked again,
// and the getter asked with the stored state.
type call struct {
	c      *Cache
	req    *Request
	mode   mode
	values map[string]string // the key values: Config with Provider
	disk   *cache.Cache
	kreq   tokenkey.Request
	key    string
	now    time.Time
}

// newCall opens the cache and derives the request's keys, the
// credential's fingerprint included: a secret reference that does not
// resolve, or a key file that cannot be read, is a configuration error
// naming the key.
func (c *Cache) newCall(req *Request, m mode) (*call, error) {
	store, err := c.open()
	if err != nil {
		return nil, err
	}
	t := &call{c: c, req: req, mode: m, values: profileValues(req), disk: store}
	kreq, err := t.keyRequest()
	if err != nil {
		return nil, err
	}
	t.kreq, t.key, t.now = kreq, tokenkey.Access(kreq, c.opts.IsSecret), c.opts.Now()
	return t, nil
}

// keyRequest is the call's key request: its values, scopes and claims,
// the account it is bound to, and its credential fingerprints under the
// cache's salt, the secrets read the way the lean front reads them.
func (t *call) keyRequest() (tokenkey.Request, error) {
	kreq := keyRequest(t.values, t.req)
	var err error
	if kreq.Account, err = t.boundAccount(); err != nil {
		return kreq, err
	}
	salt, err := t.disk.Salt()
	if err != nil {
		return kreq, plugin.Configf("%v", err)
	}
	kreq, err = tokenkey.Keyed(kreq, salt, t.c.opts.IsSecret, t.c.lookupEnv)
	if err != nil {
		return kreq, plugin.Configf("%v", err)
	}
	return kreq, nil
}

// again is a new call for the same request, under the keys it has now.
func (t *call) again() (*call, error) { return t.c.newCall(t.req, t.mode) }

// fromCache returns an entry valid for the caller, and an entry that is
// valid but past its soft refresh deadline (to fall back on) separately.
func (t *call) fromCache() (fresh, stale *cache.Entry) {
	if t.req.ForceRefresh {
		return nil, nil
	}
	e, ok := t.disk.Get(t.key)
	if !ok || !cache.Valid(e, t.now, t.req.MinValidity) {
		return nil, nil
	}
	if cache.NeedsRefresh(e, t.now) {
		return nil, e
	}
	return e, nil
}

// lock takes the lock on key, bounded by LockTimeout, telling the person
// when it has to wait for another process doing what (e.g. "getting a
// token for") the profile.
func (t *call) lock(ctx context.Context, key, doing string) (func(), error) {
	lctx, cancel := context.WithTimeout(ctx, t.c.lockTimeout())
	defer cancel()
	unlock, err := t.disk.Lock(lctx, key, func() {
		fmt.Fprintf(t.c.opts.Messages, "keyfob: waiting for another keyfob process %s profile %q\n", doing, t.c.opts.Profile)
	})
	if errors.Is(err, cache.ErrInsecure) {
		return nil, plugin.Configf("%v", err) // a symbolic link or a FIFO at the lock path
	}
	return unlock, err
}

// lockTimeout is LockTimeout or its default.
func (c *Cache) lockTimeout() time.Duration {
	return orDuration(c.opts.LockTimeout, DefaultLockTimeout)
}

// fetch runs under the lock: look again, then ask the getter.
func (t *call) fetch(ctx context.Context) (*cache.Entry, error) {
	t.now = t.c.opts.Now()
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
	return t.viaGetter(ctx, stale)
}

// storeState keeps or drops the refresh state the token came with.
func (t *call) storeState(key string, tok *Token) {
	var err error
	switch {
	case tok.ClearState:
		err = t.disk.DeleteState(key)
	case len(tok.State) > 0:
		err = t.disk.PutState(key, tok.State)
	}
	if err != nil {
		t.c.warn("could not store the refresh state", err)
	}
}

// store keeps the token in the cache and returns it as an entry. The
// cached lifetime is capped (see cache.CacheExpiry), and hosts are told
// the capped expiry too; a token without an expiry, or already past it,
// is served but not cached.
func (t *call) store(tok *Token) *cache.Entry {
	e := &cache.Entry{
		AccessToken: tok.AccessToken.Reveal(), TokenType: tok.TokenType, ExpiresAt: tok.ExpiresAt,
		IssuedAt: t.now, RefreshAt: tok.RefreshAt, Scope: tok.Scope, IDToken: tok.IDToken.Reveal(),
		Account: tok.Account, Profile: t.c.opts.Profile, Scopes: tokenkey.Scopes(t.kreq),
	}
	if tok.NoCache || e.ExpiresAt.IsZero() {
		return e
	}
	exp := cache.CacheExpiry(e, t.now)
	if !exp.After(t.now) {
		return e
	}
	e.ExpiresAt = exp
	if err := t.disk.Put(t.key, e); err != nil && !errors.Is(err, cache.ErrNotCacheable) {
		t.c.warn("could not cache the token", err)
	}
	return e
}
