package host

import (
	"context"
	"fmt"
	"time"

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

// boundAccount is the account the profile uses when it names none: the
// one a sign-in bound it to, else the only one signed in for its client,
// else "". With several signed in and no binding it needs a sign-in
// (exit 4) instead of guessing; SignIn and SignOut go on unbound.
func (t *call) boundAccount() (string, error) {
	if tokenkey.NamesAccount(t.values) {
		return "", nil
	}
	a, err := t.disk.GetAccounts(tokenkey.AccountScope(t.values))
	if err != nil {
		t.c.warn("ignoring the accounts file", err)
		return "", nil
	}
	id, err := a.For(t.c.opts.Profile)
	switch {
	case err == nil:
		return id, nil
	case t.mode != modeGet:
		return "", nil
	}
	return "", needPerson(fmt.Sprintf("profile %q names no account and is bound to none, and %v; keyfob does not guess which", t.c.opts.Profile, err))
}

// bindSignIn records the account a sign-in signed in with and binds the
// profile to it. It returns the call to store the token under: t, or one
// whose keys are that account's. A profile that names its account, or a
// token that names none, changes nothing.
func (t *call) bindSignIn(ctx context.Context, tok *Token) *call {
	s := cache.AccountOf(tok.IDToken.Reveal(), tok.Account)
	if tokenkey.NamesAccount(t.values) || s.ID == "" {
		return t
	}
	s.At = t.c.opts.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), accountsLockTimeout)
	defer cancel()
	err := t.disk.UpdateAccounts(ctx, tokenkey.AccountScope(t.values), func(a *cache.Accounts) {
		a.Client, a.Server = t.values["client_id"], serverOf(t.values)
		a.Bind(t.c.opts.Profile, s)
	})
	if err != nil {
		t.c.warn(fmt.Sprintf("could not bind profile %q to its account", t.c.opts.Profile), err)
		return t
	}
	if s.ID == t.kreq.Account {
		return t
	}
	bound, err := t.again()
	if err != nil {
		return t
	}
	return bound
}

// rebound, once the sign-in lock is held, returns the call under the
// keys of the account the profile is bound to now, when a sign-in it
// waited for bound it to another one than it looked for; nil when
// nothing changed, and always for SignIn, which signs in anyway.
func (t *call) rebound() (*call, error) {
	if t.mode == modeLogin || tokenkey.NamesAccount(t.values) {
		return nil, nil
	}
	id, err := t.boundAccount()
	if err != nil || id == t.kreq.Account {
		return nil, err
	}
	return t.again()
}

// fetchOr is fetch, or err when there is one.
func (t *call) fetchOr(ctx context.Context, err error) (*cache.Entry, error) {
	if err != nil {
		return nil, err
	}
	return t.fetch(ctx)
}

// forgetAccount, after a sign-out, drops the profile's binding and the
// account it used from the signed-in ones (its refresh state is gone).
// Other profiles bound to that account stay bound: their next sign-in
// rebinds them.
func (t *call) forgetAccount(ctx context.Context) error {
	if tokenkey.NamesAccount(t.values) {
		return nil
	}
	err := t.disk.UpdateAccounts(ctx, tokenkey.AccountScope(t.values), func(a *cache.Accounts) {
		a.Unbind(t.c.opts.Profile)
		if t.kreq.Account != "" {
			a.Forget(t.kreq.Account)
		}
	})
	if err != nil {
		return fmt.Errorf("forget the account of profile %q: %w", t.c.opts.Profile, err)
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
