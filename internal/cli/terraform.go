package cli

import (
	"context"
	"fmt"

	"github.com/keyfob/keyfob/host/terraform"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newTerraformCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "terraform get|store|forget HOST",
		Short: "Terraform credentials helper (also run as terraform-credentials-keyfob)",
		Long: `Terraform and OpenTofu credentials helper. get prints {"token": ...} for the profile named
by -p or whose hosts match HOST, valid for 30 minutes or half the token's lifetime, whichever is
less (Terraform keeps it for the whole run), and {} for hosts no profile serves. forget drops the
cached access token. store refuses: keyfob gets tokens, it does not keep other ones.`,
		Example: `  keyfob install-helpers ~/.terraform.d/plugins
  # ~/.terraformrc
  credentials_helper "keyfob" {}`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.interact.stdinNotUser = true // stdin is Terraform's (/dev/null)
			return env.terraform(cmd.Context(), &c, cmd.Flags(), args[0], args[1])
		},
	}
	registerHostFlags(&c, cmd.Flags())
	return cmd
}

func (e *Env) terraform(ctx context.Context, c *commonFlags, fs *pflag.FlagSet, verb, host string) error {
	r := hostproto.FromTerraform(host)
	switch verb {
	case terraform.Get:
		return e.terraformGet(ctx, c, fs, r)
	case terraform.Forget:
		p, err := e.hostProfile(c, fs, r)
		if err != nil || p == nil {
			return err
		}
		return e.dropCached(c, p, "")
	case terraform.Store:
		return e.terraformStore(c, fs, r)
	}
	return &usageError{fmt.Errorf("unknown credentials helper verb %q (want get, store or forget)", verb)}
}

// terraformGet answers get with a token that lasts: unless --min-validity
// is given, a cached token must stay valid for terraform.MinValidity of
// its lifetime.
func (e *Env) terraformGet(ctx context.Context, c *commonFlags, fs *pflag.FlagSet, r hostproto.Request) error {
	p, err := e.hostProfile(c, fs, r)
	if err != nil {
		return err
	}
	if p == nil {
		return terraform.WriteNone(e.Stdout)
	}
	if !fs.Changed("min-validity") {
		c.minValidity = hostproto.TerraformMinValidity(e.peekCached(c, p))
	}
	ent, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return err
	}
	return terraform.WriteToken(e.Stdout, ent.AccessToken)
}

// terraformStore reads what terraform login obtained and refuses it
// politely: keyfob hands out the tokens of its profiles and keeps no
// others.
func (e *Env) terraformStore(c *commonFlags, fs *pflag.FlagSet, r hostproto.Request) error {
	if _, err := terraform.ParseStore(e.request(c, "terraform")); err != nil {
		return requestError(err)
	}
	f, err := e.readConfig()
	if err != nil {
		return err
	}
	if name, ok := hostproto.Choose(f, e.Getenv, c.profile, r); ok {
		return fmt.Errorf("not storing a token for %s: keyfob gets the tokens for it from profile %q, so terraform login is not needed", r.Host, name)
	}
	return fmt.Errorf("not storing a token for %s: keyfob only hands out the tokens of its profiles; add %q to the hosts of a profile instead", r.Host, r.Host)
}
