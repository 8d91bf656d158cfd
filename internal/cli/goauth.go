package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/keyfob/keyfob/host/goauth"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// maxGoauthInput bounds what is read of the HTTP response the go command
// writes to stdin.
const maxGoauthInput = 1 << 20

func newGoauthCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "goauth [URL]",
		Short: "GOAUTH command: bearer tokens for the go command's module downloads",
		Long: `Speak the go command's GOAUTH protocol (go help goauth).

Without -p, a request gets the token of the profile whose hosts match its
URL; the go command asks after a server answers 4xx. With -p, the profile's
hosts are also announced before the first fetch, saving that round trip.
Only URLs matching a profile's hosts ever get its token: the go command
asks on every failing https fetch, public proxies included.`,
		Example: `  export GOAUTH='keyfob goauth'
  export GOAUTH='keyfob goauth -p repos;netrc'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.interact.stdinNotUser = true
			// The go command writes the failed response to stdin; it holds
			// nothing needed, but is read so the writer never blocks. The
			// answer does not wait for it: a writer that never ends must
			// not hold the call up.
			go func() { _, _ = io.Copy(io.Discard, io.LimitReader(env.Stdin, maxGoauthInput)) }()
			if len(args) == 0 {
				return env.goauthAnnounce(cmd.Context(), &c, cmd.Flags())
			}
			return env.goauthAnswer(cmd.Context(), &c, cmd.Flags(), args[0])
		},
	}
	c.register(cmd.Flags())
	return cmd
}

// goauthAnnounce answers the argument-less run before the first fetch:
// the named profile's token for the prefixes its hosts give, or nothing.
func (e *Env) goauthAnnounce(ctx context.Context, c *commonFlags, fs *pflag.FlagSet) error {
	if !namesProfile(c, fs) {
		return nil
	}
	p, err := e.withoutProfileVar().selectProfile(c, fs)
	if err != nil {
		return err
	}
	hosts, err := profileHosts(p)
	if err != nil {
		return err
	}
	prefixes := goauth.Prefixes(hosts)
	if len(prefixes) == 0 {
		e.goauthNoHosts(p, hosts)
		return nil
	}
	return e.goauthWrite(ctx, c, p, prefixes...)
}

// goauthAnswer answers a run for a URL that failed with 4xx.
func (e *Env) goauthAnswer(ctx context.Context, c *commonFlags, fs *pflag.FlagSet, rawURL string) error {
	if _, err := goauth.Origin(rawURL); err != nil {
		return nil // the go command asks only for https URLs; nothing here
	}
	p, err := e.urlProfile(c, fs, rawURL, true)
	if err != nil || p == nil {
		return err
	}
	hosts, err := profileHosts(p)
	if err != nil {
		return err
	}
	prefix, err := goauth.PrefixFor(rawURL, hosts)
	if err != nil {
		return err
	}
	return e.goauthWrite(ctx, c, p, prefix)
}

// goauthWrite gets p's token and writes it as one credential set.
func (e *Env) goauthWrite(ctx context.Context, c *commonFlags, p *profile, prefixes ...string) error {
	entry, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return err
	}
	return goauth.Write(e.Stdout, goauth.Bearer(entry.AccessToken, prefixes...))
}

// goauthNoHosts explains why a named profile gives GOAUTH nothing. The go
// command shows it with -x.
func (e *Env) goauthNoHosts(p *profile, hosts []string) {
	if len(hosts) == 0 {
		fmt.Fprintf(e.Stderr, "keyfob: profile %q lists no hosts, so GOAUTH gets no token from it; add hosts to the profile (or pass --hosts HOST)\n", p.Name)
		return
	}
	fmt.Fprintf(e.Stderr, "keyfob: the hosts of profile %q are only wildcards or user patterns, so keyfob waits for the go command to ask for a URL\n", p.Name)
}
