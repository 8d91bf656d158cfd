package oauth

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// Retry defaults.
const (
	// DefaultMaxRetries is how many times a failed request is sent again:
	// three attempts in all.
	DefaultMaxRetries = 2
	// DefaultBackoff is the base wait before the first retry; it doubles
	// for each further retry and is jittered by ±50%.
	DefaultBackoff = 300 * time.Millisecond
	// MaxUndeadlinedWait is the longest Retry-After honoured when the
	// context has no deadline; a longer one fails at once.
	MaxUndeadlinedWait = 2 * time.Minute
)

// maxRetries resolves Client.MaxRetries: 0 is the default, negative none.
func (c *Client) maxRetries() int {
	switch {
	case c.MaxRetries < 0:
		return 0
	case c.MaxRetries == 0:
		return DefaultMaxRetries
	}
	return c.MaxRetries
}

// retryDelay decides whether to send the request again after attempt
// (1-based) failed with err, and how long to wait first. The server's
// Retry-After wins over the backoff. A wait that would outlast ctx's
// deadline is not started: the caller fails at once with err.
func (c *Client) retryDelay(ctx context.Context, err error, attempt int) (time.Duration, bool) {
	if attempt > c.maxRetries() || !retryable(err) {
		return 0, false
	}
	wait := c.backoff(attempt)
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.RetryAfter > 0 {
		wait = oe.RetryAfter
	}
	return wait, fits(ctx, wait)
}

// retryable reports whether another attempt may succeed: 5xx, 429 and
// temporarily_unavailable answers, and network failures other than DNS,
// certificate and context errors. OAuth 4xx errors never are.
func retryable(err error) bool {
	var oe *plugin.OAuthError
	if errors.As(err, &oe) {
		return oe.Retryable()
	}
	var ue *unavailableError
	return errors.As(err, &ue) && ue.retry
}

// backoff is the jittered wait before retry n: base·2^(n-1) ± 50%.
func (c *Client) backoff(n int) time.Duration {
	d := orDefault(c.Backoff, DefaultBackoff) << min(n-1, 10)
	return d/2 + rand.N(d)
}

// fits reports whether a wait ends before ctx's deadline, or, without a
// deadline, is at most MaxUndeadlinedWait.
func fits(ctx context.Context, wait time.Duration) bool {
	deadline, ok := ctx.Deadline()
	if !ok {
		return wait <= MaxUndeadlinedWait
	}
	return time.Until(deadline) > wait
}

// Sleep waits for d or until ctx is done, returning ctx's error then.
// Providers use it for their own waits (polling, retries), so every wait
// honours the call's deadline.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter reads a Retry-After header (RFC 9110 §10.2.3): delay
// seconds or an HTTP-date, relative to now. It returns 0 when absent,
// malformed or in the past, and caps the wait at a day.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	const maxWait = 24 * time.Hour
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(max(0, min(secs, int64(maxWait/time.Second)))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, min(t.Sub(now), maxWait))
	}
	return 0
}

// TransportCause names a failed request's transport error without the URL,
// which *url.Error repeats with its query; a done ctx gives ctx's error.
func TransportCause(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
