package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/plugin"
)

// defaultSigninCooldown is how long, after a person declined a sign-in or
// did not answer in time, calls fail at once instead of asking again.
// $KEYFOB_SIGNIN_COOLDOWN (a Go duration; 0 turns it off) changes it.
const defaultSigninCooldown = 5 * time.Minute

// declineCodes are the OAuth errors that mean the person said no or did
// not answer in time (RFC 8628 §3.5; Entra's authorization_declined).
var declineCodes = map[string]bool{"access_denied": true, "authorization_declined": true, "expired_token": true}

// viaPlugin asks the plugin with the stored state, holding the state
// key's lock: servers rotate refresh tokens, and across processes at most
// one sign-in per account may run — the others wait for it and then
// refresh with the state it stored. While a sign-in cooldown lasts, a
// call with no state to refresh with fails at once, and one with state
// may refresh but not ask anybody; keyfob login ignores the cooldown and
// the stored state.
func (t *cachedToken) viaPlugin(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
	stateKey := tokenkey.State(t.req)
	unlock, err := t.lockSignin(ctx, stateKey)
	if err != nil {
		return nil, err
	}
	defer unlock()
	o := t.c.interact
	if bound, err := t.rebound(o); err != nil || bound != nil {
		unlock() // the sign-in waited for bound the profile: look again under its keys
		return bound.fetchOr(ctx, err)
	}
	state, _, _ := t.cache.GetState(stateKey)
	if o.login {
		state = nil
	} else if cd, ok := t.cache.GetNegative(stateKey, t.env.Now()); ok {
		if len(state) == 0 {
			return t.failed(needPerson(cooldownReason(t.p.Name, cd)), stale)
		}
		o.forbid = cooldownReason(t.p.Name, cd)
	}
	ia := t.env.interaction(t.p, o)
	tok, err := t.env.getToken(ctx, t.c, signinProfile(t.p, o), state, ia)
	ia.close()
	if err != nil {
		t.rememberDecline(stateKey, declined(ia.wasAsked(), err, errors.Is(ctx.Err(), context.DeadlineExceeded)), err)
		return t.failed(err, stale)
	}
	_ = t.cache.DeleteNegative(stateKey)
	if o.login || ia.wasAsked() {
		return t.bindSignIn(ctx, tok).keep(tok, true), nil
	}
	return t.keep(tok, false), nil
}

// keep stores the token and its state under t's keys; after a sign-in
// (signedIn) without a refresh token, stored state is dropped.
func (t *cachedToken) keep(tok *host.Token, signedIn bool) *cache.Entry {
	stateKey := tokenkey.State(t.req)
	t.storeState(stateKey, tok)
	if signedIn && len(tok.State) == 0 && !tok.ClearState {
		_ = t.cache.DeleteState(stateKey) // a fresh sign-in without a refresh token
	}
	return t.store(tok)
}

// lockSignin takes the state key's lock. When the holder may be signing a
// person in (an interactive provider, keyfob login) it waits as long as a
// sign-in can last (maxSigninWait) rather than --lock-timeout, within the
// call's own bound. Running out of time while another process signs in
// needs a person as much as that sign-in does.
func (t *cachedToken) lockSignin(ctx context.Context, stateKey string) (func(), error) {
	lctx, cancel := context.WithTimeout(ctx, t.signinLockWait())
	defer cancel()
	unlock, err := t.cache.Lock(lctx, stateKey, func() {
		fmt.Fprintf(t.env.Stderr, "keyfob: waiting for another keyfob process signing in to or refreshing profile %q\n", t.p.Name)
	})
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, needPerson(fmt.Sprintf("another keyfob process is still signing in to profile %q", t.p.Name))
	}
	return unlock, err
}

// signinLockWait bounds the wait for the state key's lock.
func (t *cachedToken) signinLockWait() time.Duration {
	wait := t.c.lockTimeout
	if wait <= 0 {
		wait = defaultLockTimeout
	}
	if t.c.interact.login || interactiveProvider(t.p) {
		wait = max(wait, maxSigninWait)
	}
	return wait
}

// declined reports whether a failed call means a person was asked and
// said no or did not answer in time (within the call's --timeout, or the
// server's or provider's own limit).
func declined(asked bool, err error, timedOut bool) bool {
	if !asked || err == nil {
		return false
	}
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && declineCodes[oe.Code] {
		return true
	}
	return timedOut || plugin.KindOf(err) == plugin.KindInteraction
}

// rememberDecline starts the sign-in cooldown after a declined sign-in.
func (t *cachedToken) rememberDecline(stateKey string, wasDeclined bool, err error) {
	d := t.env.signinCooldown()
	if !wasDeclined || d <= 0 {
		return
	}
	n := cache.Negative{Until: t.env.Now().Add(d), Kind: cache.NegativeSigninDeclined,
		Message: oneLine(err.Error()), ExitCode: ExitInteraction}
	if err := t.cache.PutNegative(stateKey, n); err != nil {
		fmt.Fprintf(t.env.Stderr, "keyfob: warning: could not store the sign-in cooldown: %s\n", oneLine(err.Error()))
	}
}

// cooldownReason says why a call does not ask anybody.
func cooldownReason(profile string, n *cache.Negative) string {
	return fmt.Sprintf("the last sign-in to profile %q was declined or timed out; not asking again before %s",
		profile, n.Until.UTC().Format(time.RFC3339))
}

// signinCooldown reads $KEYFOB_SIGNIN_COOLDOWN; a bad value is warned
// about and the default used.
func (e *Env) signinCooldown() time.Duration {
	v := e.Getenv("KEYFOB_SIGNIN_COOLDOWN")
	if v == "" {
		return defaultSigninCooldown
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		fmt.Fprintf(e.Stderr, "keyfob: warning: ignoring KEYFOB_SIGNIN_COOLDOWN=%q (want a duration such as 5m)\n", v)
		return defaultSigninCooldown
	}
	return d
}
