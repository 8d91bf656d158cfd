package cli

import (
	"fmt"

	"github.com/keyfob/keyfob/host/bazel"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/spf13/cobra"
)

func newBazelCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "bazel get",
		Short: "Bazel credential helper (also run as bazel-credential-keyfob)",
		Long: `Bazel credential helper: reads {"uri": ...} on stdin and prints the Authorization header
and its expiry for the profile whose hosts match the URI; {} for URIs no profile serves.`,
		Example: `  keyfob install-helpers ~/bin
  # .bazelrc
  common --credential_helper=*.example.com=bazel-credential-keyfob`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "get" {
				return &usageError{fmt.Errorf("unknown bazel credential helper command %q (want get)", args[0])}
			}
			c.interact.stdinNotUser = true // stdin is Bazel's
			req, err := bazel.ParseRequest(env.request(&c, "bazel"))
			if err != nil {
				return requestError(err)
			}
			p, err := env.hostProfile(&c, cmd.Flags(), hostproto.FromBazel(req))
			if err != nil {
				return err
			}
			if p == nil {
				return bazel.Write(env.Stdout, bazel.Response{})
			}
			ent, err := env.getCachedToken(cmd.Context(), &c, p)
			if err != nil {
				return err
			}
			return bazel.Write(env.Stdout, hostproto.BazelResponse(ent))
		},
	}
	registerHostFlags(&c, cmd.Flags())
	return cmd
}
