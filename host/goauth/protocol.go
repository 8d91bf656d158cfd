package goauth

import (
	"context"
	"fmt"
	"io"

	"github.com/keyfob/keyfob/host/protocol"
)

// maxInput bounds what is read of the HTTP response the go command writes
// to stdin.
const maxInput = 1 << 20

// Protocol is keyfob goauth: the GOAUTH protocol as a keyfob command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "goauth" }

// Aliases is empty: GOAUTH names a command line.
func (Protocol) Aliases() []string { return nil }

// Help describes keyfob goauth.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
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
		MinArgs: 0, MaxArgs: 1, LooseArgs: true, Profile: protocol.AsToken,
	}
}

// Serve answers the argument-less run before the first fetch, or the run
// for a URL that failed. The go command writes the failed response to
// stdin; it holds nothing needed, but is read so the writer never blocks.
// The answer does not wait for it: a writer that never ends must not hold
// the call up. The lean front never reads it, leaving it to the engine.
func (Protocol) Serve(ctx context.Context, s protocol.Session, args []string) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	in := s.Stdin("")
	go func() { _, _ = io.Copy(io.Discard, io.LimitReader(in, maxInput)) }()
	if len(args) == 0 {
		return announce(ctx, s)
	}
	return answerURL(ctx, s, args[0])
}

// announce answers the argument-less run: the named profile's token for
// the prefixes its hosts give, or nothing.
func announce(ctx context.Context, s protocol.Session) error {
	if !s.NamesProfile() {
		return nil
	}
	p, err := s.Named()
	if err != nil {
		return err
	}
	hosts, err := p.Hosts()
	if err != nil {
		return err
	}
	prefixes := Prefixes(hosts)
	if len(prefixes) == 0 {
		noHosts(s, p, hosts)
		return nil
	}
	return write(ctx, s, p, prefixes...)
}

// answerURL answers a run for a URL that failed with 4xx.
func answerURL(ctx context.Context, s protocol.Session, rawURL string) error {
	if _, err := Origin(rawURL); err != nil {
		return nil // the go command asks only for https URLs; nothing here
	}
	p, err := s.ForURL(rawURL, true)
	if err != nil || p == nil {
		return err
	}
	hosts, err := p.Hosts()
	if err != nil {
		return err
	}
	prefix, err := PrefixFor(rawURL, hosts)
	if err != nil {
		return err
	}
	return write(ctx, s, p, prefix)
}

// write gets p's token and writes it as one credential set.
func write(ctx context.Context, s protocol.Session, p *protocol.Profile, prefixes ...string) error {
	e, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		return err
	}
	return Write(s.Stdout(), Bearer(e.AccessToken, prefixes...))
}

// noHosts explains why a named profile gives GOAUTH nothing. The go
// command shows it with -x.
func noHosts(s protocol.Session, p *protocol.Profile, hosts []string) {
	if len(hosts) == 0 {
		fmt.Fprintf(s.Stderr(), "keyfob: profile %q lists no hosts, so GOAUTH gets no token from it; add hosts to the profile (or pass --hosts HOST)\n", p.Name)
		return
	}
	fmt.Fprintf(s.Stderr(), "keyfob: the hosts of profile %q are only wildcards or user patterns, so keyfob waits for the go command to ask for a URL\n", p.Name)
}
