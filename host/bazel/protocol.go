package bazel

import (
	"context"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/protocol"
)

// Helper is keyfob's program name for Bazel (CONTRACT §3): Bazel runs a
// helper with the single argument "get" and no way to add flags, so it
// needs a name of its own.
const Helper = "bazel-credential-keyfob"

// Protocol is keyfob bazel: the credential helper protocol as a keyfob
// command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "bazel" }

// Aliases is Helper.
func (Protocol) Aliases() []string { return []string{Helper} }

// Help describes keyfob bazel.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "bazel get",
		Short: "Bazel credential helper (also run as bazel-credential-keyfob)",
		Long: `Bazel credential helper: reads {"uri": ...} on stdin and prints the Authorization header
and its expiry for the profile whose hosts match the URI; {} for URIs no profile serves.`,
		Example: `  keyfob install-helpers ~/bin
  # .bazelrc
  common --credential_helper=*.example.com=bazel-credential-keyfob`,
		MinArgs: 1, MaxArgs: 1, Tool: "Bazel",
	}
}

// Serve answers get: the request on stdin, the headers on stdout.
func (Protocol) Serve(ctx context.Context, s protocol.Session, args []string) error {
	if args[0] != "get" {
		return protocol.Usagef("unknown bazel credential helper command %q (want get)", args[0])
	}
	req, err := ParseRequest(s.Stdin("bazel"))
	if err != nil {
		return protocol.RequestError(err)
	}
	p, err := s.Select(req.Selection())
	if err != nil {
		return err
	}
	if p == nil {
		return Write(s.Stdout(), Response{})
	}
	e, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		return err
	}
	return Write(s.Stdout(), Answer(e))
}

// Selection is the request as profile selection sees it: Bazel's URI,
// over the schemes of protocol.Bazel.
func (r Request) Selection() protocol.Request {
	return protocol.Request{Host: r.Host, User: r.User, URL: r.URI, Transport: &protocol.Bazel}
}

// Answer is keyfob's answer to get for a cached entry.
func Answer(e *cache.Entry) Response {
	return Bearer(e.AccessToken, cache.HostExpiry(e))
}
