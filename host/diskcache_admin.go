package host

import (
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
	store, err := c.open()
	if err != nil {
		return nil, err
	}
	list, err := store.List()
	if err != nil {
		return nil, err
	}
	accounts, err := store.AccountListings()
	return append(list, accounts...), err
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
