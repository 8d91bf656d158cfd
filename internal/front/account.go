package front

import (
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
)

// boundAccount is the account profile name, with values, uses when it
// names none, as the engine decides it (host's boundAccount): the one it
// is bound to, else the only one signed in for its client, else "". The
// accounts file is read without a lock (it is replaced atomically). ok is
// false, to decline, when the file cannot be read or several accounts are
// signed in and none is bound: the engine then explains.
func boundAccount(c *cache.Cache, name string, values map[string]string) (id string, ok bool) {
	if tokenkey.NamesAccount(values) {
		return "", true
	}
	a, err := c.GetAccounts(tokenkey.AccountScope(values))
	if err != nil {
		return "", false
	}
	id, err = a.For(name)
	return id, err == nil
}
