package cli

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
)

// defaultTimeout bounds a call when neither --timeout nor the profile's
// timeout key is given and nobody has to take part in it: an unattended
// caller (git, kubectl, CI) must not hang on a silent server. Every wait
// falls within it: the cache lock, starting the plugin, each attempt and
// the pauses between retries.
const defaultTimeout = 30 * time.Second

// maxSigninWait is how long a sign-in can last, so how long a call waits
// for another process's sign-in to the same account before giving up
// (instead of --lock-timeout): a device code lives up to 15 minutes
// (Entra's, RFC 8628 §3.2's example).
const maxSigninWait = 15 * time.Minute

// builtinInfo describes the built-in providers, from their registry.
var builtinInfo = sync.OnceValue(func() map[string]plugin.ProviderInfo {
	out := map[string]plugin.ProviderInfo{}
	for _, info := range all.Registry().Providers() {
		out[info.Name] = info
	}
	return out
})

// interactiveProvider reports whether the profile's provider may sign a
// person in, as its ProviderInfo declares. A person takes longer than a
// server, so such calls are bounded by maxSigninWait rather than
// defaultTimeout (--timeout and the timeout key still choose). An external plugin's providers are not known before it starts:
// they count as not interactive here; their profiles set timeout.
func interactiveProvider(p *profile) bool {
	return p.Values["plugin"] == "" && builtinInfo()[p.Values["provider"]].Interactive
}

// withCallTimeout bounds ctx by the call's timeout (see callTimeout).
// Call cancel when the call is over.
func withCallTimeout(ctx context.Context, c *commonFlags, p *profile) (context.Context, context.CancelFunc, error) {
	d, err := callTimeout(c, p)
	if err != nil {
		return ctx, func() {}, err
	}
	if d <= 0 {
		ctx, cancel := context.WithCancel(ctx)
		return ctx, cancel, nil
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	return ctx, cancel, nil
}

// callTimeout is the bound of one call: --timeout when given, else the
// profile's timeout key, else defaultTimeout, or maxSigninWait where a
// person may take part (keyfob login, an interactive provider): no call
// is unbounded, since a sign-in nobody completes must end too.
func callTimeout(c *commonFlags, p *profile) (time.Duration, error) {
	if c.timeout > 0 {
		return c.timeout, nil
	}
	if v := p.Values["timeout"]; v != "" {
		d, err := parseTimeout(v)
		if err != nil {
			return 0, plugin.Configf("profile %q: key timeout: %q is not a duration such as 30s or 2m", p.Name, v)
		}
		return d, nil
	}
	if c.interact.login || interactiveProvider(p) {
		return maxSigninWait, nil
	}
	return defaultTimeout, nil
}

// parseTimeout reads a Go duration ("45s", "2m"); a bare number counts
// seconds. It must be positive.
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
