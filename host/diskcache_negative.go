package host

import (
	"errors"
	"fmt"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Negative-cache lifetimes (CONTRACT §7): long enough to absorb a burst
// of calls, short enough that a fixed secret works soon.
const (
	invalidClientBackoff = 30 * time.Second
	maxThrottleBackoff   = 5 * time.Minute
)

// Exit codes a remembered failure is replayed with (CONTRACT §7).
const (
	exitRefused     = 3
	exitInteraction = 4
	exitUnavailable = 5
)

// remembered answers from the negative entry for t.key, if one applies:
// with the still-valid token stale when there is one (a failed early
// refresh serves it, CONTRACT §7), else with the remembered failure. ok
// is false when no negative entry applies. Callers check it before
// asking the server, both before and after taking the lock, so calls
// queued behind a throttled one do not ask again.
func (t *call) remembered(stale *cache.Entry) (e *cache.Entry, ok bool, err error) {
	n, found := t.disk.GetNegative(t.key, t.now)
	switch {
	case !found:
		return nil, false, nil
	case stale != nil:
		return stale, true, nil
	}
	return nil, true, negativeError(n)
}

// failed handles a failed request: the still-valid token is served when
// only the soft refresh failed; throttling and invalid_client are
// remembered across processes.
func (t *call) failed(err error, stale *cache.Entry) (*cache.Entry, error) {
	if stale != nil {
		fmt.Fprintf(t.c.opts.Messages, "keyfob: early refresh failed, serving the still-valid token: %s\n", oneLine(err.Error()))
		return stale, nil
	}
	err = withBackoffNote(err)
	if n, ok := negativeFor(err, t.c.opts.Now()); ok {
		_ = t.disk.PutNegative(t.key, n)
	}
	return nil, err
}

// withBackoffNote adds to a throttling error whose Retry-After is longer
// than keyfob remembers it what keyfob does instead, so the message does
// not promise a wait of a day when the next call asks after minutes.
func withBackoffNote(err error) error {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) || oe.StatusCode != 429 || oe.RetryAfter <= maxThrottleBackoff {
		return err
	}
	return fmt.Errorf("%w; keyfob waits %v, not the %v asked for, before asking the server again", err, maxThrottleBackoff, oe.RetryAfter)
}

// negativeFor decides whether a failure is remembered, and for how long.
func negativeFor(err error, now time.Time) (cache.Negative, bool) {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) {
		return cache.Negative{}, false
	}
	msg := oneLine(err.Error())
	switch {
	case oe.StatusCode == 429 && oe.RetryAfter > 0:
		return cache.Negative{Until: now.Add(min(oe.RetryAfter, maxThrottleBackoff)), Kind: cache.NegativeThrottled,
			Message: msg, ExitCode: exitUnavailable}, true
	case oe.Code == "invalid_client":
		return cache.Negative{Until: now.Add(invalidClientBackoff), Kind: cache.NegativeInvalidClient,
			Message: msg, ExitCode: exitRefused}, true
	}
	return cache.Negative{}, false
}

// negativeError replays a remembered failure with its kind.
func negativeError(n *cache.Negative) error {
	sentinel := plugin.ErrRefused
	if n.ExitCode == exitUnavailable {
		sentinel = plugin.ErrUnavailable
	}
	return fmt.Errorf("%s (remembered until %s; not asking the server again yet): %w",
		n.Message, n.Until.UTC().Format(time.RFC3339), sentinel)
}

// needPerson is an error that needs a person to sign in (exit 4); its
// message is the reason alone.
type needPerson string

func (e needPerson) Error() string { return string(e) }
func (e needPerson) Unwrap() error { return plugin.ErrInteractionRequired }

// oneLine collapses s, control characters dropped, onto one line.
func oneLine(s string) string { return errdefs.OneLine(s) }
