package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/keyfob/keyfob/host/protocol/all"
	"github.com/spf13/cobra"
)

// Main runs the CLI and returns the process exit code. Every plugin it
// started has been stopped when it returns.
func Main(ctx context.Context, env Env) int {
	root := newRoot(&env)
	root.SetArgs(protocolArgs(env.Args))
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && !isSilent(err) {
		fmt.Fprintln(env.Stderr, "keyfob: "+oneLine(err.Error()))
	}
	return ExitCode(err)
}

func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "keyfob",
		Short: "Get OAuth 2.0 access tokens (Microsoft Entra ID and any OAuth server) for the tools that need them",
		Example: `  keyfob token -p graph                 # print an access token
  keyfob doctor -p graph                # check a profile before using it
  keyfob install-helpers ~/bin          # git, docker and Terraform helper names
  keyfob completion bash > ~/.local/share/bash-completion/completions/keyfob`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.AddCommand(newTokenCmd(env), newVersionCmd(env), newProfilesCmd(env), newPluginsCmd(env), newCacheCmd(env))
	root.AddCommand(newLoginCmd(env), newLogoutCmd(env))
	root.AddCommand(newKubeconfigCmd(env), newInstallHelpersCmd(env))
	for _, p := range all.Protocols() {
		root.AddCommand(newProtocolCmd(env, p))
	}
	root.AddCommand(newDoctorCmd(env), newInspectCmd(env), newCompletionCmd(env, root))
	root.SetHelpCommand(&cobra.Command{Hidden: true})
	return root
}

// oneLine collapses an error message to one line, without control
// characters (see dropControl).
func oneLine(s string) string { return strings.Join(strings.Fields(strings.Map(dropControl, s)), " ") }
