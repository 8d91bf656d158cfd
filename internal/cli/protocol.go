package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
	"github.com/keyfob/keyfob/internal/hostselect"
	"github.com/keyfob/keyfob/plugin"
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
		Use: h.Use, Short: h.Short, Long: h.Long, Example: h.Example, Aliases: h.CommandAliases,
		Args: argsRule(h), DisableFlagParsing: h.RawArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c.interact.stdinNotUser = !h.UserStdin // stdin is the tool's
			s := &engineSession{e: env, c: &c, fs: cmd.Flags(), name: p.Name(), profiles: map[*protocol.Profile]*profile{}}
			err := p.Serve(cmd.Context(), s, args)
			if errors.Is(err, protocol.ErrHelp) {
				return cmd.Help()
			}
			return engineError(err)
		},
	}
	if h.Profile == protocol.AsToken {
		c.register(cmd.Flags())
	} else {
		registerHostFlags(&c, cmd.Flags())
	}
	for _, sw := range h.Switches {
		cmd.Flags().Bool(sw.Name, false, sw.Usage)
	}
	return cmd
}

// protocolArgs is the command line args stand for (protocol.ForArgs):
// cargo runs a provider with --cargo-plugin alone.
func protocolArgs(args []string) []string { return protocol.ForArgs(all.Protocols(), args) }

