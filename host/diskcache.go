package host

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/keyspec"
	"github.com/keyfob/keyfob/plugin"
)

// CacheEntry is a token as the Cache serves and stores it: the access
// token with its real expiry, when it was obtained, and what it is for.
type CacheEntry = cache.Entry

// CacheOptions configure NewCache. The zero value is valid: keyfob's own
// cache directory (the one the CLI uses), the process's environment,
// nobody to ask, nothing printed.
type CacheOptions struct {
	// Dir is the cache directory; "" means the CLI's (cache.Dir:
	// $KEYFOB_CACHE_DIR, else $XDG_CACHE_HOME/keyfob, else
	// ~/.cache/keyfob), so tokens are shared with keyfob's CLI.
	Dir string
	// Profile names the profile the requests belong to. It is stored in
	// the entries (keyfob cache list shows it, keyfob cache clear -p
	// clears by it), binds the profile to the account it signs in with,
	// and appears in messages. It is not part of any cache key.
	Profile string
	// Getenv reads the environment: env: references, $KEYFOB_KEYRING,
	// $KEYFOB_SIGNIN_COOLDOWN and the cache directory; nil means
	// os.Getenv. An empty value counts as unset.
	Getenv func(string) string
	// IsSecret tells secret-valued keys apart, which enter cache keys only
	// as a keyed fingerprint; nil means keyspec.IsSecret, the classifier
	// the CLI uses, so a Go host and keyfob share cache entries.
	IsSecret func(string) bool
	// Interactive says that the provider may sign a person in: a call
	// then waits as long as a sign-in may last (15 minutes) for its own
	// end and for another process's sign-in, instead of 30 seconds.
	Interactive bool
	// Timeout bounds each call; zero means the request's "timeout" key
	// (a Go duration, or seconds), else 30 seconds, or 15 minutes when a
	// person may take part (Interactive, SignIn). No call is unbounded.
	Timeout time.Duration
	// LockTimeout bounds the wait for another process getting the same
	// token; zero means two minutes.
	LockTimeout time.Duration
	// Interaction returns the Interaction served to the getter for one
	// call (see WithInteraction); forbid, when not "", says why no person
	// may be asked during it (a sign-in cooldown), and the Interaction
	// must then refuse with an error wrapping plugin.ErrInteractionRequired.
	// nil means nobody can be asked.
	Interaction func(forbid string) CallInteraction
	// Messages receives the lines a person may want to see, such as
	// "keyfob: waiting for another keyfob process ..." and warnings; nil
	// is silent. No line holds a secret.
	Messages io.Writer
	// Logger receives the keyring's status at info level; nil is silent.
	Logger hclog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// CallInteraction is how a person is reached during one call: a
// plugin.Interaction that also says whether it asked anybody and is
// closed when the call is over.
type CallInteraction interface {
	plugin.Interaction
	// Asked reports whether a person was shown something to act on.
	Asked() bool
	// Close ends the interaction (a countdown, an open terminal).
	Close() error
}

// Cache is a TokenGetter that keeps tokens in keyfob's disk cache, shared
// by every process that opens the same directory — keyfob's CLI and
// other Go hosts (see CONTRACT §7). GetToken answers from the cache while
// a token is valid for the request's MinValidity; otherwise it takes a
// cross-process lock on the request's key, looks again (another process
// may have just filled it), and only then asks the wrapped TokenGetter,
// with the refresh state stored for the request's account (sealed with
// the OS keyring's key when one is usable), and stores the answer. At
// most one sign-in per account runs at a time across processes; a person
// who declined one is not asked again during a cooldown; throttling and
// invalid_client are remembered, so a burst of calls asks the server
// once.
//
// A request's Config holds the profile's keys in wire form: env:/file:
// references in secret keys are resolved before the wrapped getter sees
// them, and the host's own keys (plugin, hosts, git_username, ...) are
// removed. Cache keys hold no secret, only keyed fingerprints of them.
//
// A Cache holds no open files; its methods are safe for concurrent use,
// in one process and across processes. Errors keep their kinds
// (plugin.KindOf): a configuration problem of the cache, a reference or a
// key file is plugin.ErrConfig; a remembered failure replays its kind.
type Cache struct {
	g    TokenGetter
	opts CacheOptions
}

// NewCache returns a Cache that asks g for the tokens it does not have.
// It opens nothing until the first call.
func NewCache(g TokenGetter, opts CacheOptions) *Cache {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.IsSecret == nil {
		opts.IsSecret = keyspec.IsSecret
	}
	if opts.Messages == nil {
		opts.Messages = io.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Logger = orNull(opts.Logger)
	return &Cache{g: g, opts: opts}
}

// GetToken returns req's token from the cache, or from the wrapped
// getter (see Cache). The Token carries no State: the Cache keeps it.
func (c *Cache) GetToken(ctx context.Context, req *Request) (*Token, error) {
	e, err := c.Entry(ctx, req)
	if err != nil {
		return nil, err
	}
	return entryToken(e), nil
}

// Entry is GetToken answering with the cache entry, whose ExpiresAt is
// the capped expiry it is cached under (see HostExpiry for hosts').
func (c *Cache) Entry(ctx context.Context, req *Request) (*CacheEntry, error) {
	return c.run(ctx, req, modeGet)
}

// SignIn signs in afresh, as keyfob login does: whatever refresh state
// is stored and whatever a sign-in cooldown says, the getter is asked
// without state, with prompt=select_account unless the request sets a
// prompt; the profile is bound to the account signed in with.
func (c *Cache) SignIn(ctx context.Context, req *Request) (*CacheEntry, error) {
	r := *req
	r.ForceRefresh = true
	return c.run(ctx, &r, modeLogin)
}

// HostExpiry is the expiry host tools are told of e: E − M (CONTRACT §7).
func HostExpiry(e *CacheEntry) time.Time { return cache.HostExpiry(e) }

// run serves req within the call's bound.
func (c *Cache) run(ctx context.Context, req *Request, m mode) (*CacheEntry, error) {
	if req.MinValidity < 0 {
		return nil, plugin.Configf("minimum validity %v is negative", req.MinValidity)
	}
	ctx, cancel, err := c.bound(ctx, req, m)
	if err != nil {
		return nil, err
	}
	defer cancel()
	return c.cachedOrFetched(ctx, req, m)
}

// cachedOrFetched answers from the cache, else under the key's lock.
func (c *Cache) cachedOrFetched(ctx context.Context, req *Request, m mode) (*CacheEntry, error) {
	t, err := c.newCall(req, m)
	if err != nil {
		return nil, err
	}
	fresh, stale := t.fromCache()
	if fresh != nil {
		return fresh, nil
	}
	if e, ok, err := t.remembered(stale); ok {
		return e, err
	}
	unlock, err := t.lock(ctx, t.key, "getting a token for")
	if err != nil {
		return nil, err
	}
	defer unlock()
	return t.fetch(ctx)
}

// entryToken is the Token of a cache entry.
func entryToken(e *CacheEntry) *Token {
	return &Token{AccessToken: plugin.NewSecret(e.AccessToken), TokenType: e.TokenType, ExpiresAt: e.ExpiresAt,
		RefreshAt: e.RefreshAt, Scope: e.Scope, IDToken: plugin.NewSecret(e.IDToken), Account: e.Account}
}

// open opens the cache directory.
func (c *Cache) open() (*cache.Cache, error) {
	dir := c.opts.Dir
	if dir == "" {
		var err error
		if dir, err = cache.Dir(c.opts.Getenv); err != nil {
			return nil, plugin.Configf("%v", err)
		}
	}
	cc, err := cache.Open(dir, cache.Options{})
	if err != nil {
		return nil, plugin.Configf("%v", err)
	}
	return cc, nil
}

// lookupEnv adapts Getenv to os.LookupEnv's form; an empty value counts
// as unset.
func (c *Cache) lookupEnv(name string) (string, bool) {
	v := c.opts.Getenv(name)
	return v, v != ""
}

// warn writes a warning line about what failed.
func (c *Cache) warn(what string, err error) {
	fmt.Fprintf(c.opts.Messages, "keyfob: warning: %s: %s\n", what, oneLine(err.Error()))
}

// profileValues are the key values of req: its Config with its Provider.
func profileValues(req *Request) map[string]string {
	v := maps.Clone(req.Config)
	if v == nil {
		v = map[string]string{}
	}
	if req.Provider != "" {
		v["provider"] = req.Provider
	}
	return v
}

var _ TokenGetter = (*Cache)(nil)

// keyRequest is the tokenkey request of values.
func keyRequest(values map[string]string, req *Request) tokenkey.Request {
	return tokenkey.Request{Values: values, Scopes: req.Scopes, Claims: req.Claims}
}
