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

// DefaultSigninCooldown is how long, after a person declined a sign-in or
// did not answer in time, calls fail at once instead of asking again.
// $KEYFOB_SIGNIN_COOLDOWN (a Go duration; 0 turns it off) changes it.
const DefaultSigninCooldown = 5 * time.Minute

// selectAccountPrompt is the OIDC prompt SignIn sends unless the request
// sets one: the person picks the account, even when the browser is
// signed in already.
const selectAccountPrompt = "select_account"

// declineCodes are the OAuth errors that mean the person said no or did
// not answer in time (RFC 8628 §3.5; Entra's authorization_declined).
var declineCodes = map[string]bool{"access_denied": true, "authorization_declined": true, "expired_token": true}

// viaGetter asks the getter with the stored state, holding the state
// key's lock: servers rotate refresh tokens, and across processes at most
// one sign-in per account may run — the others wait for it and then
// refresh with the state it stored. While a sign-in cooldown lasts, a
// call with no state to refresh with fails at once, and one with state
// may refresh but not ask anybody; SignIn ignores the cooldown and the
// stored state.
func (t *call) viaGetter(ctx context.Context, stale *cache.Entry) (*cache.Entry, error) {
	stateKey := tokenkey.State(t.kreq)
	unlock, err := t.lockSignin(ctx, stateKey)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if bound, err := t.rebound(); err != nil || bound != nil {
		unlock() // the sign-in waited for bound the profile: look again under its keys
		return bound.fetchOr(ctx, err)
	}
	state, forbid, err := t.stateFor(stateKey)
	if err != nil {
		return t.failed(err, stale)
	}
	tok, asked, err := t.ask(ctx, state, forbid)
	if err != nil {
		t.rememberDecline(stateKey, declined(asked, err, errors.Is(ctx.Err(), context.DeadlineExceeded)), err)
		return t.failed(err, stale)
	}
	_ = t.disk.DeleteNegative(stateKey)
	if t.mode == modeLogin || asked {
		return t.bindSignIn(ctx, tok).keep(tok, true), nil
	}
	return t.keep(tok, false), nil
}

// stateFor returns the state to refresh with and, during a sign-in
// cooldown, why nobody may be asked; with no state to refresh with, the
// cooldown fails the call.
func (t *call) stateFor(stateKey string) (state []byte, forbid string, err error) {
	if t.mode == modeLogin {
		return nil, "", nil
	}
	state, _, _ = t.disk.GetState(stateKey)
	cd, ok := t.disk.GetNegative(stateKey, t.c.opts.Now())
	if !ok {
		return state, "", nil
	}
	if len(state) == 0 {
		return nil, "", needPerson(cooldownReason(t.c.opts.Profile, cd))
	}
	return state, cooldownReason(t.c.opts.Profile, cd), nil
}

// ask calls the getter with state, serving it the call's Interaction;
// asked says whether a person was asked.
func (t *call) ask(ctx context.Context, state []byte, forbid string) (tok *Token, asked bool, err error) {
	req, err := t.getterRequest(state)
	if err != nil {
		return nil, false, err
	}
	var ia CallInteraction
	if t.c.opts.Interaction != nil {
		ia = t.c.opts.Interaction(forbid)
	}
	if ia == nil {
		tok, err = t.c.g.GetToken(ctx, req)
		tok, err = presentableOr(tok, err, sourceName(t.req))
		return tok, false, err
	}
	tok, err = t.c.g.GetToken(WithInteraction(ctx, ia), req)
	_ = ia.Close()
	tok, err = presentableOr(tok, err, sourceName(t.req))
	return tok, ia.Asked(), err
}

