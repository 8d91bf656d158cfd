package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
)

// ErrHandOff is returned by a cache-only Session (the lean front) for
// whatever it cannot answer: a cache miss, a doubt about the profile, an
// action that changes something. The front then hands the whole request
// to the engine, which serves it again from the start.
var ErrHandOff = errors.New("hand off to the engine")

// ErrHelp is returned by a protocol whose command line asks for its help
// (one that parses its own flags: Help.RawArgs); the engine prints it.
var ErrHelp = errors.New("help requested")

// Session is what a protocol answers with: the tool's standard streams,
// profile selection and the tokens. A Session serves one request, from
// one goroutine.
type Session interface {
	// CacheOnly reports whether the session answers from the cache alone
	// (the lean front). An action that changes something returns
	// ErrHandOff then, before it writes anything (see Full).
	CacheOnly() bool
	// Stdin is the tool's request on standard input, its reads bounded by
	// --timeout: a request that does not arrive in time fails with a
	// *StdinTimeout naming tool. With tool "" the reads are not bounded
	// (GOAUTH's input, only drained).
	Stdin(tool string) io.Reader
	// Stdout is where the answer goes, and nothing else.
	Stdout() io.Writer
	// Stderr is where a protocol says why it answers as it does: a note,
	// a warning, one line each, prefixed "keyfob: ".
	Stderr() io.Writer
	// Getenv reads the environment (empty for unset).
	Getenv(name string) string
	// StdinNotUser tells the session that standard input is not the
	// person's, so no prompt reads it (kubectl's spec.interactive false).
	// A protocol whose Help has UserStdin calls it when it learns so; for
	// the others the session assumes it from the start.
	StdinNotUser()
	// Select picks the profile that serves r (CONTRACT §5): -p, else the
	// profile whose hosts best match r; never default_profile or
	// $KEYFOB_PROFILE. It returns nil and no error when none serves r —
	// the protocol's "nothing here" — having said why on stderr when the
	// selected profile refuses r (its transport, its hosts).
	Select(r Request) (*Profile, error)
	// Default picks the profile as keyfob token does: -p, else fallback
	// when not "" and no --provider is given, else $KEYFOB_PROFILE, else
	// default_profile, else the environment's.
	Default(fallback string) (*Profile, error)
	// Matching names the profile that -p or r's host selects, without
	// Select's checks; "" when none.
	Matching(r Request) (string, error)
	// Token returns a token of p valid as the command line and w ask.
	Token(ctx context.Context, p *Profile, w Want) (*cache.Entry, error)
	// NamesProfile reports whether the command line names the profile:
	// -p, or a --provider that makes a profile of the command line alone.
	NamesProfile() bool
	// Named picks the profile the command line names, as Default does
	// but never from $KEYFOB_PROFILE; call it when NamesProfile.
	Named() (*Profile, error)
	// ForURL picks the profile for a request that names a URL (GOAUTH,
	// cargo; CONTRACT §5): the profile the command line names if it lists
	// no hosts (and needHosts is false) or its hosts match rawURL, else the
	// profile whose hosts best match rawURL; nil when none serves it.
	// $KEYFOB_PROFILE and default_profile are never used.
	ForURL(rawURL string, needHosts bool) (*Profile, error)
	// MatchURL names the profile whose hosts, as the file writes them,
	// best match rawURL; "" when none.
	MatchURL(rawURL string) (string, error)
	// Sub returns a session for the same request whose command line is
	// args, parsed anew (cargo's flags come with each request); an error
	// when they do not parse.
	Sub(args []string) (Session, error)
	// Quiet makes the rest of the request silent on stderr, and forbids
	// interaction, for the reason forbid names: a caller that runs keyfob
	// with nobody watching (Google's auth libraries).
	Quiet(forbid string)
	// ErrorCode is err's code for an answer that carries one: the
	// authorization server's OAuth error code, else keyfob's kind of
	// failure (config, refused, interaction_required, unavailable,
	// internal; a usage error is config).
	ErrorCode(err error) string
	// Forget drops p's cached access token, keeping its refresh state,
	// and the entries derived from it under derived. When rejected is not
	// "", only that token is dropped: a rejection of someone else's
	// credential leaves keyfob's alone.
	Forget(p *Profile, rejected string, derived ...KeyOf) error
	// Derived returns the valid entry derived from p's token under key (the
	// ACR refresh token), or nil when there is none.
	Derived(p *Profile, key KeyOf) (*cache.Entry, error)
	// PutDerived caches e under key beside p's token.
	PutDerived(p *Profile, key KeyOf, e *cache.Entry) error
	// EachProfile calls fn with every configured profile that expands, in
	// name order, and its hosts patterns.
	EachProfile(fn func(p *Profile, hosts []string)) error
	// Version is keyfob's version, as keyfob version prints it.
	Version() string
	// ExitCode is the exit code the session's face gives err (CONTRACT
	// §7).
	ExitCode(err error) int
}

// KeyOf derives the cache key of an entry kept beside a profile's access
// token from that token's key request (see tokenkey.Access).
type KeyOf func(tokenkey.Request) string

// Profile is the profile a Session selected.
type Profile struct {
	// Name is the profile's name.
	Name string
	// Values are its effective keys, presets and shorthands expanded.
	// They are the session's: a protocol reads them and never changes them.
	Values map[string]string
}

// Hosts decodes p's hosts patterns (a JSON array in its effective
// values); none when it has no hosts key.
func (p *Profile) Hosts() ([]string, error) {
	v := p.Values["hosts"]
	if v == "" {
		return nil, nil
	}
	var hosts []string
	if err := json.Unmarshal([]byte(v), &hosts); err != nil {
		return nil, fmt.Errorf("profile %q: key hosts: %w", p.Name, err)
	}
	return hosts, nil
}

// Want is what a protocol asks of a token beyond the command line.
type Want struct {
	// MinValidity, when not nil, is how long a cached entry (nil when
	// there is none) must still be valid unless --min-validity is given.
	MinValidity func(*cache.Entry) time.Duration
	// Scopes, when not empty, are the scopes asked for unless --scope is
	// given (the kubectl cluster's).
	Scopes []string
	// Usable, when not nil, reports whether entry e, valid for
	// minValidity from now, can be handed out; when it cannot, the engine
	// gets a new token once (as --force-refresh) and the front hands off.
	Usable func(e *cache.Entry, now time.Time, minValidity time.Duration) bool
}

// Full returns ErrHandOff in a cache-only session, nil in the engine's:
// a protocol calls it first in an action only the engine does.
func Full(s Session) error {
	if s.CacheOnly() {
		return ErrHandOff
	}
	return nil
}
