package cache

import "time"

const (
	// MaxMargin caps the safety margin M, and is M when the lifetime is
	// unknown.
	MaxMargin = 5 * time.Minute
	// DefaultMinValidity is the minimum validity V callers use when the
	// user asks for none (CONTRACT §7: --min-validity, default 1 min).
	DefaultMinValidity = time.Minute
)

// Margin returns the safety margin M = min(5 min, L/10) for e, where the
// lifetime L = ExpiresAt − IssuedAt. When IssuedAt is zero L is unknown
// and M is 5 min; a lifetime that is not positive gives M = 0.
func Margin(e *Entry) time.Duration {
	if e == nil || e.IssuedAt.IsZero() {
		return MaxMargin
	}
	l := e.ExpiresAt.Sub(e.IssuedAt)
	if l <= 0 {
		return 0
	}
	return min(MaxMargin, l/10)
}

// HostExpiry returns the expiry that host tools are told: E − M. For an
// entry without an expiry (not cacheable) it returns the zero time.
func HostExpiry(e *Entry) time.Time {
	if e == nil || e.ExpiresAt.IsZero() {
		return time.Time{}
	}
	return e.ExpiresAt.Add(-Margin(e))
}

// Valid reports whether e may be served at now to a caller that needs the
// token to last minValidity (V): E − M − now ≥ V, equality included. An
// entry without an access token or without an expiry is never valid.
func Valid(e *Entry, now time.Time, minValidity time.Duration) bool {
	if e == nil || e.AccessToken == "" || e.ExpiresAt.IsZero() {
		return false
	}
	return HostExpiry(e).Sub(now) >= minValidity
}

// NeedsRefresh reports whether e's soft refresh deadline (RefreshAt) has
// passed at now. The caller then tries to refresh, but may still serve the
// token while it is Valid if the refresh fails. Without a RefreshAt it is
// false: Valid alone decides.
func NeedsRefresh(e *Entry, now time.Time) bool {
	return e != nil && !e.RefreshAt.IsZero() && !now.Before(e.RefreshAt)
}
