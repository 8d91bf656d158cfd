package protocol

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/keyfob/keyfob/host/cache"
)

// ErrHandOff is returned by a cache-only Session (the lean front) for
// whatever it cannot answer: a cache miss, a doubt about the profile, an
// action that changes something. The front then hands the whole request
// to the engine, which serves it again from the start.
var ErrHandOff = errors.New("hand off to the engine")

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
	// *StdinTimeout naming tool.
	Stdin(tool string) io.Reader
	// Stdout is where the answer goes, and nothing else.
	Stdout() io.Writer
	// Select picks the profile that serves r (CONTRACT §5): -p, else the
	// profile whose hosts best match r; never default_profile or
	// $KEYFOB_PROFILE. It returns nil and no error when none serves r —
	// the protocol's "nothing here" — having said why on stderr when the
	// selected profile refuses r (its transport, its hosts).
	Select(r Request) (*Profile, error)
	// Default picks the profile as keyfob token does: -p, else
	// $KEYFOB_PROFILE, else default_profile, else the environment's.
	Default() (*Profile, error)
	// Matching names the profile that -p or r's host selects, without
	// Select's checks; "" when none.
	Matching(r Request) (string, error)
	// Token returns a token of p valid as the command line and w ask.
	Token(ctx context.Context, p *Profile, w Want) (*cache.Entry, error)
	// Forget drops p's cached access token, keeping its refresh state.
	Forget(p *Profile) error
}

// Profile is the profile a Session selected.
type Profile struct {
	// Name is the profile's name.
	Name string
	// Values are its effective keys, presets and shorthands expanded.
	// They are the session's: a protocol reads them and never changes them.
	Values map[string]string
}

// Want is what a protocol asks of a token beyond the command line.
type Want struct {
	// MinValidity, when not nil, is how long a cached entry (nil when
	// there is none) must still be valid unless --min-validity is given.
	MinValidity func(*cache.Entry) time.Duration
}

// Full returns ErrHandOff in a cache-only session, nil in the engine's:
// a protocol calls it first in an action only the engine does.
func Full(s Session) error {
	if s.CacheOnly() {
		return ErrHandOff
	}
	return nil
}
