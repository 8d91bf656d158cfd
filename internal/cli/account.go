package cli

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
)

// Accounts and profiles (CONTRACT §7): a profile that names no account
// (username, login_hint) is bound to the account it signed in with; one
// sign-in still serves every profile of that account, whatever their
// scopes, since the refresh state is keyed by account.

// accountsLockTimeout bounds the wait for the lock of an accounts file,
// which is only ever held for a read and a write.
const accountsLockTimeout = 10 * time.Second

// selectAccountPrompt is the OIDC prompt keyfob login sends unless the
// profile sets one: the person picks the account, even when the browser
// is signed in already.
const selectAccountPrompt = "select_account"

// namesAccount reports whether a profile names its account itself; such
// a profile is never bound.
func namesAccount(values map[string]string) bool {
	return values["username"] != "" || values["login_hint"] != ""
}

// accountScope is the key of the accounts signed in for the profile's
// client at its server: the refresh-state key of a request naming no
// account.
func accountScope(values map[string]string) string {
	return tokenkey.State(tokenkey.Request{Values: values})
}

// boundAccount is the account p uses when it names none: the one a
// sign-in bound it to, else the only one signed in for its client, else
// "". With several signed in and no binding it needs a sign-in (exit 4)
// instead of guessing; keyfob login and logout go on unbound.
func (e *Env) boundAccount(cc *cache.Cache, c *commonFlags, p *profile) (string, error) {
	if namesAccount(p.Values) {
		return "", nil
	}
	a, err := cc.GetAccounts(accountScope(p.Values))
	if err != nil {
		fmt.Fprintf(e.Stderr, "keyfob: warning: ignoring the accounts file: %s\n", oneLine(err.Error()))
		return "", nil
	}
	id, err := a.For(p.Name)
	switch {
	case err == nil:
		return id, nil
	case c.interact.login || c.interact.logout:
		return "", nil
	}
	return "", needPerson(fmt.Sprintf("profile %q names no account and is bound to none, and %v; keyfob does not guess which", p.Name, err))
}

// tokenRequest is the request p makes: its values, the command line's
// scopes and claims, and the account it is bound to.
func (e *Env) tokenRequest(cc *cache.Cache, c *commonFlags, p *profile) (tokenkey.Request, error) {
	req := tokenkey.Request{Values: p.Values, Scopes: c.scopes, Claims: c.claims}
	var err error
	req.Account, err = e.boundAccount(cc, c, p)
	return req, err
}

// signinProfile is the profile a sign-in runs with: keyfob login asks
// the person to pick the account (prompt=select_account) unless the
// profile sets its own prompt.
func signinProfile(p *profile, o interactOptions) *profile {
	if !o.login || p.Values["prompt"] != "" {
		return p
	}
	q := *p
	q.Values = maps.Clone(p.Values)
	q.Values["prompt"] = selectAccountPrompt
	return &q
}

// bindSignIn records the account a sign-in signed in with and binds the
// profile to it. It returns the request to store the token under: t, or
// one whose keys are that account's. A profile that names its account,
// or a token that names none, changes nothing.
func (t *cachedToken) bindSignIn(ctx context.Context, tok *host.Token) *cachedToken {
	s := cache.AccountOf(tok.IDToken.Reveal(), tok.Account)
	if namesAccount(t.p.Values) || s.ID == "" {
		return t
	}
	s.At = t.env.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), accountsLockTimeout)
	defer cancel()
	err := t.cache.UpdateAccounts(ctx, accountScope(t.p.Values), func(a *cache.Accounts) {
		a.Client, a.Server = t.p.Values["client_id"], serverOf(t.p.Values)
		a.Bind(t.p.Name, s)
	})
	if err != nil {
		fmt.Fprintf(t.env.Stderr, "keyfob: warning: could not bind profile %q to its account: %s\n", t.p.Name, oneLine(err.Error()))
		return t
	}
	if s.ID == t.req.Account {
		return t
	}
	bound, err := t.env.newCachedToken(t.c, t.p)
	if err != nil {
		return t
	}
	return bound
}

// rebound, once the sign-in lock is held, returns the request under the
// keys of the account the profile is bound to now, when a sign-in it
// waited for bound it to another one than it looked for; nil when
// nothing changed, and always for keyfob login, which signs in anyway.
func (t *cachedToken) rebound(o interactOptions) (*cachedToken, error) {
	if o.login || namesAccount(t.p.Values) {
		return nil, nil
	}
	now, err := t.env.newCachedToken(t.c, t.p)
	if err != nil || now.req.Account == t.req.Account {
		return nil, err
	}
	return now, nil
}

// fetchOr is fetch, or err when there is one.
func (t *cachedToken) fetchOr(ctx context.Context, err error) (*cache.Entry, error) {
	if err != nil {
		return nil, err
	}
	return t.fetch(ctx)
}

// forgetAccount, after a sign-out, drops the profile's binding and the
// account it used from the signed-in ones (its refresh state is gone).
// Other profiles bound to that account stay bound: their next sign-in
// rebinds them.
func (t *cachedToken) forgetAccount(ctx context.Context) error {
	if namesAccount(t.p.Values) {
		return nil
	}
	err := t.cache.UpdateAccounts(ctx, accountScope(t.p.Values), func(a *cache.Accounts) {
		a.Unbind(t.p.Name)
		if t.req.Account != "" {
			a.Forget(t.req.Account)
		}
	})
	if err != nil {
		return fmt.Errorf("forget the account of profile %q: %w", t.p.Name, err)
	}
	return nil
}

// serverOf names the profile's authorization server for listings.
func serverOf(v map[string]string) string {
	for _, k := range []string{"authority", "issuer", "token_url"} {
		if v[k] != "" {
			return v[k]
		}
	}
	return v["plugin"]
}
