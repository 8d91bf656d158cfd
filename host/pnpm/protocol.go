package pnpm

import (
	"context"

	"github.com/keyfob/keyfob/host/protocol"
)

// Protocol is keyfob pnpm: the tokenHelper protocol as a keyfob command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "pnpm" }

// Aliases is empty: pnpm runs a configured command line.
func (Protocol) Aliases() []string { return nil }

// Help describes keyfob pnpm.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "pnpm",
		Short: "pnpm tokenHelper: print Bearer <token> for a registry",
		Long: `Print "Bearer <token>" for pnpm's tokenHelper setting.

pnpm tells the helper nothing about the request, so the profile is chosen as
for keyfob token: -p, else $KEYFOB_PROFILE, else default_profile. pnpm 10
and older need an absolute path without arguments: point tokenHelper at a
script that runs keyfob pnpm -p PROFILE.`,
		Example: `  # ~/.npmrc (a project's .npmrc may not set tokenHelper)
  //pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/:tokenHelper=/usr/local/bin/keyfob-pnpm-repos
  # /usr/local/bin/keyfob-pnpm-repos
  #!/bin/sh
  exec /usr/local/bin/keyfob pnpm -p repos`,
		Profile: protocol.AsToken, LooseArgs: true,
	}
}

// Serve prints the Authorization header value of the profile keyfob token
// would use.
// The lean front leaves it to the engine.
func (Protocol) Serve(ctx context.Context, s protocol.Session, _ []string) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	p, err := s.Default("")
	if err != nil {
		return err
	}
	e, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		return err
	}
	return Write(s.Stdout(), e.AccessToken)
}