// argsRule is cobra's check of a protocol's positional arguments; a
// wrong count is a usage error unless h.LooseArgs. A protocol that parses
// its own command line (h.RawArgs) takes any.
func argsRule(h protocol.Help) cobra.PositionalArgs {
	if h.RawArgs {
		return nil
	}
	check := cobra.RangeArgs(h.MinArgs, h.MaxArgs)
	switch {
	case h.MaxArgs == 0:
		check = cobra.NoArgs
	case h.MinArgs == h.MaxArgs:
		check = cobra.ExactArgs(h.MinArgs)
	case h.MinArgs == 0:
		check = cobra.MaximumNArgs(h.MaxArgs)
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
	// name is the protocol's command name.
	name string
	// profiles are the profiles the session selected, with the flags
	// their sign-in hint names.
	profiles map[*protocol.Profile]*profile
}

// CacheOnly is false: the engine does everything.
func (*engineSession) CacheOnly() bool { return false }

// Stdin is the tool's request, bounded by --timeout unless tool is "".
func (s *engineSession) Stdin(tool string) io.Reader {
	if tool == "" {
		return s.e.Stdin
	}
	return s.e.request(s.c, tool)
}

// Stdout is the process's standard output.
func (s *engineSession) Stdout() io.Writer { return s.e.Stdout }

// Stderr is the process's standard error.
func (s *engineSession) Stderr() io.Writer { return s.e.Stderr }

// Getenv reads the environment.
func (s *engineSession) Getenv(name string) string { return s.e.Getenv(name) }

// StdinNotUser keeps prompts off standard input.
func (s *engineSession) StdinNotUser() { s.c.interact.stdinNotUser = true }

// Select picks the profile as hostProfile does.
func (s *engineSession) Select(r protocol.Request) (*protocol.Profile, error) {
	p, err := s.e.hostProfile(s.c, s.fs, r)
	if err != nil || p == nil {
		return nil, err
	}
	return s.selected(p), nil
}

// Default picks the profile as keyfob token does, fallback before
// $KEYFOB_PROFILE unless --provider is given.
func (s *engineSession) Default(fallback string) (*protocol.Profile, error) {
	if s.c.profile == "" && fallback != "" && !s.fs.Changed("provider") {
		s.c.profile = fallback
	}
	p, err := s.e.selectProfile(s.c, s.fs)
	if err != nil {
		return nil, err
	}
	return s.selected(p), nil
}

// NamesProfile reports whether -p or --provider names the profile.
func (s *engineSession) NamesProfile() bool { return namesProfile(s.c, s.fs) }

// Named picks the profile the command line names, never from
// $KEYFOB_PROFILE.
func (s *engineSession) Named() (*protocol.Profile, error) {
	p, err := s.e.withoutProfileVar().selectProfile(s.c, s.fs)
	if err != nil {
		return nil, err
	}
	return s.selected(p), nil
}

// ForURL picks the profile for a URL as urlProfile does.
func (s *engineSession) ForURL(rawURL string, needHosts bool) (*protocol.Profile, error) {
	p, err := s.e.urlProfile(s.c, s.fs, rawURL, needHosts)
	if err != nil || p == nil {
		return nil, err
	}
	return s.selected(p), nil
}

// MatchURL names the profile whose hosts in the file best match rawURL.
func (s *engineSession) MatchURL(rawURL string) (string, error) {
	f, err := s.e.readConfig()
	if err != nil {
		return "", err
	}
	name, _ := f.MatchHost("", "", "", rawURL)
	return name, nil
}

// Sub is a session whose command line is args, parsed anew.
func (s *engineSession) Sub(args []string) (protocol.Session, error) {
	var c commonFlags
	fs := pflag.NewFlagSet("keyfob "+s.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.register(fs)
	err := fs.Parse(args)
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err != nil {
		return nil, err
	}
	c.interact.stdinNotUser = s.c.interact.stdinNotUser
	return &engineSession{e: s.e, c: &c, fs: fs, name: s.name, profiles: s.profiles}, nil
}

// Quiet sends the rest of the session's stderr nowhere and forbids
// interaction.
func (s *engineSession) Quiet(forbid string) {
	quiet := *s.e
	quiet.Stderr = io.Discard
	s.e = &quiet
	s.c.interact.stdinNotUser = true
	s.c.interact.forbid = forbid
}

// ErrorCode is err's OAuth error code, else its kind.
func (*engineSession) ErrorCode(err error) string {
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.Code != "" {
		return oe.Code
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return plugin.KindConfig.String()
	}
	return plugin.KindOf(err).String()
}

// selected is p as the protocol sees it, remembered for profile.
func (s *engineSession) selected(p *profile) *protocol.Profile {
	pp := &protocol.Profile{Name: p.Name, Values: p.Values}
	s.profiles[pp] = p
	return pp
}

// profile is the CLI's profile of p.
func (s *engineSession) profile(p *protocol.Profile) *profile {
	if prof, ok := s.profiles[p]; ok {
		return prof
	}
	return &profile{Name: p.Name, Values: p.Values}
}

// Matching names the profile -p or r's host selects.
func (s *engineSession) Matching(r protocol.Request) (string, error) {
	f, err := s.e.readConfig()
	if err != nil {
		return "", err
	}
	name, _ := hostselect.Choose(f, s.e.Getenv, s.c.profile, r)
	return name, nil
}

// Token gets a token through the pipeline, with w's minimum validity
// unless --min-validity was given and w's scopes unless --scope was; a
// token w does not find usable is got again, once, as --force-refresh.
func (s *engineSession) Token(ctx context.Context, p *protocol.Profile, w protocol.Want) (*host.CacheEntry, error) {
	prof := s.profile(p)
	if len(s.c.scopes) == 0 && len(w.Scopes) > 0 {
		s.c.scopes = w.Scopes
	}
	if w.MinValidity != nil && !s.fs.Changed("min-validity") {
		s.c.minValidity = w.MinValidity(s.e.peekCached(s.c, prof))
	}
	e, err := s.e.getCachedToken(ctx, s.c, prof)
	if err != nil || w.Usable == nil || s.c.forceRefresh || w.Usable(e, s.e.Now(), s.c.minValidity) {
		return e, err
	}
	s.c.forceRefresh = true
	return s.e.getCachedToken(ctx, s.c, prof)
}

// Forget drops p's cached access token and the entries derived from it.
func (s *engineSession) Forget(p *protocol.Profile, rejected string, derived ...protocol.KeyOf) error {
	keys := make([]host.KeyOf, len(derived))
	for i, k := range derived {
		keys[i] = host.KeyOf(k)
	}
	return s.e.dropCached(s.c, s.profile(p), rejected, keys...)
}

// Derived returns the entry derived from p's token under key, or nil.
func (s *engineSession) Derived(p *protocol.Profile, key protocol.KeyOf) (*host.CacheEntry, error) {
	prof := s.profile(p)
	e, ok, err := s.e.tokens(s.c, prof).Derived(tokenRequest(s.c, prof), host.KeyOf(key))
	if !ok {
		return nil, err
	}
	return e, err
}

// PutDerived caches e under key beside p's token.
func (s *engineSession) PutDerived(p *protocol.Profile, key protocol.KeyOf, e *host.CacheEntry) error {
	prof := s.profile(p)
	return s.e.tokens(s.c, prof).PutDerived(tokenRequest(s.c, prof), host.KeyOf(key), e)
}

// EachProfile calls fn with every configured profile that expands and its
// hosts patterns.
func (s *engineSession) EachProfile(fn func(*protocol.Profile, []string)) error {
	f, err := s.e.loadConfig()
	if err != nil {
		return err
	}
	for _, name := range f.ProfileNames() {
		p, err := f.Profile(name)
		if err != nil {
			continue
		}
		values, err := entraprofile.Expand(p.Values, s.e.Getenv)
		if err != nil {
			continue
		}
		hosts, _ := (&config.Profile{Values: values}).List("hosts")
		fn(&protocol.Profile{Name: name, Values: values}, hosts)
	}
	return nil
}

// Version is keyfob's version.
func (*engineSession) Version() string { return VersionString() }

// ExitCode is the exit code Main gives err.
func (*engineSession) ExitCode(err error) int { return ExitCode(err) }
