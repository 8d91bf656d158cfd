package cli

import (
	"fmt"
	"io"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/hostselect"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// registerHostFlags registers the common flags for a host protocol's
// command, whose profile comes from -p or the request's host.
func registerHostFlags(c *commonFlags, fs *pflag.FlagSet) {
	c.register(fs)
	fs.Lookup("profile").Usage = "profile name (default: the profile whose hosts match the request; never $KEYFOB_PROFILE or default_profile)"
}

// hostProfile selects the profile for a host protocol's request (CONTRACT
// §5): -p, else a profile given wholly by flags (--provider), else the
// profile whose hosts best match. It returns nil and no error when no
// profile serves the request — the protocol's "nothing here" — having
// said why on stderr when a selected profile refuses (see
// hostselect.Refusal). The lean front makes the same choice.
func (e *Env) hostProfile(c *commonFlags, fs *pflag.FlagSet, r protocol.Request) (*profile, error) {
	f, err := e.loadConfig()
	if err != nil {
		return nil, err
	}
	flags := c.keyValues(fs)
	name, base, err := e.hostBase(c, f, flags, r)
	if err != nil || name == "" {
		return nil, err
	}
	values, err := config.Overlay(base, flags)
	if err != nil {
		return nil, err
	}
	if values, err = expandProfile(values, e.Getenv); err != nil {
		return nil, err
	}
	if why := hostselect.Refusal(name, values, r, c.profile != "" || name == flagOnlyName); why != "" {
		fmt.Fprintln(e.Stderr, "keyfob: "+why)
		return nil, nil
	}
	if values["provider"] == "" {
		return nil, plugin.Configf("profile %q has no provider (set provider in the config file or pass --provider)", name)
	}
	return &profile{Name: name, Values: values}, nil
}

// hostBase names the profile and returns its keys as written; "" when
// none serves r.
func (e *Env) hostBase(c *commonFlags, f *config.File, flags map[string][]string, r protocol.Request) (string, map[string]string, error) {
	switch {
	case c.profile != "":
		p, err := f.Profile(c.profile)
		if err != nil && len(flags["provider"]) > 0 {
			return c.profile, nil, nil // -p NAME naming a profile given wholly as flags
		}
		if err != nil {
			return "", nil, err
		}
		return c.profile, p.Values, nil
	case len(flags["provider"]) > 0:
		return flagOnlyName, nil, nil
	}
	name, ok := hostselect.Choose(f, e.Getenv, "", r)
	if !ok {
		return "", nil, nil
	}
	p, err := f.Profile(name)
	if err != nil {
		return "", nil, err
	}
	return name, p.Values, nil
}

// peekCached returns the cached access token of a request, valid or not,
// or nil.
func (e *Env) peekCached(c *commonFlags, p *profile) *host.CacheEntry {
	ent, ok := e.tokens(c, p).Peek(tokenRequest(c, p))
	if !ok {
		return nil
	}
	return ent
}

// dropCached removes the cached access token of a request, and the
// entries derived from it under extraKeys, keeping the refresh state:
// what git's erase and docker's erase ask for after a token was rejected.
// When rejected is not empty, only that token is dropped: a rejection of
// someone else's credential leaves keyfob's alone.
func (e *Env) dropCached(c *commonFlags, p *profile, rejected string, extraKeys ...host.KeyOf) error {
	return e.tokens(c, p).Drop(tokenRequest(c, p), rejected, extraKeys...)
}

// request is a host tool's standard input, bounded by --timeout: a
// request that does not arrive in time fails with a
// *protocol.StdinTimeout naming tool.
func (e *Env) request(c *commonFlags, tool string) io.Reader {
	return protocol.BoundStdin(e.Stdin, tool, c.timeout)
}

// usageArgs makes a cobra argument check's complaint a usage error (exit
// 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{err}
		}
		return nil
	}
}
