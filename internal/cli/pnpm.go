package cli

import (
	"github.com/keyfob/keyfob/host/pnpm"
	"github.com/spf13/cobra"
)

func newPnpmCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
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
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c.interact.stdinNotUser = true
			p, err := env.selectProfile(&c, cmd.Flags())
			if err != nil {
				return err
			}
			entry, err := env.getCachedToken(cmd.Context(), &c, p)
			if err != nil {
				return err
			}
			return pnpm.Write(env.Stdout, entry.AccessToken)
		},
	}
	c.register(cmd.Flags())
	return cmd
}
