package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/msi"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/providers/azurecli"
	"github.com/keyfob/keyfob/plugin/providers/environment"
	"github.com/keyfob/keyfob/plugin/providers/managedidentity"
	"github.com/keyfob/keyfob/plugin/providers/workloadidentity"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit codes of keyfob exec when CMD cannot be started, as sh and env
// have them; otherwise keyfob exec exits with CMD's status.
const (
	exitCannotRun = 126
	exitNotFound  = 127
)

func newExecCmd(env *Env) *cobra.Command {
	var c commonFlags
	var vars []string
	cmd := &cobra.Command{
		Use:   "exec [flags] -- CMD [ARGS...]",
		Short: "Run a command whose Azure SDK gets the profile's tokens from a local managed-identity endpoint",
		Example: `  keyfob exec -p graph -- go run ./myapp
  keyfob exec -p graph --env GRAPH_TOKEN -- ./script.sh   # also a token in $GRAPH_TOKEN (not refreshed)`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &usageError{errors.New("keyfob exec needs a command: keyfob exec -p NAME -- CMD [ARGS...]")}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.runExec(cmd.Context(), &c, cmd.Flags(), vars, args)
		},
	}
	c.register(cmd.Flags())
	cmd.Flags().StringArrayVar(&vars, "env", nil, "also put a token for the profile's scopes in this environment variable of CMD (repeatable; it is not refreshed)")
	cmd.Flags().SetInterspersed(false) // everything from CMD on is CMD's
	return cmd
}

// runExec serves the profile's tokens on a managed-identity endpoint to
// CMD, run with stdio passed through and the signals forwarded; CMD's
// exit status becomes keyfob's.
func (e *Env) runExec(ctx context.Context, c *commonFlags, fs *pflag.FlagSet, vars, args []string) error {
	if err := checkVarNames(vars); err != nil {
		return err
	}
	p, err := e.selectProfile(c, fs)
	if err != nil {
		return err
	}
	src := &pipelineTokens{env: e, flags: *c, p: p}
	extra, err := envTokens(ctx, src, vars)
	if err != nil {
		return err
	}
	srv, err := msi.Listen(newExecEndpoint(p, c.scopes, src).token, msi.Options{})
	if err != nil {
		return fmt.Errorf("starting the managed-identity endpoint: %w", err)
	}
	defer srv.Close()
	return e.runChild(args, append(srv.Env(), extra...))
}

// execTokens is where keyfob exec's endpoint gets its tokens: scopes
// empty means the profile's own (its scopes key, or the command line's
// --scope). Implementations are safe for concurrent use.
type execTokens interface {
	Token(ctx context.Context, scopes []string) (*host.CacheEntry, error)
}

// pipelineTokens gets tokens through the pipeline a keyfob token call
// uses, in this process: the same cache, locks, flags and interaction
// rules.
type pipelineTokens struct {
	env   *Env
	flags commonFlags
	p     *profile
}

// Token implements execTokens. --force-refresh applies to the --env
// tokens only: the endpoint's requests never skip the cache.
func (t *pipelineTokens) Token(ctx context.Context, scopes []string) (*host.CacheEntry, error) {
	c := t.flags
	if len(scopes) > 0 {
		c.scopes, c.forceRefresh = scopes, false
	}
	return t.env.getCachedToken(ctx, &c, t.p)
}

// varName is what --env accepts: a portable environment variable name.
var varName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func checkVarNames(vars []string) error {
	for _, v := range vars {
		if !varName.MatchString(v) {
			return &usageError{fmt.Errorf("--env %q is not an environment variable name (letters, digits and _, not starting with a digit)", v)}
		}
	}
	return nil
}

// envTokens is VAR=token for each of vars, from one token of the
// profile's scopes.
func envTokens(ctx context.Context, src execTokens, vars []string) ([]string, error) {
	if len(vars) == 0 {
		return nil, nil
	}
	ent, err := src.Token(ctx, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(vars))
	for _, v := range vars {
		out = append(out, v+"="+ent.AccessToken)
	}
	return out, nil
}

// execEndpoint turns the endpoint's requests into token requests of one
// profile.
type execEndpoint struct {
	p      *profile
	entra  bool
	scopes []string // --scope, which stands for the profile's scopes
	src    execTokens
}

func newExecEndpoint(p *profile, scopes []string, src execTokens) *execEndpoint {
	return &execEndpoint{p: p, entra: isEntraProfile(p.Values), scopes: scopes, src: src}
}

// token is the endpoint's msi.TokenFunc.
func (x *execEndpoint) token(ctx context.Context, r msi.Request) (msi.Token, error) {
	if err := x.checkIdentity(r); err != nil {
		return msi.Token{}, err
	}
	scopes, err := x.scopesFor(r.Resource)
	if err != nil {
		return msi.Token{}, err
	}
	ent, err := x.src.Token(ctx, scopes)
	if err != nil {
		return msi.Token{}, endpointError(err)
	}
	return msi.Token{AccessToken: ent.AccessToken, TokenType: ent.TokenType, ExpiresOn: host.HostExpiry(ent), ClientID: x.p.Values["client_id"]}, nil
}

// scopesFor is what to ask for resource: RESOURCE/.default from Entra
// (how a resource is asked for there, see grant.Scopes); from any other
// server the profile's own scopes, if they name resource.
func (x *execEndpoint) scopesFor(resource string) ([]string, error) {
	if x.entra {
		return []string{grant.ResourceScope(resource)}, nil
	}
	names := x.resourceNames()
	for _, n := range names {
		if sameResource(n, resource) {
			return x.scopes, nil
		}
	}
	return nil, invalidResource("profile %q is not Microsoft Entra ID's: it serves only the resources its scopes name (%s), not %q; add %q to its scopes",
		x.p.Name, strings.Join(names, " "), resource, resource)
}

