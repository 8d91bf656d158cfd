package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/keyfob/keyfob/internal/config"
	"github.com/spf13/cobra"
)

func newLoginCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in interactively and keep the refresh token, so later calls refresh silently",
		Long: `Sign in afresh with the profile's interactive grant (device code, browser), even
when a refresh token is stored, and keep the new one. Later calls refresh
silently. Nothing is written to stdout.`,
		Example: `  keyfob login -p repos
  keyfob login -p repos --no-browser`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := env.selectProfile(&c, cmd.Flags())
			if err != nil {
				return err
			}
			c.forceRefresh, c.interact.login = true, true
			e, err := env.getCachedToken(cmd.Context(), &c, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "keyfob: signed in to profile %q%s\n", p.Name, asAccount(e.Account))
			return nil
		},
	}
	c.register(cmd.Flags())
	_ = cmd.Flags().MarkHidden("force-refresh") // login always signs in afresh
	return cmd
}

func asAccount(account string) string {
	if account == "" {
		return ""
	}
	return " as " + account
}

func newLogoutCmd(env *Env) *cobra.Command {
	var c commonFlags
	var all bool
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Delete a profile's tokens and refresh token, revoking it where the server offers RFC 7009",
		Example: `  keyfob logout -p repos
  keyfob logout --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if all {
				if c.profile != "" {
					return &usageError{errors.New("--all and --profile exclude each other")}
				}
				return env.logoutAll(cmd.Context(), &c)
			}
			p, err := env.selectProfile(&c, cmd.Flags())
			if err != nil {
				return err
			}
			return env.logout(cmd.Context(), &c, p)
		},
	}
	c.register(cmd.Flags())
	cmd.Flags().BoolVar(&all, "all", false, "log out of every configured profile and clear the whole cache")
	return cmd
}

// logout signs the profile out through the pipeline (host.Cache's
// SignOut), revoking its refresh token where the server offers RFC 7009.
// A failed revocation is noted: the local sign-out happens all the same.
func (e *Env) logout(ctx context.Context, c *commonFlags, p *profile) error {
	c.interact.logout = true
	var revoked bool
	var rerr error
	err := e.tokens(c, p).SignOut(ctx, tokenRequest(c, p), func(ctx context.Context, state []byte) {
		revoked, rerr = e.revokeRefreshToken(ctx, p, state)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "keyfob: signed out of profile %q%s\n", p.Name, revocationNote(revoked, rerr))
	return nil
}

// revocationNote says what became of the refresh token.
func revocationNote(revoked bool, err error) string {
	switch {
	case errors.Is(err, errNoRevocation):
		return "; the server offers no token revocation, so its refresh token was deleted here only"
	case err != nil:
		return "; its refresh token was deleted here but could not be revoked: " + oneLine(err.Error())
	case revoked:
		return "; its refresh token has been revoked"
	}
	return ""
}

// logoutAll logs out of every configured profile (a profile that cannot
// be read is warned about and skipped), then clears the whole cache.
func (e *Env) logoutAll(ctx context.Context, c *commonFlags) error {
	f, err := e.loadConfig()
	if err != nil {
		return err
	}
	for _, name := range f.ProfileNames() {
		if err := e.logoutConfigured(ctx, c, f, name); err != nil {
			fmt.Fprintf(e.Stderr, "keyfob: warning: profile %q: %s\n", name, oneLine(err.Error()))
		}
	}
	if err := e.adminCache().Clear(); err != nil {
		return err
	}
	fmt.Fprintln(e.Stderr, "keyfob: cache cleared")
	return nil
}

// logoutConfigured logs out of the configured profile name.
func (e *Env) logoutConfigured(ctx context.Context, c *commonFlags, f *config.File, name string) error {
	cp, err := f.Profile(name)
	if err != nil {
		return err
	}
	values, err := expandProfile(cp.Values, e.Getenv)
	if err != nil {
		return err
	}
	return e.logout(ctx, c, &profile{Name: name, Values: values})
}
