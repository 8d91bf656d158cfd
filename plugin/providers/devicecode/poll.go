package devicecode

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// SlowDownStep is added to the polling interval on each slow_down
// (RFC 8628 §3.5).
const SlowDownStep = 5 * time.Second

// poll asks the token endpoint for the token every interval until the
// user has signed in, declined, or the code or ctx has expired.
func (p Provider) poll(ctx context.Context, s *grant.Setup, a *authorization) (*oauth.TokenResponse, error) {
	deadline := p.now().Add(a.expiresIn)
	interval := a.interval
	for {
		if p.now().Add(interval).After(deadline) {
			return nil, plugin.Errorf(plugin.ErrInteractionRequired, "the device code expired before the sign-in finished")
		}
		if err := p.sleep(ctx, interval); err != nil {
			return nil, waitError(err)
		}
		form := url.Values{"grant_type": {GrantType}, "device_code": {a.deviceCode.Reveal()}}
		tr, err := s.Send(ctx, form)
		if err == nil {
			return tr, nil
		}
		if interval, err = next(ctx, interval, err); err != nil {
			return nil, err
		}
	}
}

// next judges a failed poll: the interval for the next one, or the error
// that ends the flow.
func next(ctx context.Context, interval time.Duration, err error) (time.Duration, error) {
	switch {
	case ctx.Err() != nil:
		return 0, waitError(ctx.Err())
	case isCode(err, "authorization_pending"):
		return interval, nil
	case isCode(err, "slow_down"):
		return interval + SlowDownStep, nil
	case isCode(err, "authorization_declined", "access_denied"):
		return 0, plugin.Errorf(plugin.ErrRefused, "the sign-in was declined: %w", err)
	case isCode(err, "expired_token"):
		return 0, plugin.Errorf(plugin.ErrInteractionRequired, "the device code expired before the sign-in finished: %w", err)
	case isCode(err, "bad_verification_code"):
		return 0, plugin.Errorf(plugin.ErrRefused, "the server does not know the device code: %w", err)
	}
	return 0, err
}

// waitError is the error for a wait cut short: by the call's deadline
// (keyfob --timeout: nobody finished in time, exit 4) or by cancellation
// (the host gave up; no kind of its own).
func waitError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return plugin.Errorf(plugin.ErrInteractionRequired, "timed out waiting for the sign-in to finish: %w", err)
	}
	return fmt.Errorf("the sign-in was canceled: %w", err)
}
