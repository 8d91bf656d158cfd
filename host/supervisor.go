package host

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// ErrClosed is returned by a Supervisor or Keeper used after Close.
var ErrClosed = errors.New("host: used after Close")

// Crash-loop protection of a Supervisor: a plugin that dies within
// stableAfter of its launch (or fails to launch) makes the next launch
// wait, restartDelay the first time and twice as long each time after, up
// to maxRestartDelay.
const (
	restartDelay    = 100 * time.Millisecond
	maxRestartDelay = 30 * time.Second
	stableAfter     = time.Minute
)

// Supervisor keeps one plugin running for a long-lived host, such as an
// automation service. It launches the plugin on first use and launches it
// again whenever it finds it dead (crashed, killed, or gone with its
// connection); a call that the plugin's death interrupted is sent once
// more to the new process. A plugin that keeps dying is relaunched with a
// growing delay rather than in a tight loop.
//
// Its methods are safe for concurrent use; concurrent callers share one
// launch. Close stops the plugin for good.
type Supervisor struct {
	opts Options
	log  hclog.Logger
	sem  chan struct{} // held while launching: one launch at a time

	mu       sync.Mutex
	cur      *Plugin
	started  time.Time
	restarts int
	failures int // launches in a row that died young or failed
	closed   bool
}

// NewSupervisor returns a Supervisor of the plugin opts describes. It
// starts nothing until the first call.
func NewSupervisor(opts Options) *Supervisor {
	return &Supervisor{opts: opts, log: orNull(opts.Logger), sem: make(chan struct{}, 1)}
}

// Plugin returns the running plugin, launching one when there is none or
// the last one has exited. The caller must not Close it.
func (s *Supervisor) Plugin(ctx context.Context) (*Plugin, error) {
	if p, err := s.live(); p != nil || err != nil {
		return p, err
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the plugin to start: %w", ctx.Err())
	}
	defer func() { <-s.sem }()
	if p, err := s.live(); p != nil || err != nil {
		return p, err // another caller launched it meanwhile
	}
	return s.launch(ctx)
}

// GetToken calls the plugin's GetToken, on a new plugin process if the
// last one died, and once more on a new one if the plugin died during the
// call. Errors are those of Plugin.GetToken.
func (s *Supervisor) GetToken(ctx context.Context, req *Request) (*Token, error) {
	var tok *Token
	err := s.do(ctx, func(p *Plugin) (err error) {
		tok, err = p.GetToken(ctx, req)
		return err
	})
	return tok, err
}

// ListProviders calls the plugin's ListProviders as GetToken does.
func (s *Supervisor) ListProviders(ctx context.Context) ([]plugin.ProviderInfo, string, error) {
	var (
		infos   []plugin.ProviderInfo
		version string
	)
	err := s.do(ctx, func(p *Plugin) (err error) {
		infos, version, err = p.ListProviders(ctx)
		return err
	})
	return infos, version, err
}

// Restarts reports how many times a dead plugin has been replaced.
func (s *Supervisor) Restarts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.restarts
}

// Pid returns the process id of the current plugin, which may have died
// since; 0 before the first launch.
func (s *Supervisor) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return 0
	}
	return s.cur.Pid()
}

// Close stops the plugin. Later calls return ErrClosed. It is safe to call
// more than once.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	p := s.cur
	s.cur, s.closed = nil, true
	s.mu.Unlock()
	if p != nil {
		return p.Close()
	}
	return nil
}

// do runs call on the live plugin, and once more on a new one when the
// plugin died during the call.
func (s *Supervisor) do(ctx context.Context, call func(*Plugin) error) error {
	p, err := s.Plugin(ctx)
	if err != nil {
		return err
	}
	err = call(p)
	var exited *PluginExitedError
	if !errors.As(err, &exited) {
		return err
	}
	s.log.Warn("plugin died during a call; launching it again", "pid", p.Pid())
	if p, err = s.Plugin(ctx); err != nil {
		return err
	}
	return call(p)
}

// live returns the current plugin if it is running, nil if a launch is
// needed, or ErrClosed.
func (s *Supervisor) live() (*Plugin, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, ErrClosed
	case s.cur != nil && !s.cur.Exited():
		return s.cur, nil
	}
	return nil, nil
}

// launch replaces a dead plugin (or starts the first), waiting first if
// the plugins before it died young. The caller holds s.sem.
func (s *Supervisor) launch(ctx context.Context) (*Plugin, error) {
	old, wait := s.retire(time.Now())
	if old != nil {
		_ = old.Close()
		s.log.Warn("plugin exited; launching it again", "pid", old.Pid(), "after", wait.String())
	}
	if err := sleepCtx(ctx, wait); err != nil {
		return nil, fmt.Errorf("waiting to launch the plugin again: %w", err)
	}
	p, err := Launch(ctx, s.opts)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err != nil:
		s.failures++
		return nil, err
	case s.closed:
		_ = p.Close()
		return nil, ErrClosed
	}
	if old != nil {
		s.restarts++
	}
	s.cur, s.started = p, time.Now()
	s.log.Debug("plugin started", "pid", p.Pid(), "protocol", p.ProtocolVersion())
	return p, nil
}

// retire takes the dead plugin out of service and says how long to wait
// before the next launch.
func (s *Supervisor) retire(now time.Time) (*Plugin, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.cur
	s.cur = nil
	if old != nil && now.Sub(s.started) < stableAfter {
		s.failures++
	} else if old != nil {
		s.failures = 0
	}
	return old, backoff(s.failures)
}

// backoff is the wait before a launch that follows n failures in a row.
func backoff(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	d := restartDelay
	for i := 1; i < n && d < maxRestartDelay; i++ {
		d *= 2
	}
	return min(d, maxRestartDelay)
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
