package cache

import (
	"time"

	"github.com/keyfob/keyfob/host/jwtexp"
)

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

// MaxLifetime bounds how long a token is cached, whatever lifetime the
// server claims: a token said to last ten years is served from the cache
// for a day, then fetched again.
const MaxLifetime = 24 * time.Hour

// CacheExpiry returns the expiry under which e is cached when it was
// obtained at now: its ExpiresAt, but no later than now + MaxLifetime, nor
// than the exp claim when the access token is a JWT (servers that send a
// longer expires_in than the token's own exp are served the earlier one).
// A result not after now means e must not be cached.
func CacheExpiry(e *Entry, now time.Time) time.Time {
	exp := e.ExpiresAt
	if limit := now.Add(MaxLifetime); exp.After(limit) {
		exp = limit
	}
	if jwt, ok := jwtexp.Expiry(e.AccessToken); ok && jwt.Before(exp) {
		exp = jwt
	}
	return exp
}
