package cli

import (
	"context"

	"github.com/keyfob/keyfob/host/kubectl"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newKubectlCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "kubectl",
		Short: "kubectl / client-go exec credential plugin: print an ExecCredential",
		Long: `Prints one ExecCredential for the apiVersion in KUBERNETES_EXEC_INFO (v1beta1 when unset).
The profile is -p, else the cluster's exec extension "profile" (with provideClusterInfo),
else $KEYFOB_PROFILE, else default_profile, else environment. The extension may also give
"audience" (requests AUDIENCE/.default) or "scopes". use_id_token = true hands out the
OpenID Connect ID token instead of the access token.`,
		Example: `  keyfob kubeconfig -p aks        # prints a ready users entry
  keyfob kubectl -p aks          # what kubectl runs`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.kubectl(cmd.Context(), &c, cmd.Flags())
		},
	}
	c.register(cmd.Flags())
	return cmd
}

// kubectl answers client-go's exec credential request.
func (e *Env) kubectl(ctx context.Context, c *commonFlags, fs *pflag.FlagSet) error {
	info, err := kubectl.ParseExecInfo(e.Getenv(kubectl.EnvVar))
	if err != nil {
		return plugin.Configf("%v", err)
	}
	cc, err := info.ClusterConfig()
	if err != nil {
		return plugin.Configf("%v", err)
	}
	if info.Interactive != nil && !*info.Interactive {
		c.interact.stdinNotUser = true
	}
	if c.profile == "" && cc.Profile != "" && !fs.Changed("provider") {
		c.profile = cc.Profile
	}
	if len(c.scopes) == 0 {
		c.scopes = cc.RequestedScopes()
	}
	p, err := e.selectProfile(c, fs)
	if err != nil {
		return err
	}
	if note := hostproto.KubeServerNote(info, p.Name); note != "" {
		return plugin.Configf("%s", note)
	}
	ent, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return err
	}
	tok, exp, fresh, err := hostproto.KubeToken(p.Values, ent, e.Now(), c.minValidity)
	if err == nil && !fresh && !c.forceRefresh {
		c.forceRefresh = true // the ID token runs out before the access token
		if ent, err = e.getCachedToken(ctx, c, p); err != nil {
			return err
		}
		tok, exp, _, err = hostproto.KubeToken(p.Values, ent, e.Now(), c.minValidity)
	}
	if err != nil {
		return plugin.Configf("profile %q: %v", p.Name, err)
	}
	return kubectl.Write(e.Stdout, info.APIVersion, tok, exp)
}
