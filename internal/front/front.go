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
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
	"github.com/keyfob/keyfob/internal/output"
	"github.com/keyfob/keyfob/internal/tokenkey"
)

// Env is what the front reads and writes.
type Env struct {
	Args   []string
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Home   string
	Now    func() time.Time
}

// Run answers args from the cache if it can. It returns the exit code and
// true when it answered, or false when the engine must run instead; it
// writes nothing in that case.
func Run(env Env) (code int, handled bool) {
	if len(env.Args) == 0 || env.Args[0] != "token" {
		return 0, false
	}
	req, ok := parseToken(env.Args[1:])
	if !ok {
		return 0, false
	}
	return serveToken(env, req)
}

// tokenRequest is a keyfob token command line the front understands.
type tokenRequest struct {
	profile     string
	format      output.Format
	scopes      []string
	minValidity time.Duration
}

// serveToken answers a token request from the cache.
func serveToken(env Env, r tokenRequest) (int, bool) {
	values, ok := profileValues(env, r.profile)
	if !ok {
		return 0, false
	}
	e, ok := lookup(env, tokenkey.Request{Values: values, Scopes: r.scopes}, r.minValidity)
	if !ok {
		return 0, false
	}
	out := output.Token{AccessToken: e.AccessToken, TokenType: e.TokenType, ExpiresAt: cache.HostExpiry(e), Scope: e.Scope}
	if err := output.Write(env.Stdout, r.format, out); err != nil {
		return 1, true
	}
	return 0, true
}

// profileValues loads the selected profile the way the engine does.
func profileValues(env Env, name string) (map[string]string, bool) {
	path := config.PathFrom(env.Getenv, env.Home)
	f, err := config.Load(path)
	if err != nil {
		return nil, false
	}
	name, err = config.SelectProfile(name, env.Getenv, f)
	if err != nil {
		return nil, false
	}
	p, err := f.Profile(name)
	if err != nil {
		return nil, false
	}
	values, err := entraprofile.Expand(p.Values, env.Getenv)
	if err != nil || values["provider"] == "" {
		return nil, false
	}
	if w := config.LiteralSecretWarning(path, f); w != "" {
		_, _ = io.WriteString(env.Stderr, "keyfob: warning: "+w+"\n")
	}
	return values, true
}

// lookup returns a cached entry valid for minValidity and not due for its
// early refresh.
func lookup(env Env, req tokenkey.Request, minValidity time.Duration) (*cache.Entry, bool) {
	dir, err := cache.Dir(env.Getenv)
	if err != nil {
		return nil, false
	}
	c, err := cache.Open(dir, cache.Options{})
	if err != nil {
		return nil, false
	}
	e, ok := c.Get(tokenkey.Access(req, config.IsSecret))
	now := env.Now()
	if !ok || !cache.Valid(e, now, minValidity) || cache.NeedsRefresh(e, now) {
		return nil, false
	}
	return e, true
}
