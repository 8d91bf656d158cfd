package host

import (
	"context"
	"strconv"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// DefaultTimeout bounds a call when neither CacheOptions.Timeout nor the
// request's timeout key is given and nobody has to take part in it: an
// unattended caller (git, kubectl, CI) must not hang on a silent server.
// Every wait falls within it: the cache lock, starting the plugin, each
// attempt and the pauses between retries.
const DefaultTimeout = 30 * time.Second

// MaxSigninWait is how long a sign-in can last, so how long a call waits
// for another process's sign-in to the same account before giving up
// (instead of LockTimeout): a device code lives up to 15 minutes
// (Entra's, RFC 8628 §3.2's example).
const MaxSigninWait = 15 * time.Minute

// bound bounds ctx by the call's timeout (see callTimeout). Call cancel
// when the call is over.
func (c *Cache) bound(ctx context.Context, req *Request, m mode) (context.Context, context.CancelFunc, error) {
	d, err := c.callTimeout(req, m)
	if err != nil {
		return ctx, func() {}, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, nil
}

// callTimeout is the bound of one call: Timeout when given, else the
// request's timeout key, else DefaultTimeout, or MaxSigninWait where a
// person may take part (SignIn, an interactive provider): no call is
// unbounded, since a sign-in nobody completes must end too.
func (c *Cache) callTimeout(req *Request, m mode) (time.Duration, error) {
	if c.opts.Timeout > 0 {
		return c.opts.Timeout, nil
	}
	if v := req.Config["timeout"]; v != "" {
		d, err := parseTimeout(v)
		if err != nil {
			return 0, plugin.Configf("profile %q: key timeout: %q is not a duration such as 30s or 2m", c.opts.Profile, v)
		}
		return d, nil
	}
	if m == modeLogin || c.opts.Interactive {
		return MaxSigninWait, nil
	}
	return DefaultTimeout, nil
}

// parseTimeout reads a timeout: a Go duration ("45s", "2m"), or a bare
// number of seconds. It must be positive.
func parseTimeout(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		n, nerr := strconv.ParseUint(v, 10, 32)
		if nerr != nil {
			return 0, err
		}
		d = time.Duration(n) * time.Second
	}
	if d <= 0 {
		return 0, strconv.ErrRange
	}
	return d, nil
}
