// Package front is the lean front of the keyfob executable: it answers a
// request from the token cache when it can, and otherwise hands the whole
// request to the engine (cmd/keyfob-engine), which holds the CLI, the
// plugin host and the plugin. The front must not import gRPC, go-plugin,
// cobra or anything whose package initialisation costs time: on a cache
// hit, process start-up is most of what a caller waits for.
//
// The front declines (Run reports handled=false) whenever it is unsure —
// an unknown flag, an unreadable config, a miss — and the engine then
// does the work and reports any error, so both faces behave the same.
package front

import (
	"io"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
	"github.com/keyfob/keyfob/internal/output"
)

// Env is what the front reads and writes.
type Env struct {
	// Program is argv[0]: a helper name (git-credential-keyfob) selects
	// its protocol, as in the engine (protocol.Dispatch).
	Program string
	Args    []string
	// Stdin is read only for the protocols whose request comes on stdin;
	// what was read is kept for the engine. nil reads as empty.
	Stdin  *Input
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Home   string
	Now    func() time.Time
}

// Run answers args from the cache if it can. It returns the exit code and
// true when it answered, or false when the engine must run instead; it
// writes nothing to stdout in that case (it may have read stdin: see
// Input.Consumed).
func Run(env Env) (code int, handled bool) {
	r := &runState{Env: env}
	list := all.Protocols()
	args := protocol.Dispatch(list, env.Program, env.Args)
	if len(args) == 0 {
		return 0, false
	}
	switch args[0] {
	case "token":
		req, ok := parseToken(args[1:])
		if !ok {
			return 0, false
		}
		return serveToken(r, req)
	}
	if p := protocol.Lookup(list, args[0]); p != nil {
		return serveProtocol(r, p, args[1:])
	}
	return 0, false
}

// runState is one Run's environment with what it works out once: the
// cache directory, and the cache, opened when it is first needed (Open
// checks the directory's owner and mode).
type runState struct {
	Env
	dir      string
	dirErr   error
	dirDone  bool
	store    *cache.Cache
	storeErr error
	opened   bool
}

// cacheDir is the cache directory, "" and an error when it is unknown.
func (r *runState) cacheDir() (string, error) {
	if !r.dirDone {
		r.dir, r.dirErr = cache.Dir(r.Getenv)
		r.dirDone = true
	}
	return r.dir, r.dirErr
}

// cache opens the cache directory without creating anything in it that
// is not there yet but the directory; false when it cannot.
func (r *runState) cache() (*cache.Cache, bool) {
	if !r.opened {
		r.opened = true
		var dir string
		if dir, r.storeErr = r.cacheDir(); r.storeErr == nil {
			r.store, r.storeErr = cache.Open(dir, cache.Options{})
		}
	}
	return r.store, r.storeErr == nil
}

// tokenRequest is a keyfob token command line the front understands.
type tokenRequest struct {
	profile     string
	format      output.Format
	scopes      []string
	minValidity time.Duration
	// timeout is --timeout: a host protocol's wait for its request on
	// stdin (hostArgs); keyfob token makes none.
	timeout time.Duration
}

// serveToken answers a token request from the cache.
func serveToken(r *runState, t tokenRequest) (int, bool) {
	name, values, ok := profileValues(r, t.profile)
	if !ok {
		return 0, false
	}
	e, ok := lookup(r, name, tokenkey.Request{Values: values, Scopes: t.scopes}, t.minValidity)
	if !ok {
		return 0, false
	}
	out := output.Token{AccessToken: e.AccessToken, TokenType: e.TokenType, ExpiresAt: cache.HostExpiry(e), Scope: e.Scope}
	if err := output.Write(r.Stdout, t.format, out); err != nil {
		return 1, true
	}
	return 0, true
}

// profileValues loads the selected profile the way the engine does, and
// returns its name and values.
func profileValues(r *runState, name string) (string, map[string]string, bool) {
	f, ok := loadConfig(r)
	if !ok {
		return "", nil, false
	}
	name, err := config.SelectProfile(name, r.Getenv, f)
	if err != nil {
		return "", nil, false
	}
	values, ok := expanded(r, f, name)
	return name, values, ok
}

// loadConfig reads the configuration file and warns, as the engine does,
// about literal secrets in a file others can read.
func loadConfig(r *runState) (*config.File, bool) {
	path := config.PathFrom(r.Getenv, r.Home)
	dir, _ := r.cacheDir() // "" when unknown: LoadIndexed is then Load
	f, err := config.LoadIndexed(path, dir)
	if err != nil {
		return nil, false
	}
	config.WarnLiteralSecret(r.Stderr, r.Getenv, path, f)
	return f, true
}

// expanded returns a configured profile's values with its Entra
// shorthands expanded; false when the engine must report a problem.
func expanded(r *runState, f *config.File, name string) (map[string]string, bool) {
	p, err := f.Profile(name)
	if err != nil {
		return nil, false
	}
	values, err := entraprofile.Expand(p.Values, r.Getenv)
	if err != nil || values["provider"] == "" {
		return nil, false
	}
	return values, true
}

// lookup returns a cached entry for profile name's req valid for
// minValidity and not due for its early refresh.
func lookup(r *runState, name string, req tokenkey.Request, minValidity time.Duration) (*cache.Entry, bool) {
	return lookupKey(r, name, req, accessKey, fixed(minValidity))
}

// accessKey is the key of a request's access token, as the engine's.
func accessKey(req tokenkey.Request) string { return tokenkey.Access(req, config.IsSecret) }

// lookupKey returns the entry under the key keyOf derives from profile
// name's req, bound to its account and its credential fingerprinted as
// the engine does, if it is valid for the minimum validity minValidity
// gives for it and not due for its early refresh. It declines (false) on
// every doubt: a secret reference that does not resolve or a key file
// that cannot be read (the engine then reports it, exit 2), no salt yet,
// several accounts and none bound, a negative minimum validity.
func lookupKey(r *runState, name string, req tokenkey.Request, keyOf func(tokenkey.Request) string, minValidity func(*cache.Entry) time.Duration) (*cache.Entry, bool) {
	c, ok := r.cache()
	if !ok {
		return nil, false
	}
	req, ok = keyed(r, c, name, req)
	if !ok {
		return nil, false
	}
	e, ok := c.Get(keyOf(req))
	if !ok {
		return nil, false
	}
	now, v := r.Now(), minValidity(e)
	if v < 0 || !cache.Valid(e, now, v) || cache.NeedsRefresh(e, now) {
		return nil, false
	}
	return e, true
}

// keyed sets the account profile name's req is bound to and its
// credential fingerprints under the cache's salt; false when there is no
// salt yet (so no keyed entry), the account is in doubt, or a reference
// or key file cannot be read.
func keyed(r *runState, c *cache.Cache, name string, req tokenkey.Request) (tokenkey.Request, bool) {
	salt, ok, err := c.ExistingSalt()
	if !ok || err != nil {
		return req, false
	}
	if req.Account, ok = boundAccount(c, name, req.Values); !ok {
		return req, false
	}
	req, err = tokenkey.Keyed(req, salt, config.IsSecret, lookupEnv(r.Getenv))
	return req, err == nil
}

// lookupEnv reads the environment as the engine does: an empty variable
// counts as unset.
func lookupEnv(getenv func(string) string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v := getenv(name)
		return v, v != ""
	}
}
