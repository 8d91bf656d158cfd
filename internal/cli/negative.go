package cli

import "github.com/keyfob/keyfob/host/cache"

// remembered answers from the negative entry for t.key, if one applies:
// with the still-valid token stale when there is one (a failed early
// refresh serves it, CONTRACT §7), else with the remembered failure. ok
// is false when no negative entry applies. Callers check it before
// asking the server, both before and after taking the lock, so calls
// queued behind a throttled one do not ask again.
func (t *cachedToken) remembered(stale *cache.Entry) (e *cache.Entry, ok bool, err error) {
	n, found := t.cache.GetNegative(t.key, t.now)
	switch {
	case !found:
		return nil, false, nil
	case stale != nil:
		return stale, true, nil
	}
	return nil, true, negativeError(n)
}
