package front

import (
	"maps"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
)

// accountValue carries, inside a profile's values and in the front alone,
// the account the profile is bound to, from expanded (which knows the
// profile's name) to the cache key (boundRequest). No configuration key
// starts with a NUL byte, and the front never sends values anywhere.
const accountValue = "\x00account"

// withAccount adds to the values of profile name the account it uses when
// it names none, as the engine decides it (cli's boundAccount): the one it
// is bound to, else the only one signed in for its client. The accounts
// file is read without a lock (it is replaced atomically). ok is false,
// to decline, when several accounts are signed in and none is bound: the
// engine then explains.
func withAccount(r *runState, name string, values map[string]string) (map[string]string, bool) {
	if values["username"] != "" || values["login_hint"] != "" {
		return values, true
	}
	a, err := accountsOf(r, values)
	if err != nil {
		return nil, false
	}
	id, err := a.For(name)
	if err != nil {
		return nil, false
	}
	if id == "" {
		return values, true
	}
	out := maps.Clone(values)
	out[accountValue] = id
	return out, true
}

// accountsOf reads the accounts signed in for the profile's client.
func accountsOf(r *runState, values map[string]string) (*cache.Accounts, error) {
	c, ok := r.cache()
	if !ok {
		return nil, r.storeErr
	}
	return c.GetAccounts(tokenkey.State(tokenkey.Request{Values: values}))
}

// boundRequest moves the account withAccount added to the values into the
// request's Account; a request without one is returned as it is.
func boundRequest(r tokenkey.Request) tokenkey.Request {
	id, ok := r.Values[accountValue]
	if !ok {
		return r
	}
	r.Values = maps.Clone(r.Values)
	delete(r.Values, accountValue)
	r.Account = id
	return r
}
