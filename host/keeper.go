package host

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// TokenGetter asks a plugin for tokens; *Plugin and *Supervisor implement
// it. GetToken must be safe for concurrent use.
type TokenGetter interface {
	GetToken(ctx context.Context, req *Request) (*Token, error)
}

// KeeperOptions configures NewKeeper. The zero value gives the defaults.
type KeeperOptions struct {
	// MinValidity is the least remaining lifetime of a token Token returns
	// (CONTRACT §7: a token of lifetime L and expiry E serves while
	// E − min(5 min, L/10) − now ≥ MinValidity); zero means one minute.
	MinValidity time.Duration
	// RefreshTimeout bounds one background refresh; zero means one minute.
	RefreshTimeout time.Duration
	// RetryBackoff is the wait after a failed background refresh, doubled
	// after each further failure up to one minute; zero means one second.
	RetryBackoff time.Duration
	// Logger receives refresh events (token fingerprints and expiry times,
	// never token values); nil is silent.
	Logger hclog.Logger
}

// Keeper keeps one request's token in memory for a long-running host and
// refreshes it ahead of expiry, so that callers almost never wait for a
// plugin. Token answers from memory while the token is valid for at least
// MinValidity; otherwise it asks the TokenGetter, one request at a time.
// In the background the Keeper asks again when three quarters of the
// token's usable life have passed (or at the provider's own refresh time,
// if earlier), so the next token is ready before the current one stops
// serving. The plugin's opaque state is carried from one call to the next.
//
// A background refresh that fails for a transient reason (an unavailable
// server, a dead plugin) is retried with backoff while the current token
// still serves; a refusal or a need for a person stops background
// refreshes until a call to Token succeeds. A token of unknown expiry is
// kept until Close; one the provider marks NoCache is never kept.
//
// Its methods are safe for concurrent use. Close stops the background
// refreshes; it does not close the TokenGetter.
type Keeper struct {
	g      TokenGetter
	req    Request
	opts   KeeperOptions
	log    hclog.Logger
	ctx    context.Context // ends at Close
	cancel context.CancelFunc
	done   chan struct{} // closed when the loop has returned
	wake   chan struct{} // a new token or a changed schedule
	sem    chan struct{} // held while asking the TokenGetter

	mu      sync.Mutex
	cur     *Token
	got     time.Time // when cur arrived
	state   []byte
	retryAt time.Time // next background attempt after a failure
	wait    time.Duration
	paused  bool
}

// NewKeeper returns a Keeper of req's token, asked of g; it keeps its own
// copy of req. It asks nothing until the first call to Token.
func NewKeeper(g TokenGetter, req Request, opts KeeperOptions) *Keeper {
	opts.MinValidity = orDuration(opts.MinValidity, time.Minute)
	opts.RefreshTimeout = orDuration(opts.RefreshTimeout, time.Minute)
	opts.RetryBackoff = orDuration(opts.RetryBackoff, time.Second)
	req.Config, req.Scopes = maps.Clone(req.Config), slices.Clone(req.Scopes)
	ctx, cancel := context.WithCancel(context.Background())
	k := &Keeper{
		g: g, req: req, opts: opts, log: orNull(opts.Logger), ctx: ctx, cancel: cancel, state: req.State,
		done: make(chan struct{}), wake: make(chan struct{}, 1), sem: make(chan struct{}, 1),
	}
	go k.loop()
	return k
}

// Token returns the kept token, or asks for a new one when it is missing
// or no longer valid for MinValidity. The result is the caller's copy; its
// State is empty (the Keeper keeps the state).
func (k *Keeper) Token(ctx context.Context) (*Token, error) {
	if t, err := k.serving(); t != nil || err != nil {
		return t, err
	}
	if err := k.acquire(ctx); err != nil {
		return nil, err
	}
	defer k.release()
	if t, err := k.serving(); t != nil || err != nil {
		return t, err // another caller fetched it meanwhile
	}
	return k.fetch(ctx)
}

// Close stops the background refreshes and forgets the token. Later calls
// to Token return ErrClosed. It is safe to call more than once.
func (k *Keeper) Close() error {
	k.cancel()
	<-k.done
	k.mu.Lock()
	k.cur, k.state = nil, nil
	k.mu.Unlock()
	return nil
}