// getterRequest is the request the getter sees: secret references
// resolved, the host's own keys removed, the stored state, and for a
// sign-in prompt=select_account unless the request sets a prompt.
func (t *call) getterRequest(state []byte) (*Request, error) {
	cfg, err := ResolveConfigWith(t.req.Config, t.c.lookupEnv)
	if err != nil {
		return nil, err
	}
	for _, k := range hostKeys {
		delete(cfg, k)
	}
	if t.mode == modeLogin && cfg["prompt"] == "" {
		cfg["prompt"] = selectAccountPrompt
	}
	r := *t.req
	r.Config, r.State = cfg, state
	return &r, nil
}

// hostKeys are profile keys for the host alone: the Cache never sends
// them to the getter. They are a subset of keyspec.Host, not all of it:
// provider, timeout, cloud, preset and revocation_url still reach the
// getter (endpoint.Resolve reads revocation_url, which discovery fills).
var hostKeys = []string{"plugin", "plugin_sha256", "hosts", "git_username", "docker_username", "acr_exchange", "use_id_token"}

// keep stores the token and its state under t's keys; after a sign-in
// (signedIn) without a refresh token, stored state is dropped.
func (t *call) keep(tok *Token, signedIn bool) *cache.Entry {
	stateKey := tokenkey.State(t.kreq)
	t.storeState(stateKey, tok)
	if signedIn && len(tok.State) == 0 && !tok.ClearState {
		_ = t.disk.DeleteState(stateKey) // a fresh sign-in without a refresh token
	}
	return t.store(tok)
}

// lockSignin takes the state key's lock. When the holder may be signing a
// person in (an interactive provider, SignIn) it waits as long as a
// sign-in can last (MaxSigninWait) rather than LockTimeout, within the
// call's own bound. Running out of time while another process signs in
// needs a person as much as that sign-in does.
func (t *call) lockSignin(ctx context.Context, stateKey string) (func(), error) {
	lctx, cancel := context.WithTimeout(ctx, t.signinLockWait())
	defer cancel()
	unlock, err := t.disk.Lock(lctx, stateKey, func() {
		fmt.Fprintf(t.c.opts.Messages, "keyfob: waiting for another keyfob process signing in to or refreshing profile %q\n", t.c.opts.Profile)
	})
	if err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return nil, needPerson(fmt.Sprintf("another keyfob process is still signing in to profile %q", t.c.opts.Profile))
	}
	return unlock, err
}

// signinLockWait bounds the wait for the state key's lock.
func (t *call) signinLockWait() time.Duration {
	wait := t.c.lockTimeout()
	if t.mode == modeLogin || t.c.opts.Interactive {
		wait = max(wait, MaxSigninWait)
	}
	return wait
}

// declined reports whether a failed call means a person was asked and
// said no or did not answer in time (within the call's bound, or the
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
func (t *call) rememberDecline(stateKey string, wasDeclined bool, err error) {
	d := t.c.signinCooldown()
	if !wasDeclined || d <= 0 {
		return
	}
	n := cache.Negative{Until: t.c.opts.Now().Add(d), Kind: cache.NegativeSigninDeclined,
		Message: oneLine(err.Error()), ExitCode: exitInteraction}
	if err := t.disk.PutNegative(stateKey, n); err != nil {
		t.c.warn("could not store the sign-in cooldown", err)
	}
}

// cooldownReason says why a call does not ask anybody.
func cooldownReason(profile string, n *cache.Negative) string {
	return fmt.Sprintf("the last sign-in to profile %q was declined or timed out; not asking again before %s",
		profile, n.Until.UTC().Format(time.RFC3339))
}

// signinCooldown reads $KEYFOB_SIGNIN_COOLDOWN; a bad value is warned
// about and the default used.
func (c *Cache) signinCooldown() time.Duration {
	v := c.opts.Getenv("KEYFOB_SIGNIN_COOLDOWN")
	if v == "" {
		return DefaultSigninCooldown
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		fmt.Fprintf(c.opts.Messages, "keyfob: warning: ignoring KEYFOB_SIGNIN_COOLDOWN=%q (want a duration such as 5m)\n", v)
		return DefaultSigninCooldown
	}
	return d
}
