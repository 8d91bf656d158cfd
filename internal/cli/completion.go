package cli

import (
	"os"

	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin/providers/all"
	"github.com/spf13/cobra"
)

const completionLong = `Print a completion script for bash, zsh or fish. It completes commands and flags, profile
names for -p/--profile (from the configuration file) and provider names for --provider.

  bash   needs the bash-completion package. For the current shell:  source <(keyfob completion bash)
         For every shell:  keyfob completion bash > ~/.local/share/bash-completion/completions/keyfob
  zsh    compinit must be enabled (autoload -U compinit; compinit in ~/.zshrc). Then:
         keyfob completion zsh > "${fpath[1]}/_keyfob"   and start a new shell
  fish   keyfob completion fish > ~/.config/fish/completions/keyfob.fish`

// newCompletionCmd returns keyfob completion. It also registers the
// dynamic completions (profile and provider names) on every command root
// holds, so it is made after the other commands are added; commands added
// later register theirs themselves (see registerFlagCompletions).
func newCompletionCmd(env *Env, root *cobra.Command) *cobra.Command {
	registerCompletions(env, root)
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print a shell completion script for bash, zsh or fish",
		Long:  completionLong,
		Example: `  source <(keyfob completion bash)
  keyfob completion zsh > "${fpath[1]}/_keyfob"
  keyfob completion fish > ~/.config/fish/completions/keyfob.fish`,
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args:      usageArgs(cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(env.Stdout, true)
			case "zsh":
				return root.GenZshCompletion(env.Stdout)
			}
			return root.GenFishCompletion(env.Stdout, true)
		},
	}
}

// registerCompletions registers the dynamic completions on cmd and every
// command below it.
func registerCompletions(env *Env, cmd *cobra.Command) {
	registerFlagCompletions(cmd, env)
	for _, sub := range cmd.Commands() {
		registerCompletions(env, sub)
	}
}

// registerFlagCompletions completes --profile with the configured
// profile names and --provider with the built-in providers, on a command
// that has those flags.
func registerFlagCompletions(cmd *cobra.Command, env *Env) {
	if cmd.Flags().Lookup("profile") != nil {
		_ = cmd.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return env.profileNames(), cobra.ShellCompDirectiveNoFileComp
		})
	}
	if cmd.Flags().Lookup("provider") != nil {
		_ = cmd.RegisterFlagCompletionFunc("provider", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return all.Registry().Names(), cobra.ShellCompDirectiveNoFileComp
		})
	}
}

// profileNames lists the configured profiles, quietly: completion must
// not print warnings into the user's command line.
func (e *Env) profileNames() []string {
	home, _ := os.UserHomeDir()
	f, err := config.Load(config.PathFrom(e.Getenv, home))
	if err != nil {
		return nil
	}
	return f.ProfileNames()
}
