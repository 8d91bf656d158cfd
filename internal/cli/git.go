package cli

import (
	"context"
	"errors"
	"io"

	"github.com/keyfob/keyfob/host/git"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newGitCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "git get|store|erase",
		Short: "git credential helper (also run as git-credential-keyfob)",
		Long: `git credential helper. get answers with a token for the profile named by -p, or the
profile whose hosts match the remote (a user in the remote URL, alice@dev.azure.com, selects
alice's profile); for hosts no profile serves it prints nothing, so git moves on. erase drops
the cached access token after the server rejected it (the sign-in is kept); store does nothing.`,
		Example: `  keyfob install-helpers ~/bin          # puts git-credential-keyfob on PATH
  git config --global credential.https://dev.azure.com.helper keyfob
  git config --global credential.https://dev.azure.com.useHttpPath true   # for URL-prefix hosts`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.interact.stdinNotUser = true // stdin is git's
			switch args[0] {
			case "get":
				return env.gitGet(cmd.Context(), &c, cmd.Flags())
			case "erase":
				return env.gitErase(&c, cmd.Flags())
			}
			// store: git sends it to every helper once a credential worked,
			// including the helper that produced it. keyfob's tokens come
			// from the profile and its cache, so there is nothing to keep
			// (gh auth git-credential does the same). Any other action is
			// one git added later, which helpers must ignore.
			return nil
		},
	}
	registerHostFlags(&c, cmd.Flags())
	return cmd
}

// gitGet answers git's get. When sign-in is needed and impossible it
// answers quit=1, so that git stops instead of prompting for a password
// the server would not take; other failures leave git to its other
// helpers. Either way the reason goes to stderr, which git shows.
func (e *Env) gitGet(ctx context.Context, c *commonFlags, fs *pflag.FlagSet) error {
	req, err := e.gitRequest(c)
	if err != nil {
		return err
	}
	r, ok := hostproto.FromGit(req)
	if !ok {
		return nil
	}
	p, err := e.hostProfile(c, fs, r)
	if err != nil || p == nil {
		return err
	}
	ent, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		gitQuitOn(e.Stdout, err)
		return err
	}
	return git.Write(e.Stdout, hostproto.GitCredential(req, p.Values, ent))
}

// gitRequest reads git's request, waiting for it at most --timeout.
func (e *Env) gitRequest(c *commonFlags) (*git.Request, error) {
	req, err := git.Parse(e.request(c, "git"))
	var te *hostproto.StdinTimeout
	if errors.As(err, &te) {
		return nil, te
	}
	return req, err
}

// gitQuitOn answers quit=1 for a failure that needs a person who cannot
// be reached (exit code 4).
func gitQuitOn(w io.Writer, err error) {
	if ExitCode(err) == ExitInteraction {
		_ = git.WriteQuit(w)
	}
}

// gitErase drops the cached access token git reports as rejected; the
// refresh state stays, so the next get refreshes without a new sign-in.
func (e *Env) gitErase(c *commonFlags, fs *pflag.FlagSet) error {
	req, err := e.gitRequest(c)
	if err != nil {
		return err
	}
	r, ok := hostproto.FromGit(req)
	if !ok {
		return nil
	}
	p, err := e.hostProfile(c, fs, r)
	if err != nil || p == nil {
		return err
	}
	rejected := req.Password
	if req.Credential != "" {
		rejected = req.Credential
	}
	return e.dropCached(c, p, rejected)
}
