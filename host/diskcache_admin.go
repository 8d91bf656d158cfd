package host

import (
	"context"
	"errors"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
)

// CacheListing describes one cache entry or signed-in account for
// listings; it never holds a token or state value.
type CacheListing = cache.Listing

// CacheKindAccount is the Kind of a signed-in account's listing.
const CacheKindAccount = cache.KindAccount

// KeyRequest is what a request's cache keys are derived from (package
// tokenkey): its values, overrides, account and credential fingerprints.
type KeyRequest = tokenkey.Request

// KeyOf derives the key of a token kept beside a request's own (see
// Derived) from the request's KeyRequest.
type KeyOf func(KeyRequest) string

// List lists the cache's entries, then the signed-in accounts with the
// profiles bound to them.
func (c *Cache) List() ([]CacheListing, error) {
	list, err := c.Entries()
	if err != nil {
		return nil, err
	}
	store, err := c.open()
	if err != nil {
		return nil, err
	}
	accounts, err := store.AccountListings()
	return append(list, accounts...), err
}

// Entries lists the cache's tokens, states and remembered failures.
func (c *Cache) Entries() ([]CacheListing, error) {
	store, err := c.open()
	if err != nil {
		return nil, err
	}
	return store.List()
}

// Clear removes every token, state, remembered failure and account.
func (c *Cache) Clear() error {
	store, err := c.open()
	if err != nil {
		return err
	}
	return errors.Join(store.Clear(), store.ClearAccounts())
}

// ClearProfile removes the access tokens of profile name.
func (c *Cache) ClearProfile(name string) error {
	store, err := c.open()
	if err != nil {
		return err
	}
	return store.ClearProfile(name)
}

// Peek returns req's cached access token, valid or not; false when there
// is none or its keys cannot be derived.
func (c *Cache) Peek(req *Request) (*CacheEntry, bool) {
	t, err := c.newCall(req, modeGet)
	if err != nil {
		return nil, false
	}
	return t.disk.Get(t.key)
}

// Drop removes req's cached access token and the tokens kept beside it
// under derived keys, keeping the refresh state: what a host tool's
// erase asks for after a token was rejected. When rejected is not "",
// only that token is dropped.
func (c *Cache) Drop(req *Request, rejected string, derived ...KeyOf) error {
	t, err := c.newCall(req, modeGet)
	if err != nil {
		return err
	}
	keys := []string{t.key}
	for _, k := range derived {
		keys = append(keys, k(t.kreq))
	}
	for _, key := range keys {
		e, ok := t.disk.Get(key)
		if !ok || (rejected != "" && e.AccessToken != rejected) {
			continue
		}
		if err := t.disk.Delete(key); err != nil {
			return err
		}
	}
	return nil
}

// Derived returns the token kept beside req's under the key keyOf
// derives, such as the registry refresh token docker is given for an
// Entra token, when it is valid for req.MinValidity and req does not
// force a refresh.
func (c *Cache) Derived(req *Request, keyOf KeyOf) (*CacheEntry, bool, error) {
	t, err := c.newCall(req, modeGet)
	if err != nil || req.ForceRefresh {
		return nil, false, err
	}
	e, ok := t.disk.Get(keyOf(t.kreq))
	if !ok || !cache.Valid(e, t.now, req.MinValidity) {
		return nil, false, nil
	}
	return e, true, nil
}

// PutDerived keeps e beside req's token under the key keyOf derives.
func (c *Cache) PutDerived(req *Request, keyOf KeyOf, e *CacheEntry) error {
	t, err := c.newCall(req, modeGet)
	if err != nil {
		return err
	}
	return t.disk.Put(keyOf(t.kreq), e)
}

// CacheSealer seals refresh state at rest, as the OS keyring's key does.
type CacheSealer = cache.Sealer

// CachePermissionError is the error of a cache directory or file that is
// not safe to use (another owner, access for group or others).
type CachePermissionError = cache.PermissionError

// Kinds of CacheListing besides CacheKindAccount.
const (
	CacheKindAccess   = cache.KindAccess
	CacheKindState    = cache.KindState
	CacheKindNegative = cache.KindNegative
)

// Dir returns the cache directory the Cache uses.
func (c *Cache) Dir() (string, error) {
	if c.opts.Dir != "" {
		return c.opts.Dir, nil
	}
	return cache.Dir(c.opts.Getenv)
}

// Check opens the cache directory, creating it when missing, and checks
// that it is safe (a *CachePermissionError when it is not).
func (c *Cache) Check() error {
	dir, err := c.Dir()
	if err != nil {
		return err
	}
	_, err = cache.Open(dir, cache.Options{})
	return err
}

// LockKeyring takes the lock that serialises creating the keyring's key
// between keyfob processes.
func (c *Cache) LockKeyring(ctx context.Context) (func(), error) {
	store, err := c.open()
	if err != nil {
		return nil, err
	}
	return store.Lock(ctx, KeyringLockKey, nil)
}

// CacheKind is the kind of a CacheListing.
type CacheKind = cache.Kind
