package cli

import (
	"context"
	"fmt"
	"slices"

	"github.com/keyfob/keyfob/host/protocol/all"
	"github.com/keyfob/keyfob/plugin/errdefs"
	"github.com/spf13/cobra"
)

// Main runs the CLI and returns the process exit code. Every plugin it
// started has been stopped when it returns.
func Main(ctx context.Context, env Env) int {
	args := protocolArgs(env.Args)
	root := newRootFor(&env, args)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err != nil && !isSilent(err) {
		fmt.Fprintln(env.Stderr, "keyfob: "+oneLine(err.Error()))
	}
	return ExitCode(err)
}

// subcommand is one of keyfob's commands: its name and aliases, and how
// it is built.
type subcommand struct {
	names []string
	build func(env *Env) *cobra.Command
}

// builtinCommands lists keyfob's commands but completion, which needs
// all of them, and the host protocols' (see subcommands). A command is
// built only when it runs (see newRootFor): most register a flag per
// profile key, and building them all would cost a call more than the
// rest of the engine's start-up.
var builtinCommands = []subcommand{
	{[]string{"token"}, newTokenCmd}, {[]string{"version"}, newVersionCmd},
	{[]string{"profiles"}, newProfilesCmd}, {[]string{"plugins"}, newPluginsCmd},
	{[]string{"cache"}, newCacheCmd}, {[]string{"login"}, newLoginCmd}, {[]string{"logout"}, newLogoutCmd},
	{[]string{"kubeconfig"}, newKubeconfigCmd}, {[]string{"exec"}, newExecCmd},
	{[]string{"install-helpers"}, newInstallHelpersCmd}, {[]string{"doctor"}, newDoctorCmd}, {[]string{"inspect"}, newInspectCmd},
}

// subcommands is builtinCommands and a command per registered host
// protocol (host/protocol/all).
var subcommands = func() []subcommand {
	list := slices.Clone(builtinCommands)
	for _, p := range all.Protocols() {
		names := append([]string{p.Name()}, p.Help().CommandAliases...)
		list = append(list, subcommand{names, func(env *Env) *cobra.Command { return newProtocolCmd(env, p) }})
	}
	return list
}()

// newRoot is the root command with every subcommand, for help, completion
// and anything newRootFor cannot place.
func newRoot(env *Env) *cobra.Command {
	root := bareRoot()
	for _, sc := range subcommands {
		root.AddCommand(sc.build(env))
	}
	root.AddCommand(newCompletionCmd(env, root))
	return root
}

// newRootFor is the root command for args: with only the subcommand
// args[0] names when it is one, else with all of them (no arguments, a
// flag first, help, completion requests, an unknown command).
func newRootFor(env *Env, args []string) *cobra.Command {
	if len(args) == 0 {
		return newRoot(env)
	}
	for _, sc := range subcommands {
		if slices.Contains(sc.names, args[0]) {
			root := bareRoot()
			root.AddCommand(sc.build(env))
			return root
		}
	}
	return newRoot(env)
}

// bareRoot is the root command without its subcommands.
func bareRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "keyfob",
		Short: "Get OAuth 2.0 access tokens (Microsoft Entra ID and any OAuth server) for the tools that need them",
		Example: `  keyfob token -p graph                 # print an access token
  keyfob doctor -p graph                # check a profile before using it
  keyfob install-helpers ~/bin          # the helper names host tools run
  keyfob completion bash > ~/.local/share/bash-completion/completions/keyfob`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	root.SetHelpCommand(&cobra.Command{Hidden: true})
	return root
}

// oneLine collapses an error message to one line, without control
// characters (errdefs.OneLine, which the front prints through too).
func oneLine(s string) string { return errdefs.OneLine(s) }
