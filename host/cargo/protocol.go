package cargo

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/protocol"
)

// PluginFlag is the argument cargo runs every credential provider with.
const PluginFlag = "--cargo-plugin"

// Protocol is keyfob cargo: the credential provider protocol as a keyfob
// command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "cargo" }

// Aliases is empty: cargo runs a configured command line.
func (Protocol) Aliases() []string { return nil }

// Help describes keyfob cargo.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "cargo [flags] --cargo-plugin",
		Short: "cargo credential provider: bearer tokens for alternative registries",
		Long: `Speak cargo's credential-provider protocol (cargo 1.74 and later).

cargo runs the provider's path with --cargo-plugin alone and sends the
rest of the configured command line ("cargo -p NAME") in each request;
keyfob takes a lone --cargo-plugin for this command. The flags below may
also stand on the command line of a wrapper script. Without -p, a registry gets the token of the profile whose
hosts match its index URL, and other registries are left to the next
provider (url-not-supported). With -p, a profile that lists hosts serves
only registries matching them. login and logout are not supported: use
keyfob login and keyfob logout.`,
		Example: `  # ~/.cargo/config.toml
  [registries.contoso]
  index = "sparse+https://pkgs.dev.azure.com/contoso/_packaging/feed/Cargo/index/"
  credential-provider = "/usr/local/bin/keyfob cargo -p repos"`,
		Profile: protocol.AsToken, LooseArgs: true, RawArgs: true, LoneArg: PluginFlag,
		Switches: []protocol.Switch{{Name: "cargo-plugin", Usage: "speak the protocol on stdin and stdout (cargo passes it)"}},
	}
}

// Serve speaks the protocol on stdin and stdout, or explains how it is
// used. args are keyfob's own command line, flags included: each request
// adds the flags configured in cargo.
func (Protocol) Serve(ctx context.Context, s protocol.Session, args []string) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	var base []string
	plugin := false
	for _, a := range args {
		switch a {
		case PluginFlag:
			plugin = true
		case "-h", "--help":
			return protocol.ErrHelp
		default:
			base = append(base, a)
		}
	}
	if !plugin {
		return protocol.Usagef("keyfob cargo is run by cargo as a credential provider, with --cargo-plugin: " +
			`set credential-provider = "/path/to/keyfob cargo -p PROFILE" for the registry in cargo's config`)
	}
	return Serve(ctx, input(s, base), s.Stdout(), func(ctx context.Context, r *Request) (*Response, error) {
		return answerRequest(ctx, s, base, r)
	})
}

// input is cargo's side of the protocol, bounded by a --timeout on
// keyfob's own command line (a wrapper script's): cargo sends one request
// and closes its end, so the whole exchange fits in the bound. The flags
// configured in cargo come with the request, too late to bound the wait
// for it.
func input(s protocol.Session, base []string) io.Reader {
	sub, err := s.Sub(base)
	if err != nil {
		return s.Stdin("") // each request reports the bad flags
	}
	return sub.Stdin("cargo")
}

// answerRequest answers one request.
func answerRequest(ctx context.Context, s protocol.Session, base []string, r *Request) (*Response, error) {
	sub, err := session(s, base, r.Args)
	if err != nil {
		return nil, err
	}
	p, err := sub.ForURL(r.Registry.URL(), false)
	switch {
	case err != nil:
		return nil, err
	case r.Kind == KindLogin || r.Kind == KindLogout:
		return nil, noLogin(sub, r.Kind, p)
	case r.Kind != KindGet:
		return nil, &Error{Kind: ErrOperationNotSupported}
	case p == nil, refuses(sub, p, r.Registry):
		return nil, &Error{Kind: ErrURLNotSupported}
	}
	e, err := sub.Token(ctx, p, protocol.Want{})
	if err != nil {
		return nil, err
	}
	return Get("Bearer "+e.AccessToken, cache.HostExpiry(e)), nil
}

// session is the session of one request: keyfob's own flags (base), then
// the request's, whose first may be the command name ("keyfob cargo -p
// NAME" in cargo's configuration).
func session(s protocol.Session, base, reqArgs []string) (protocol.Session, error) {
	if len(reqArgs) > 0 && reqArgs[0] == "cargo" {
		reqArgs = reqArgs[1:]
	}
	sub, err := s.Sub(append(slices.Clone(base), reqArgs...))
	if err != nil {
		return nil, &Error{Kind: ErrOther, Message: "keyfob cargo: " + err.Error()}
	}
	return sub, nil
}

// refuses reports whether p's token must not go to the registry: an index
// URL over plain http to another machine, or a scheme other than https
// and loopback http (protocol.HTTPS). It says why on stderr, which cargo
// shows, and the registry is then left to the next provider, as git,
// docker and Bazel leave such a URL to theirs.
func refuses(s protocol.Session, p *protocol.Profile, reg Registry) bool {
	note := protocol.HTTPS.Note(p.Name, reg.URL())
	if note != "" {
		fmt.Fprintln(s.Stderr(), "keyfob: "+note)
	}
	return note != ""
}

// noLogin answers login and logout, which keyfob leaves to its own
// commands: a token pasted into cargo login is not an OAuth sign-in. Cargo
// shows only "requested operation not supported" for this kind, so the
// hint also goes to stderr, which is the user's.
func noLogin(s protocol.Session, kind string, p *protocol.Profile) error {
	name := "PROFILE"
	if p != nil {
		name = p.Name
	}
	msg := fmt.Sprintf("registry tokens come from the authorization server; use `keyfob %s -p %s` instead of cargo %s", kind, name, kind)
	fmt.Fprintln(s.Stderr(), "keyfob: "+msg)
	return &Error{Kind: ErrOperationNotSupported, Message: msg}
}
