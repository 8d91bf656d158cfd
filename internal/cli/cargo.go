package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cargo"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// cargoPluginFlag is the argument cargo runs every credential provider with.
const cargoPluginFlag = "--cargo-plugin"

// cargoProviderArgs recognizes cargo's call: cargo runs a credential
// provider's path with --cargo-plugin alone and sends the rest of the
// configured command line ("cargo -p NAME") in each request, so that call
// is the cargo command.
func cargoProviderArgs(args []string) []string {
	if len(args) == 1 && args[0] == cargoPluginFlag {
		return []string{"cargo", cargoPluginFlag}
	}
	return args
}

func newCargoCmd(env *Env) *cobra.Command {
	var shown commonFlags
	cmd := &cobra.Command{
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
		// Flags are parsed per request, together with the request's args.
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.cargo(cmd, args)
		},
	}
	shown.register(cmd.Flags()) // for --help only
	cmd.Flags().Bool("cargo-plugin", false, "speak the protocol on stdin and stdout (cargo passes it)")
	return cmd
}

// cargo serves the protocol, or explains how it is used.
func (e *Env) cargo(cmd *cobra.Command, args []string) error {
	var base []string
	plugin := false
	for _, a := range args {
		switch a {
		case cargoPluginFlag:
			plugin = true
		case "-h", "--help":
			return cmd.Help()
		default:
			base = append(base, a)
		}
	}
	if !plugin {
		return &usageError{errors.New("keyfob cargo is run by cargo as a credential provider, with --cargo-plugin: " +
			`set credential-provider = "/path/to/keyfob cargo -p PROFILE" for the registry in cargo's config`)}
	}
	return cargo.Serve(cmd.Context(), e.cargoInput(base), e.Stdout, func(ctx context.Context, r *cargo.Request) (*cargo.Response, error) {
		return e.cargoAnswer(ctx, base, r)
	})
}

// cargoInput is cargo's side of the protocol, bounded by a --timeout on
// keyfob's own command line (a wrapper script's): cargo sends one request
// and closes its end, so the whole exchange fits in the bound. The
// flags configured in cargo come with the request, too late to bound the
// wait for it.
func (e *Env) cargoInput(base []string) io.Reader {
	c, _, err := cargoFlags(base, nil)
	if err != nil {
		return e.Stdin // each request reports the bad flags
	}
	return e.request(c, "cargo")
}

// cargoAnswer answers one request.
func (e *Env) cargoAnswer(ctx context.Context, base []string, r *cargo.Request) (*cargo.Response, error) {
	c, fs, err := cargoFlags(base, r.Args)
	if err != nil {
		return nil, err
	}
	p, err := e.urlProfile(c, fs, r.Registry.URL(), false)
	switch {
	case err != nil:
		return nil, err
	case r.Kind == cargo.KindLogin || r.Kind == cargo.KindLogout:
		return nil, e.cargoNoLogin(r.Kind, p)
	case r.Kind != cargo.KindGet:
		return nil, &cargo.Error{Kind: cargo.ErrOperationNotSupported}
	case p == nil:
		return nil, &cargo.Error{Kind: cargo.ErrURLNotSupported}
	case e.cargoRefuses(p, r.Registry):
		return nil, &cargo.Error{Kind: cargo.ErrURLNotSupported}
	}
	entry, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return nil, err
	}
	return cargo.Get("Bearer "+entry.AccessToken, host.HostExpiry(entry)), nil
}

// cargoRefuses reports whether p's token must not go to the registry: an
// index URL over plain http to another machine, or a scheme other than
// https and loopback http (hostproto.HTTPS). It says why on stderr, which
// cargo shows, and the registry is then left to the next provider, as
// git, docker and Bazel leave such a URL to theirs.
func (e *Env) cargoRefuses(p *profile, reg cargo.Registry) bool {
	note := hostproto.HTTPS.Note(p.Name, reg.URL())
	if note != "" {
		fmt.Fprintln(e.Stderr, "keyfob: "+note)
	}
	return note != ""
}

// cargoFlags parses the provider's arguments: those on keyfob's command
// line (base), then the request's, whose first may be the command name
// ("keyfob cargo -p NAME" in cargo's configuration).
func cargoFlags(base, reqArgs []string) (*commonFlags, *pflag.FlagSet, error) {
	var c commonFlags
	fs := pflag.NewFlagSet("keyfob cargo", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.register(fs)
	if len(reqArgs) > 0 && reqArgs[0] == "cargo" {
		reqArgs = reqArgs[1:]
	}
	err := fs.Parse(append(slices.Clone(base), reqArgs...))
	if err == nil && fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err != nil {
		return nil, nil, &cargo.Error{Kind: cargo.ErrOther, Message: "keyfob cargo: " + err.Error()}
	}
	c.interact.stdinNotUser = true
	return &c, fs, nil
}

// cargoNoLogin answers login and logout, which keyfob leaves to its own
// commands: a token pasted into cargo login is not an OAuth sign-in. Cargo
// shows only "requested operation not supported" for this kind, so the
// hint also goes to stderr, which is the user's.
func (e *Env) cargoNoLogin(kind string, p *profile) error {
	name := "PROFILE"
	if p != nil {
		name = p.Name
	}
	msg := fmt.Sprintf("registry tokens come from the authorization server; use `keyfob %s -p %s` instead of cargo %s", kind, name, kind)
	fmt.Fprintln(e.Stderr, "keyfob: "+msg)
	return &cargo.Error{Kind: cargo.ErrOperationNotSupported, Message: msg}
}
