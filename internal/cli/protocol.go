package cli

import (
	"context"
	"errors"
	"io"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newProtocolCmd is the engine's command for a host protocol: its flags
// are a host protocol's (registerHostFlags), and it serves the request
// through an engineSession, the whole token pipeline.
func newProtocolCmd(env *Env, p protocol.Protocol) *cobra.Command {
	var c commonFlags
	h := p.Help()
	cmd := &cobra.Command{
		Use: h.Use, Short: h.Short, Long: h.Long, Example: h.Example,
		Args: argsRule(h),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.interact.stdinNotUser = true // stdin is the tool's
			s := &engineSession{e: env, c: &c, fs: cmd.Flags()}
			return engineError(p.Serve(cmd.Context(), s, args))
		},
	}
	if h.Profile == protocol.AsToken {
		c.register(cmd.Flags())
	} else {
		registerHostFlags(&c, cmd.Flags())
	}
	return cmd
}

// argsRule is cobra's check of a protocol's positional arguments; a
// wrong count is a usage error unless h.LooseArgs.
func argsRule(h protocol.Help) cobra.PositionalArgs {
	check := cobra.RangeArgs(h.MinArgs, h.MaxArgs)
	switch {
	case h.MaxArgs == 0:
		check = cobra.NoArgs
	case h.MinArgs == h.MaxArgs:
		check = cobra.ExactArgs(h.MinArgs)
	}
	if h.LooseArgs {
		return check
	}
	return usageArgs(check)
}

// engineError is a protocol's error as the CLI reports it.
func engineError(err error) error {
	var ue *protocol.UsageError
	var ex *protocol.Exit
	switch {
	case errors.As(err, &ue):
		return &usageError{ue.Err}
	case errors.As(err, &ex):
		return &silentExit{ex.Code}
	}
	return err
}

// engineSession is the engine's protocol.Session: the command line's
// flags and the token pipeline.
type engineSession struct {
	e  *Env
	c  *commonFlags
	fs *pflag.FlagSet
}

// CacheOnly is false: the engine does everything.
func (*engineSession) CacheOnly() bool { return false }

// Stdin is the tool's request, bounded by --timeout.
func (s *engineSession) Stdin(tool string) io.Reader { return s.e.request(s.c, tool) }

// Stdout is the process's standard output.
func (s *engineSession) Stdout() io.Writer { return s.e.Stdout }

// Select picks the profile as hostProfile does.
func (s *engineSession) Select(r protocol.Request) (*protocol.Profile, error) {
	p, err := s.e.hostProfile(s.c, s.fs, r)
	if err != nil || p == nil {
		return nil, err
	}
	return &protocol.Profile{Name: p.Name, Values: p.Values}, nil
}

// Default picks the profile as keyfob token does.
func (s *engineSession) Default() (*protocol.Profile, error) {
	p, err := s.e.selectProfile(s.c, s.fs)
	if err != nil {
		return nil, err
	}
	return &protocol.Profile{Name: p.Name, Values: p.Values}, nil
}

// Matching names the profile -p or r's host selects.
func (s *engineSession) Matching(r protocol.Request) (string, error) {
	f, err := s.e.readConfig()
	if err != nil {
		return "", err
	}
	name, _ := hostproto.Choose(f, s.e.Getenv, s.c.profile, r)
	return name, nil
}

// Token gets a token through the pipeline, with w's minimum validity
// unless --min-validity was given.
func (s *engineSession) Token(ctx context.Context, p *protocol.Profile, w protocol.Want) (*host.CacheEntry, error) {
	prof := &profile{Name: p.Name, Values: p.Values}
	if w.MinValidity != nil && !s.fs.Changed("min-validity") {
		s.c.minValidity = w.MinValidity(s.e.peekCached(s.c, prof))
	}
	return s.e.getCachedToken(ctx, s.c, prof)
}

// Forget drops p's cached access token.
func (s *engineSession) Forget(p *protocol.Profile) error {
	return s.e.dropCached(s.c, &profile{Name: p.Name, Values: p.Values}, "")
}