// serving returns a copy of the kept token if it still serves.
func (k *Keeper) serving() (*Token, error) {
	if k.ctx.Err() != nil {
		return nil, ErrClosed
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur == nil || !usable(k.cur, k.got, time.Now(), k.opts.MinValidity) {
		return nil, nil
	}
	return callerCopy(k.cur), nil
}

// fetch asks the TokenGetter and keeps the answer. The caller holds sem.
func (k *Keeper) fetch(ctx context.Context) (*Token, error) {
	k.mu.Lock()
	req := k.req
	req.State = k.state
	k.mu.Unlock()
	req.MinValidity = k.opts.MinValidity
	tok, err := k.g.GetToken(ctx, &req)
	if err != nil {
		return nil, err
	}
	k.keep(tok)
	k.log.Debug("token obtained", "fingerprint", tok.AccessToken.Fingerprint(), "expires_at", tok.ExpiresAt)
	return callerCopy(tok), nil
}

// keep stores a new token and its state and resets the schedule.
func (k *Keeper) keep(tok *Token) {
	k.mu.Lock()
	switch {
	case tok.ClearState:
		k.state = nil
	case tok.State != nil:
		k.state = tok.State
	}
	if tok.NoCache {
		k.cur = nil
	} else {
		k.cur, k.got = tok, time.Now()
	}
	k.retryAt, k.wait, k.paused = time.Time{}, 0, false
	k.mu.Unlock()
	k.poke()
}

// loop refreshes the token ahead of expiry until Close.
func (k *Keeper) loop() {
	defer close(k.done)
	for {
		d, scheduled := k.untilRefresh(time.Now())
		if !scheduled {
			d = time.Hour // nothing due: sleep until woken
		}
		t := time.NewTimer(d)
		select {
		case <-k.ctx.Done():
			t.Stop()
			return
		case <-k.wake:
			t.Stop()
		case <-t.C:
			if scheduled {
				k.refreshAhead()
			}
		}
	}
}

// untilRefresh says how long until the next background refresh, and false
// when none is due (no token, unknown expiry, or paused).
func (k *Keeper) untilRefresh(now time.Time) (time.Duration, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur == nil || k.cur.ExpiresAt.IsZero() || k.paused {
		return 0, false
	}
	at, ok := refreshPoint(k.cur, k.got, k.opts.MinValidity)
	if !k.retryAt.IsZero() {
		at, ok = k.retryAt, true
	}
	return max(at.Sub(now), 0), ok
}

// refreshAhead runs one background refresh, unless a caller has just
// fetched a new token.
func (k *Keeper) refreshAhead() {
	ctx, cancel := context.WithTimeout(k.ctx, k.opts.RefreshTimeout)
	defer cancel()
	k.mu.Lock()
	before := k.cur
	k.mu.Unlock()
	if k.acquire(ctx) != nil {
		return
	}
	defer k.release()
	k.mu.Lock()
	changed := k.cur != before
	k.mu.Unlock()
	if changed {
		return
	}
	if _, err := k.fetch(ctx); err != nil && k.ctx.Err() == nil {
		k.failed(err)
	}
}

// failed schedules a retry after a transient failure, or pauses.
func (k *Keeper) failed(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !transient(err) {
		k.paused = true
		k.log.Warn("background token refresh failed; waiting for the next call", "kind", plugin.KindOf(err).String(), "error", err.Error())
		return
	}
	k.wait = min(max(2*k.wait, k.opts.RetryBackoff), time.Minute)
	k.retryAt = time.Now().Add(k.wait)
	k.log.Warn("background token refresh failed; retrying", "after", k.wait.String(), "error", err.Error())
}

// transient reports whether a failed refresh may succeed if tried again.
func transient(err error) bool {
	switch plugin.KindOf(err) {
	case plugin.KindUnavailable, plugin.KindInternal:
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

func (k *Keeper) acquire(ctx context.Context) error {
	select {
	case k.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-k.ctx.Done():
		return ErrClosed
	}
}

func (k *Keeper) release() { <-k.sem }

// poke wakes the loop to recompute its schedule.
func (k *Keeper) poke() {
	select {
	case k.wake <- struct{}{}:
	default:
	}
}

// margin is CONTRACT §7's safety margin of a token of lifetime l:
// min(5 min, l/10).
func margin(l time.Duration) time.Duration { return min(5*time.Minute, l/10) }

// usable reports whether tok, obtained at got, still serves a caller who
// needs it valid for minValidity at now. A token of unknown expiry always
// serves.
func usable(tok *Token, got, now time.Time, minValidity time.Duration) bool {
	if tok.ExpiresAt.IsZero() {
		return true
	}
	m := margin(tok.ExpiresAt.Sub(got))
	return tok.ExpiresAt.Sub(now)-m >= minValidity
}

// minRefreshInterval is the least time between a token's arrival and
// its background refresh, so that tokens of a very short life cannot make
// the Keeper ask in a tight loop.
const minRefreshInterval = time.Second

// refreshPoint is when to ask for the token after tok, obtained at got:
// three quarters of the way from got to the moment tok stops serving
// callers who need minValidity, or the provider's RefreshAt if that is
// earlier, but not before minRefreshInterval has passed. It reports false
// for a token that never serves (its life is shorter than its margin and
// minValidity): callers fetch such a token themselves.
func refreshPoint(tok *Token, got time.Time, minValidity time.Duration) (time.Time, bool) {
	life := tok.ExpiresAt.Sub(got)
	usableFor := life - margin(life) - minValidity
	if usableFor <= 0 {
		return time.Time{}, false
	}
	at := got.Add(usableFor * 3 / 4)
	if r := tok.RefreshAt; !r.IsZero() && r.Before(at) {
		at = r
	}
	if floor := got.Add(minRefreshInterval); at.Before(floor) {
		at = floor
	}
	return at, true
}

// callerCopy copies tok for a caller, without the state.
func callerCopy(tok *Token) *Token {
	t := *tok
	t.State, t.ClearState = nil, false
	return &t
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
