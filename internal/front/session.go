package front

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/internal/hostselect"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// serveProtocol answers a host protocol's request from the cache, through
// a cacheSession; it declines (false) when the protocol hands off or the
// command line has anything the front does not handle.
func serveProtocol(r *runState, p protocol.Protocol, args []string) (int, bool) {
	a, ok := parseHostArgs(args)
	if h := p.Help(); !ok || len(a.positional) < h.MinArgs || len(a.positional) > h.MaxArgs {
		return 0, false
	}
	return frontExit(r.Env, p.Serve(context.Background(), &cacheSession{env: r, args: a}, a.positional))
}

// frontExit is the front's answer for what Serve returned: decline for a
// hand-off or a usage error (the engine reports it), the engine's answer
// for a request that did not arrive in time, and for any other error (a
// write that failed) exit 1 with the one line the engine prints for it.
func frontExit(env Env, err error) (int, bool) {
	var te *protocol.StdinTimeout
	var ue *protocol.UsageError
	var ex *protocol.Exit
	switch {
	case err == nil:
		return 0, true
	case errors.Is(err, protocol.ErrHandOff), errors.As(err, &ue):
		return 0, false
	case errors.As(err, &te):
		_, _ = io.WriteString(env.Stderr, "keyfob: "+te.Error()+"\n")
		return protocol.StdinTimeoutExit, true
	case errors.As(err, &ex):
		return ex.Code, true
	}
	_, _ = io.WriteString(env.Stderr, "keyfob: "+errdefs.OneLine(err.Error())+"\n")
	return 1, true
}

// cacheSession is the front's protocol.Session: it answers from the
// cache and returns protocol.ErrHandOff for everything else.
type cacheSession struct {
	env  *runState
	args hostArgs
}

// CacheOnly is true.
func (*cacheSession) CacheOnly() bool { return true }

// Stdin is the front's Input, bounded by --timeout.
func (s *cacheSession) Stdin(tool string) io.Reader {
	return s.env.Stdin.Within(tool, s.args.timeout)
}

// Stdout is the front's standard output.
func (s *cacheSession) Stdout() io.Writer { return s.env.Stdout }

// Stderr is the front's standard error.
func (s *cacheSession) Stderr() io.Writer { return s.env.Stderr }

// Getenv reads the front's environment.
func (s *cacheSession) Getenv(name string) string { return s.env.Getenv(name) }

// StdinNotUser does nothing: the front never prompts.
func (*cacheSession) StdinNotUser() {}

// Select picks the profile as the engine does (hostProfile).
func (s *cacheSession) Select(r protocol.Request) (*protocol.Profile, error) {
	name, values, nothing, ok := hostProfile(s.env, s.args.profile, r)
	switch {
	case !ok:
		return nil, protocol.ErrHandOff
	case nothing:
		return nil, nil
	}
	return &protocol.Profile{Name: name, Values: values}, nil
}

// Default picks the profile as keyfob token does, fallback before
// $KEYFOB_PROFILE (the front declines --provider).
func (s *cacheSession) Default(fallback string) (*protocol.Profile, error) {
	name := s.args.profile
	if name == "" {
		name = fallback
	}
	name, values, ok := profileValues(s.env, name)
	if !ok {
		return nil, protocol.ErrHandOff
	}
	return &protocol.Profile{Name: name, Values: values}, nil
}

// Matching hands off: only the engine's actions need it.
func (*cacheSession) Matching(protocol.Request) (string, error) { return "", protocol.ErrHandOff }

// Token returns the cached entry for p if it is valid for the minimum
// validity --min-validity, else w, else the default gives it, and w finds
// it usable.
func (s *cacheSession) Token(_ context.Context, p *protocol.Profile, w protocol.Want) (*cache.Entry, error) {
	minValidity := fixed(s.args.minValidity)
	if w.MinValidity != nil && !s.args.minSet {
		minValidity = w.MinValidity
	}
	e, ok := lookupKey(s.env, p.Name, s.request(p, w.Scopes), accessKey, minValidity)
	if !ok || w.Usable != nil && !w.Usable(e, s.env.Now(), minValidity(e)) {
		return nil, protocol.ErrHandOff
	}
	return e, nil
}

