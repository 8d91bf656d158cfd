package host

import (
	"context"
	"errors"

	"github.com/keyfob/keyfob/host/cache/tokenkey"
)

// SignOut signs req's profile out, as keyfob logout does: under the
// refresh state's lock it calls revoke with the stored state (nil when
// there is none; revoke may be nil), then deletes that state, the sign-in
// cooldown, the profile's access tokens and its account binding. What
// revoke does with the state, and whether it succeeds, is its own
// business: the local sign-out happens all the same.
func (c *Cache) SignOut(ctx context.Context, req *Request, revoke func(ctx context.Context, state []byte)) error {
	ctx, cancel, err := c.bound(ctx, req, modeLogout)
	if err != nil {
		return err
	}
	defer cancel()
	t, err := c.newCall(req, modeLogout)
	if err != nil {
		return err
	}
	if err := t.sealState(ctx); err != nil {
		return err
	}
	return t.signOut(ctx, revoke)
}

// signOut is SignOut under the state key's lock.
func (t *call) signOut(ctx context.Context, revoke func(context.Context, []byte)) error {
	stateKey := tokenkey.State(t.kreq)
	unlock, err := t.lockSignin(ctx, stateKey)
	if err != nil {
		return err
	}
	defer unlock()
	state, _, _ := t.disk.GetState(stateKey)
	if revoke != nil {
		revoke(ctx, state)
	}
	return errors.Join(t.disk.DeleteState(stateKey), t.disk.DeleteNegative(stateKey),
		t.disk.ClearProfile(t.c.opts.Profile), t.forgetAccount(ctx))
}