// resourceNames are the scopes (--scope, else the profile's) and the
// resource key of a profile that is not Entra's.
func (x *execEndpoint) resourceNames() []string {
	names := x.scopes
	if len(names) == 0 {
		names, _ = plugin.Config(x.p.Values).List("scopes") // checked when the profile was loaded
	}
	if r := x.p.Values["resource"]; r != "" {
		names = append(slices.Clone(names), r)
	}
	return names
}

// sameResource reports whether the scope or resource name stands for
// resource: the same up to a trailing slash, or its "/.default" scope.
func sameResource(name, resource string) bool {
	trim := func(s string) string { return strings.TrimRight(s, "/") }
	return trim(name) == trim(resource) || name == grant.ResourceScope(resource)
}

// checkIdentity refuses a request for a user-assigned identity other
// than the profile's: keyfob exec serves one identity, and a token for
// another one would be a lie the SDK cannot detect.
func (x *execEndpoint) checkIdentity(r msi.Request) error {
	id := x.p.Values["client_id"]
	switch {
	case r.ClientID != "" && r.ClientID != id:
		return invalidResource("profile %q is client %q, not the client_id %q the program asked for; run it without a managed-identity client id", x.p.Name, id, r.ClientID)
	case r.ObjectID != "" || r.ResourceID != "":
		return invalidResource("profile %q serves its own identity only; the program asked for the identity with object or resource id %q; run it without one", x.p.Name, r.ObjectID+r.ResourceID)
	}
	return nil
}

func invalidResource(format string, args ...any) *msi.Error {
	return &msi.Error{Status: http.StatusBadRequest, Code: "invalid_request", Description: fmt.Sprintf(format, args...)}
}

// entraOnly are the providers that get tokens from Microsoft Entra ID
// only, whatever their keys say.
var entraOnly = []string{managedidentity.Name, workloadidentity.Name, azurecli.Name, environment.Name}

// isEntraProfile reports whether the profile's tokens come from
// Microsoft Entra ID, which takes a resource as the scope
// RESOURCE/.default: an Entra-only provider, an authority (from which
// Entra's endpoints are derived), or a token endpoint or issuer on one of
// Entra's sign-in hosts (endpoint.Endpoints.IsEntra).
func isEntraProfile(v map[string]string) bool {
	if slices.Contains(entraOnly, v["provider"]) || v["authority"] != "" {
		return true
	}
	return endpoint.Endpoints{Token: v["token_url"]}.IsEntra() || entra.IsSignInHost(hostOfURL(v["issuer"]))
}

// hostOfURL is the host of a URL, "" when it has none.
func hostOfURL(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// endpointError is the endpoint's answer for a pipeline error, by its
// exit code: what no retry mends is 400 (the SDKs fail at once and show
// the description), a failing authorization server 503 (they retry).
func endpointError(err error) *msi.Error {
	desc := oneLine(err.Error())
	switch ExitCode(err) {
	case ExitUsage:
		return &msi.Error{Status: http.StatusBadRequest, Code: "invalid_request", Description: desc}
	case ExitRefused:
		return &msi.Error{Status: http.StatusBadRequest, Code: "unauthorized_client", Description: desc}
	case ExitInteraction:
		return &msi.Error{Status: http.StatusBadRequest, Code: "interaction_required", Description: desc}
	case ExitUnavailable:
		return &msi.Error{Status: http.StatusServiceUnavailable, Code: "temporarily_unavailable", Description: desc}
	}
	return &msi.Error{Status: http.StatusInternalServerError, Code: "server_error", Description: desc}
}

// runChild runs args with extra added to keyfob's environment and the
// standard streams passed through, forwarding SIGINT, SIGTERM and SIGHUP,
// and returns its exit status as keyfob's.
func (e *Env) runChild(args, extra []string) error {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = childEnv(os.Environ(), extra)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.Stdin, e.Stdout, e.Stderr
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return e.startFailed(err)
	}
	done := make(chan struct{})
	defer close(done)
	go forward(sigs, cmd.Process, done)
	_ = cmd.Wait() // the status is in cmd.ProcessState; I/O errors end with the child
	return exitWith(childStatus(cmd.ProcessState))
}

// forward sends the signals that arrive to p until done.
func forward(sigs <-chan os.Signal, p *os.Process, done <-chan struct{}) {
	for {
		select {
		case s := <-sigs:
			_ = p.Signal(s) // it may just have exited
		case <-done:
			return
		}
	}
}

// startFailed reports a command that could not be started with the
// shell's exit codes: 127 not found, 126 found but not runnable.
func (e *Env) startFailed(err error) error {
	code := exitCannotRun
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
		code = exitNotFound
	}
	fmt.Fprintln(e.Stderr, "keyfob: exec: "+oneLine(err.Error()))
	return exitWith(code)
}

// childStatus is a finished child's status as a shell reports it: its
// exit code, or 128+n when signal n ended it.
func childStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// exitWith ends the command with code, having printed nothing.
func exitWith(code int) error {
	if code == 0 {
		return nil
	}
	return &silentExit{code}
}

// childEnv is environ with extra laid over it, without what would point
// the child's SDKs elsewhere (a Service Fabric thumbprint) or is keyfob's
// own bookkeeping.
func childEnv(environ, extra []string) []string {
	drop := []string{"IDENTITY_SERVER_THUMBPRINT", config.WarnedEnv}
	for _, kv := range extra {
		name, _, _ := strings.Cut(kv, "=")
		drop = append(drop, name)
	}
	out := slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(drop, name)
	})
	return append(out, extra...)
}
