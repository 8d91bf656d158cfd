package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/kubeconfig"
	"github.com/spf13/cobra"
)

func newKubeconfigCmd(env *Env) *cobra.Command {
	var profileName, user, apiVersion, command string
	cmd := &cobra.Command{
		Use:   "kubeconfig -p NAME",
		Short: "Print a kubeconfig users entry that runs keyfob kubectl, or convert kubelogin entries",
		Long: `Prints a kubeconfig users entry whose exec plugin is "keyfob kubectl -p NAME"; paste it
under users: or merge it as a file of its own. "keyfob kubeconfig convert" rewrites the exec
entries of an existing kubeconfig that run Azure/kubelogin or int128/kubelogin.`,
		Example: `  keyfob kubeconfig -p aks > ~/.kube/keyfob.yaml
  KUBECONFIG=~/.kube/config:~/.kube/keyfob.yaml kubectl config set-context --current --user aks
  keyfob kubeconfig convert ~/.kube/config > converted.yaml`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			f, err := env.loadConfig()
			if err != nil {
				return err
			}
			name, err := config.SelectProfile(profileName, env.Getenv, f)
			if err != nil {
				return err
			}
			if apiVersion = apiVersionNamed(apiVersion); apiVersion == "" {
				return &usageError{fmt.Errorf("--api-version: want v1 or v1beta1")}
			}
			out, err := kubeconfig.UsersEntry(firstNonEmpty(user, name), kubeconfig.KeyfobExec(command, apiVersion, "-p", name))
			if err != nil {
				return err
			}
			_, err = env.Stdout.Write(out)
			return err
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&profileName, "profile", "p", "", "profile the entry uses (default: $KEYFOB_PROFILE, default_profile)")
	fs.StringVar(&user, "user", "", "name of the users entry (default: the profile name)")
	fs.StringVar(&apiVersion, "api-version", "v1", "exec credential API version: v1 or v1beta1")
	fs.StringVar(&command, "command", "keyfob", "command kubectl runs (a name on PATH, or an absolute path)")
	cmd.AddCommand(newKubeconfigConvertCmd(env))
	return cmd
}

func newKubeconfigConvertCmd(env *Env) *cobra.Command {
	var command string
	var inPlace bool
	cmd := &cobra.Command{
		Use:   "convert [FILE]",
		Short: "Rewrite kubelogin exec entries (Azure/kubelogin, int128/kubelogin) to run keyfob",
		Example: `  keyfob kubeconfig convert > converted.yaml
  keyfob kubeconfig convert --in-place ~/.kube/config
  kubectl config view --raw | keyfob kubeconfig convert -`,
		Long: `Reads a kubeconfig (FILE, "-" for stdin, default: the first file of $KUBECONFIG, else
~/.kube/config) and prints it with every users[].user.exec entry that runs Azure/kubelogin or
int128/kubelogin rewritten to run "keyfob kubectl" with the same sign-in as profile flags.
Literal secrets move from the command line into the entry's env. Entries that cannot be
converted faithfully are left as they are; stderr says which and why.`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			path := defaultKubeconfig(env.Getenv)
			if len(args) == 1 {
				path = args[0]
			}
			in, err := readInput(env.Stdin, path)
			if err != nil {
				return err
			}
			out, changes, err := kubeconfig.Convert(in, command)
			if err != nil {
				return &usageError{err}
			}
			reportChanges(env.Stderr, changes)
			if inPlace && path != "-" {
				return writeFileAtomic(path, out)
			}
			_, err = env.Stdout.Write(out)
			return err
		},
	}
	cmd.Flags().StringVar(&command, "command", "keyfob", "command the converted entries run")
	cmd.Flags().BoolVarP(&inPlace, "in-place", "i", false, "rewrite FILE instead of printing")
	return cmd
}

// apiVersionNamed accepts v1, v1beta1 or a full apiVersion.
func apiVersionNamed(s string) string {
	switch s {
	case "v1", kubeconfig.ExecV1:
		return kubeconfig.ExecV1
	case "v1beta1", kubeconfig.ExecV1beta1:
		return kubeconfig.ExecV1beta1
	}
	return ""
}

// defaultKubeconfig is kubectl's: the first file of $KUBECONFIG, else
// ~/.kube/config.
func defaultKubeconfig(getenv func(string) string) string {
	for _, p := range filepath.SplitList(getenv("KUBECONFIG")) {
		if p != "" {
			return p
		}
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".kube", "config")
}

// readInput reads path, or stdin for "-".
func readInput(stdin io.Reader, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}

// reportChanges tells the user what convert did, one line per user.
func reportChanges(w io.Writer, changes []kubeconfig.Change) {
	if len(changes) == 0 {
		fmt.Fprintln(w, "keyfob: no kubelogin exec entries found")
	}
	for _, c := range changes {
		switch {
		case c.Skipped != "":
			fmt.Fprintf(w, "keyfob: user %q (%s) left unchanged: %s\n", c.User, c.From, c.Skipped)
		case len(c.Ignored) > 0:
			fmt.Fprintf(w, "keyfob: user %q (%s) converted; dropped %v\n", c.User, c.From, c.Ignored)
		default:
			fmt.Fprintf(w, "keyfob: user %q (%s) converted\n", c.User, c.From)
		}
	}
}

// writeFileAtomic replaces path with data, keeping its mode (kubeconfigs
// hold credentials: 0600 for a new file).
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
