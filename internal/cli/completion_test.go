package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		shell string
		want  []string
	}{
		"bash": {shell: "bash", want: []string{"# bash completion V2 for keyfob", "__complete", "complete -o default -F __start_keyfob keyfob"}},
		"zsh":  {shell: "zsh", want: []string{"#compdef keyfob", "__complete"}},
		"fish": {shell: "fish", want: []string{"# fish completion for keyfob", "complete -c keyfob", "__complete"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runAt(t, fixedNow, nil, "completion", tc.shell)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("the %s script lacks %q", tc.shell, w)
				}
			}
		})
	}
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		if stdout, _, code := runAt(t, fixedNow, nil, args...); code != ExitUsage || stdout != "" {
			t.Errorf("keyfob %s: exit %d, stdout %d bytes; want 2 and nothing", strings.Join(args, " "), code, len(stdout))
		}
	}
}

// TestDynamicCompletion asks keyfob for completions the way the shell
// scripts do (keyfob __complete ARGS).
func TestDynamicCompletion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := writeFileMode(t, filepath.Join(dir, "config.toml"),
		"[profiles.graph]\nprovider = \"client_credentials\"\n[profiles.repos]\nprovider = \"device_code\"\n", 0o600)
	tests := map[string]struct {
		args []string
		want []string
	}{
		"profiles for token -p":      {args: []string{"token", "-p", ""}, want: []string{"graph", "repos"}},
		"profiles for doctor":        {args: []string{"doctor", "--profile", ""}, want: []string{"graph", "repos"}},
		"profiles for inspect":       {args: []string{"inspect", "-p", ""}, want: []string{"graph", "repos"}},
		"profiles for git":           {args: []string{"git", "-p", ""}, want: []string{"graph", "repos"}},
		"shells":                     {args: []string{"completion", ""}, want: []string{"bash", "zsh", "fish"}},
		"providers include the new ": {args: []string{"token", "--provider", ""}, want: []string{"jwt_bearer", "token_exchange"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, _, code := runAt(t, fixedNow, map[string]string{"KEYFOB_CONFIG": cfg}, append([]string{"__complete"}, tc.args...)...)
			if code != ExitOK {
				t.Fatalf("exit %d", code)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
				if !strings.HasPrefix(line, ":") {
					got = append(got, line)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(strings.Join(got, "\n")+"\n", w+"\n") {
					t.Errorf("completions %q lack %q", got, w)
				}
			}
		})
	}
}

// TestEveryProfileFlagCompletes: every command with a --profile flag
// completes profile names, so a command added later is not forgotten.
func TestEveryProfileFlagCompletes(t *testing.T) {
	t.Parallel()
	env := &Env{}
	var missing []string
	walk(newRoot(env), func(c *cobra.Command) {
		if c.Flags().Lookup("profile") == nil {
			return
		}
		if _, ok := c.GetFlagCompletionFunc("profile"); !ok {
			missing = append(missing, c.CommandPath())
		}
	})
	if diff := cmp.Diff([]string(nil), missing); diff != "" {
		t.Errorf("commands whose --profile does not complete (-want +got):\n%s", diff)
	}
}

// walk calls f on cmd and every command below it.
func walk(cmd *cobra.Command, f func(*cobra.Command)) {
	f(cmd)
	for _, sub := range cmd.Commands() {
		walk(sub, f)
	}
}

// TestEveryCommandHasExamples: --help of every command shows examples.
func TestEveryCommandHasExamples(t *testing.T) {
	t.Parallel()
	var paths [][]string
	walk(newRoot(&Env{}), func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
	})
	if len(paths) < 20 {
		t.Fatalf("found %d commands, want the whole tree", len(paths))
	}
	for _, path := range paths {
		t.Run(strings.Join(append([]string{"keyfob"}, path...), " "), func(t *testing.T) {
			t.Parallel()
			stdout, _, code := runAt(t, fixedNow, nil, append(path, "--help")...)
			if code != ExitOK || !strings.Contains(stdout, "\nExamples:\n  ") {
				t.Errorf("exit %d; --help has no Examples section:\n%s", code, stdout)
			}
		})
	}
}
