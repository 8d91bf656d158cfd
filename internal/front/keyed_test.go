package front

import (
	"testing"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/tokenkey"
)

// keyedAccess is the access key of req with its credential fingerprinted
// under c's salt, the environment read through getenv: the key the engine
// stores a token under.
func keyedAccess(t *testing.T, c *cache.Cache, req tokenkey.Request, getenv func(string) string) string {
	t.Helper()
	salt, err := c.Salt()
	if err != nil {
		t.Fatal(err)
	}
	req, err = tokenkey.Keyed(req, salt, config.IsSecret, lookupEnv(getenv))
	if err != nil {
		t.Fatal(err)
	}
	return tokenkey.Access(req, config.IsSecret)
}
