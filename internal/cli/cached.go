package cli

import (
	"context"
	"fmt"
	"maps"
	"sync"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
)

// getCachedToken answers from the cache, or gets a token and stores it,
// through host.Cache, the token pipeline: keyfob login signs in afresh.
// An error that needs a person ends with the keyfob login command that
// signs in (CONTRACT §5).
func (e *Env) getCachedToken(ctx context.Context, c *commonFlags, p *profile) (*host.CacheEntry, error) {
	if c.minValidity < 0 {
		return nil, &usageError{fmt.Errorf("--min-validity %v is negative: give how long a served token must still last, e.g. 1m", c.minValidity)}
	}
	tc, req := e.tokens(c, p), tokenRequest(c, p)
	var ent *host.CacheEntry
	var err error
	if c.interact.login {
		ent, err = tc.SignIn(ctx, req)
	} else {
		ent, err = tc.Entry(ctx, req)
	}
	return ent, withLoginHint(err, c, p)
}

// tokens is the token pipeline of profile p with the command's settings:
// keyfob's cache directory, its plugins launched per call, the person
// reached through the interaction rules, messages on stderr.
func (e *Env) tokens(c *commonFlags, p *profile) *host.Cache {
	return e.tokensWith(&launcher{env: e, p: p}, c, p)
}

// tokensWith is tokens asking g for the tokens it does not have.
func (e *Env) tokensWith(g host.TokenGetter, c *commonFlags, p *profile) *host.Cache {
	return host.NewCache(g, host.CacheOptions{
		Profile: p.Name, Getenv: e.Getenv, IsSecret: config.IsSecret, Interactive: interactiveProvider(p),
		Timeout: c.timeout, LockTimeout: c.lockTimeout, Messages: e.Stderr, Now: e.Now,
		Logger: newLogger(e.Stderr, e.Getenv("KEYFOB_LOG")),
		Interaction: func(forbid string) host.CallInteraction {
			o := c.interact
			if forbid != "" {
				o.forbid = forbid
			}
			return callInteraction{e.interaction(p, o)}
		},
	})
}

// adminCache is the pipeline without a getter, for listing and clearing.
func (e *Env) adminCache() *host.Cache {
	return host.NewCache(nil, host.CacheOptions{Getenv: e.Getenv, IsSecret: config.IsSecret, Now: e.Now})
}

// tokenRequest is the request p makes: its values in wire form (the
// pipeline resolves references and keeps the host's keys to itself),
// the command line's scopes, claims and refresh settings.
func tokenRequest(c *commonFlags, p *profile) *host.Request {
	cfg := p.Values
	if c.interact.noBrowser {
		cfg = maps.Clone(cfg)
		cfg["no_browser"] = "true"
	}
	return &host.Request{Provider: p.Values["provider"], Config: cfg, Scopes: c.scopes,
		ForceRefresh: c.forceRefresh, MinValidity: c.minValidity, Claims: c.claims}
}

// callInteraction adapts signin to host.CallInteraction.
type callInteraction struct{ *signin }

// Asked reports whether a person was asked.
func (s callInteraction) Asked() bool { return s.wasAsked() }

// Close ends the interaction.
func (s callInteraction) Close() error { s.close(); return nil }

// builtinInfo describes the built-in providers, from builtinRegistry.
var builtinInfo = sync.OnceValue(func() map[string]plugin.ProviderInfo {
	out := map[string]plugin.ProviderInfo{}
	for _, info := range builtinRegistry().Providers() {
		out[info.Name] = info
	}
	return out
})

// interactiveProvider reports whether the profile's provider may sign a
// person in, as its ProviderInfo declares; the pipeline then bounds its
// calls by host.MaxSigninWait rather than host.DefaultTimeout (--timeout
// and the timeout key still choose). An external plugin's providers are
// not known before it starts: they count as not interactive here; their
// profiles set timeout.
func interactiveProvider(p *profile) bool {
	return p.Values["plugin"] == "" && builtinInfo()[p.Values["provider"]].Interactive
}