// request is the key request of p's token: --scope, else scopes.
func (s *cacheSession) request(p *protocol.Profile, scopes []string) tokenkey.Request {
	if len(s.args.scopes) > 0 {
		scopes = s.args.scopes
	}
	return tokenkey.Request{Values: p.Values, Scopes: scopes}
}

// Derived returns the cached entry under key if it is valid for
// --min-validity.
func (s *cacheSession) Derived(p *protocol.Profile, key protocol.KeyOf) (*cache.Entry, error) {
	e, ok := lookupKey(s.env, p.Name, s.request(p, nil), key, fixed(s.args.minValidity))
	if !ok {
		return nil, protocol.ErrHandOff
	}
	return e, nil
}

// Forget hands off: the front changes nothing.
func (*cacheSession) Forget(*protocol.Profile, string, ...protocol.KeyOf) error {
	return protocol.ErrHandOff
}

// PutDerived hands off: the front changes nothing.
func (*cacheSession) PutDerived(*protocol.Profile, protocol.KeyOf, *cache.Entry) error {
	return protocol.ErrHandOff
}

// EachProfile hands off: only the engine's actions need it.
func (*cacheSession) EachProfile(func(*protocol.Profile, []string)) error { return protocol.ErrHandOff }

// Version is "": only the engine's actions need it.
func (*cacheSession) Version() string { return "" }

// ExitCode is 1: the front fails only to write.
func (*cacheSession) ExitCode(error) int { return 1 }

// NamesProfile reports whether -p is given (the front declines
// --provider).
func (s *cacheSession) NamesProfile() bool { return s.args.profile != "" }

// Named hands off: only the engine's protocols need it.
func (*cacheSession) Named() (*protocol.Profile, error) { return nil, protocol.ErrHandOff }

// ForURL hands off: only the engine's protocols need it.
func (*cacheSession) ForURL(string, bool) (*protocol.Profile, error) { return nil, protocol.ErrHandOff }

// MatchURL hands off: only the engine's protocols need it.
func (*cacheSession) MatchURL(string) (string, error) { return "", protocol.ErrHandOff }

// Sub hands off: only the engine's protocols need it.
func (*cacheSession) Sub([]string) (protocol.Session, error) { return nil, protocol.ErrHandOff }

// Quiet does nothing: the front hands off whatever is not a cache hit.
func (*cacheSession) Quiet(string) {}

// ErrorCode is "internal": the front fails only to write.
func (*cacheSession) ErrorCode(error) string { return "internal" }

// hostProfile selects the profile for a host protocol's request as the
// engine does (cli's hostProfile) and returns its name and values:
// nothing is true when no profile serves r (after saying why on stderr if
// a selected one refuses); ok is false to decline.
func hostProfile(env *runState, flagProfile string, r protocol.Request) (name string, values map[string]string, nothing, ok bool) {
	f, ok := loadConfig(env)
	if !ok {
		return "", nil, false, false
	}
	name, found := hostselect.Choose(f, env.Getenv, flagProfile, r)
	if !found {
		return "", nil, true, true
	}
	if values, ok = expanded(env, f, name); !ok {
		return "", nil, false, false
	}
	if why := hostselect.Refusal(name, values, r, flagProfile != ""); why != "" {
		_, _ = io.WriteString(env.Stderr, "keyfob: "+why+"\n")
		return "", nil, true, true
	}
	return name, values, false, true
}

// fixed is a minimum validity that does not depend on the entry.
func fixed(v time.Duration) func(*cache.Entry) time.Duration {
	return func(*cache.Entry) time.Duration { return v }
}
