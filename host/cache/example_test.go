package cache_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/keyfob/keyfob/host/cache"
)

// The single-flight pattern of a credential helper: look, lock, look
// again, fetch, store.
func Example() {
	dir, _ := os.MkdirTemp("", "keyfob-example")
	defer os.RemoveAll(dir)
	c, err := cache.Open(dir, cache.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	key := cache.AccessKey(cache.KeyParts{
		Provider:  "client_credentials",
		Authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com",
		ClientID:  "00000000-0000-0000-0000-000000000001",
		Scopes:    []string{"https://graph.microsoft.com/.default"},
	})

	token := func() *cache.Entry {
		if e, ok := c.Get(key); ok && cache.Valid(e, now, cache.DefaultMinValidity) {
			return e
		}
		unlock, err := c.Lock(context.Background(), key, func() {
			fmt.Fprintln(os.Stderr, "waiting for another keyfob ...")
		})
		if err != nil {
			return nil
		}
		defer unlock()
		if e, ok := c.Get(key); ok && cache.Valid(e, now, cache.DefaultMinValidity) {
			return e // another process fetched it while we waited
		}
		e := &cache.Entry{AccessToken: "fetched", TokenType: "Bearer", IssuedAt: now,
			ExpiresAt: now.Add(time.Hour), Profile: "graph"} // from the plugin
		_ = c.Put(key, e)
		return e
	}

	fmt.Println(token().AccessToken, cache.HostExpiry(token()).Format(time.RFC3339))
	// Output: fetched 2026-03-01T12:55:00Z
}
