package cli

import (
	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/internal/output"
	"github.com/spf13/cobra"
)

func newTokenCmd(env *Env) *cobra.Command {
	var c commonFlags
	var format string
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print an access token for a profile",
		Example: `  keyfob token -p graph
  keyfob token -p graph -o header | curl -H @- https://graph.microsoft.com/v1.0/me
  keyfob token --provider client_credentials --token-url https://idp.example.com/token \
      --client-id app --client-secret env:APP_SECRET --scope api`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := output.ParseFormat(format)
			if err != nil {
				return &usageError{err}
			}
			p, err := env.selectProfile(&c, cmd.Flags())
			if err != nil {
				return err
			}
			e, err := env.getCachedToken(cmd.Context(), &c, p)
			if err != nil {
				return err
			}
			return output.Write(env.Stdout, f, entryOutput(e))
		},
	}
	c.register(cmd.Flags())
	cmd.Flags().StringVarP(&format, "output", "o", "raw", "output format: raw, header or json")
	return cmd
}

// entryOutput is what the output forms print of a cache entry: the
// expiry hosts are told is E − M.
func entryOutput(e *host.CacheEntry) output.Token {
	return output.Token{AccessToken: e.AccessToken, TokenType: e.TokenType, ExpiresAt: host.HostExpiry(e), Scope: e.Scope}
}
