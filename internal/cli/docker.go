package cli

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/docker/acr"
	"github.com/keyfob/keyfob/internal/hostproto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// acrHTTPClient makes the HTTP client of the ACR exchange; tests replace
// it to trust their server.
var acrHTTPClient = func() *http.Client { return &http.Client{Timeout: time.Minute} }

// acrEndpoint is the exchange URL for a registry; tests replace it.
var acrEndpoint = acr.Endpoint

func newDockerCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:   "docker get|store|erase|list|version",
		Short: "docker credential helper (also run as docker-credential-keyfob)",
		Long: `docker credential helper (docker-credential-helpers protocol). get answers with the token of
the profile whose hosts match the registry, as the password of docker_username ("oauth2" by
default); with acr_exchange = true (preset "acr") the Entra token is exchanged at the Azure
Container Registry for an ACR refresh token, returned as an identity token. Registries no
profile serves get "credentials not found in native keychain". Errors are written to stdout.`,
		Example: `  keyfob install-helpers ~/bin
  # ~/.docker/config.json
  {"credHelpers": {"myacr.azurecr.io": "keyfob"}}`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.interact.stdinNotUser = true // stdin is docker's
			err := env.docker(cmd.Context(), &c, cmd.Flags(), args[0])
			if err != nil && !isSilent(err) {
				_ = docker.WriteError(env.Stdout, err) // the protocol reads errors from stdout
			}
			return err
		},
	}
	registerHostFlags(&c, cmd.Flags())
	return cmd
}

func (e *Env) docker(ctx context.Context, c *commonFlags, fs *pflag.FlagSet, action string) error {
	switch action {
	case "get":
		return e.dockerGet(ctx, c, fs)
	case "erase":
		return e.dockerErase(c, fs)
	case "store":
		return e.dockerStore(c, fs)
	case "list":
		f, err := e.loadConfig()
		if err != nil {
			return err
		}
		return docker.WriteList(e.Stdout, hostproto.DockerList(f, e.Getenv))
	case "version":
		return docker.WriteVersion(e.Stdout, hostproto.DockerHelper, "github.com/keyfob/keyfob", VersionString())
	}
	return &usageError{fmt.Errorf("unknown docker credential helper action %q", action)}
}

// dockerGet answers get; a registry no profile serves gets the not-found
// message and exit status 1, which docker takes as "no credentials".
func (e *Env) dockerGet(ctx context.Context, c *commonFlags, fs *pflag.FlagSet) error {
	srv, err := docker.ParseServer(e.request(c, "docker"))
	if err != nil {
		return requestError(err)
	}
	p, err := e.hostProfile(c, fs, hostproto.FromDocker(srv))
	if err != nil {
		return err
	}
	if p == nil {
		_ = docker.WriteNotFound(e.Stdout)
		return &silentExit{code: ExitInternal}
	}
	if hostproto.ACRExchange(p.Values) {
		tok, err := e.acrToken(ctx, c, p, srv.Host)
		if err != nil {
			return err
		}
		return docker.WriteCredentials(e.Stdout, docker.Credentials{ServerURL: srv.URL, Username: docker.IdentityTokenUser, Secret: tok})
	}
	ent, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return err
	}
	return docker.WriteCredentials(e.Stdout, hostproto.DockerCredentials(srv, p.Values, ent.AccessToken))
}

// acrToken returns the cached ACR refresh token for registry, or
// exchanges the profile's Entra token for a new one and caches it.
func (e *Env) acrToken(ctx context.Context, c *commonFlags, p *profile, registry string) (string, error) {
	tc, req, key := e.tokens(c, p), tokenRequest(c, p), acrKey(registry)
	if ent, ok, err := tc.Derived(req, key); err != nil || ok {
		return entryToken(ent), err
	}
	at, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return "", err
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	rt, err := acr.Exchange(ctx, acrHTTPClient(), acrEndpoint(registry), registry, hostproto.ACRTenant(p.Values), at.AccessToken)
	if err != nil {
		return "", err
	}
	ent := &host.CacheEntry{AccessToken: rt.Token, TokenType: "acr_refresh_token", ExpiresAt: rt.ExpiresAt,
		IssuedAt: e.Now(), Profile: p.Name, Scopes: at.Scopes}
	if ent.ExpiresAt.IsZero() {
		ent.ExpiresAt = at.ExpiresAt
	}
	if err := tc.PutDerived(req, key, ent); err != nil {
		fmt.Fprintf(e.Stderr, "keyfob: warning: could not cache the ACR refresh token: %s\n", oneLine(err.Error()))
	}
	return rt.Token, nil
}

// dockerErase drops the cached tokens for the registry (docker logout);
// the sign-in is kept. A registry no profile serves has nothing to erase.
func (e *Env) dockerErase(c *commonFlags, fs *pflag.FlagSet) error {
	srv, err := docker.ParseServer(e.request(c, "docker"))
	if err != nil {
		return requestError(err)
	}
	p, err := e.hostProfile(c, fs, hostproto.FromDocker(srv))
	if err != nil || p == nil {
		return err
	}
	return e.dropCached(c, p, "", acrKey(srv.Host))
}

// dockerStore accepts and discards what docker login obtained: keyfob's
// registry credentials come from its profiles. Failing instead would fail
// docker login for registries keyfob does not even serve.
func (e *Env) dockerStore(c *commonFlags, fs *pflag.FlagSet) error {
	creds, err := docker.ParseStore(e.request(c, "docker"))
	if err != nil {
		return requestError(err)
	}
	srv, err := docker.ParseServerURL(creds.ServerURL)
	if err != nil {
		return &usageError{err}
	}
	f, err := e.readConfig()
	if err != nil {
		return err
	}
	if name, ok := hostproto.Choose(f, e.Getenv, c.profile, hostproto.FromDocker(srv)); ok {
		fmt.Fprintf(e.Stderr, "keyfob: not storing the credentials for %s: keyfob gets them from profile %q\n", srv.Host, name)
		return nil
	}
	fmt.Fprintf(e.Stderr, "keyfob: not storing the credentials for %s: keyfob keeps no registry credentials of its own\n", srv.Host)
	return nil
}

// acrKey is the key of the ACR refresh token for registry, kept beside
// the profile's Entra token.
func acrKey(registry string) host.KeyOf {
	return func(r host.KeyRequest) string { return hostproto.ACRKey(r, registry) }
}

// entryToken is the token of ent, or "" when there is none.
func entryToken(ent *host.CacheEntry) string {
	if ent == nil {
		return ""
	}
	return ent.AccessToken
}
