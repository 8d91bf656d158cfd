package host

import (
	"context"
	"fmt"
	"maps"
	"runtime/debug"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// InProcessOptions configures InProcess.
type InProcessOptions struct {
	// Interaction reaches the person when the call's context carries
	// none (see WithInteraction); nil means nobody can be asked.
	Interaction plugin.Interaction
	// Logger receives the providers' log lines, as a launched plugin's
	// are forwarded; nil is silent.
	Logger hclog.Logger
}

// inProcess is the TokenGetter InProcess returns.
type inProcess struct {
	reg  *plugin.Registry
	opts InProcessOptions
}

// InProcess returns a TokenGetter that runs reg's providers in the
// calling process, with the contract a launched plugin serving reg
// gives (Launch): the provider sees the request as it would arrive over
// the plugin protocol, reaches the person through the Interaction
// directly (the one the call's context carries, else
// opts.Interaction, else nobody), and its errors come back as they
// would across the boundary: plugin.KindOf, errors.Is with plugin's
// sentinels and errors.As with *plugin.OAuthError give the same
// answers, and the messages are the same. A provider that panics gives
// an internal error instead of ending the process.
//
// What it saves is the process: no launch, no handshake, no gRPC. What
// it does not give is the plugin's isolation: the provider shares the
// host's memory and environment, so use it for providers the host
// trusts as its own code (keyfob's built-in ones) and Launch for the
// rest.
func InProcess(reg *plugin.Registry, opts InProcessOptions) TokenGetter {
	return &inProcess{reg: reg, opts: opts}
}

// GetToken runs the request's provider.
func (g *inProcess) GetToken(ctx context.Context, req *Request) (tok *Token, err error) {
	log := orNull(g.opts.Logger).Named("plugin").With("provider", req.Provider)
	defer recoverProvider(&err, req.Provider, log)
	tok, err = g.reg.GetToken(ctx, req.Provider, g.pluginRequest(ctx, req, log))
	if err != nil {
		log.Debug("token request failed", "kind", plugin.KindOf(err).String(), "error", err.Error())
		return nil, acrossBoundary(err)
	}
	log.Debug("token issued", "fingerprint", tok.AccessToken.Fingerprint(), "expires_at", tok.ExpiresAt)
	return receivedToken(tok), nil
}

// pluginRequest is req as a provider receives it from the plugin
// protocol: empty fields absent, the host's Interaction (or nobody).
func (g *inProcess) pluginRequest(ctx context.Context, req *Request, log hclog.Logger) *plugin.Request {
	var ia plugin.Interaction = plugin.NoInteraction{}
	if got := interactionFrom(ctx, g.opts.Interaction); got != nil {
		ia = boundaryInteraction{got}
	}
	return &plugin.Request{
		Config:       plugin.Config(nilIfEmptyMap(maps.Clone(req.Config))),
		Scopes:       nilIfEmpty(req.Scopes),
		State:        nilIfEmpty(req.State),
		ForceRefresh: req.ForceRefresh,
		MinValidity:  max(req.MinValidity, 0),
		Claims:       req.Claims,
		Interaction:  ia,
		Logger:       log,
	}
}

// receivedToken is tok as a host receives it over the plugin protocol:
// a copy, times in UTC without a monotonic reading, empty state absent.
func receivedToken(tok *Token) *Token {
	out := *tok
	out.State = nilIfEmpty(tok.State)
	if !tok.ExpiresAt.IsZero() {
		out.ExpiresAt = tok.ExpiresAt.UTC()
	}
	if !tok.RefreshAt.IsZero() {
		out.RefreshAt = tok.RefreshAt.UTC()
	}
	return &out
}

// acrossBoundary is err as the host would see it had it crossed the
// plugin protocol: the same conversion (plugin.ToStatus in the plugin,
// plugin.FromStatus in the host), so that classification and messages
// cannot differ between the two ways of running a provider.
func acrossBoundary(err error) error {
	return plugin.FromStatus(plugin.ToStatus(err))
}

// recoverProvider turns a provider's panic into an internal error naming
// the provider; the stack goes to the log at debug.
func recoverProvider(err *error, provider string, log hclog.Logger) {
	r := recover()
	if r == nil {
		return
	}
	log.Debug("provider panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	*err = acrossBoundary(fmt.Errorf("provider %q failed: panic: %v", provider, r))
}

// boundaryInteraction is the host's Interaction as a provider reaches it
// through the plugin protocol: an error comes back as it would from the
// host's InteractionService (see interactionStatus) to the plugin's
// client, so a provider's message reads the same either way.
type boundaryInteraction struct{ ia plugin.Interaction }

// Notify calls the host's Interaction.
func (b boundaryInteraction) Notify(ctx context.Context, n plugin.Notice) error {
	return interactionErr(b.ia.Notify(ctx, n))
}

// OpenBrowser calls the host's Interaction.
func (b boundaryInteraction) OpenBrowser(ctx context.Context, url, message string) (bool, error) {
	opened, err := b.ia.OpenBrowser(ctx, url, message)
	if err != nil {
		return false, interactionErr(err)
	}
	return opened, nil
}

// Prompt calls the host's Interaction.
func (b boundaryInteraction) Prompt(ctx context.Context, message string, secret bool) (string, error) {
	answer, err := b.ia.Prompt(ctx, message, secret)
	if err != nil {
		return "", interactionErr(err)
	}
	return answer, nil
}

// interactionErr is the host Interaction's err as the plugin's
// interaction client returns it: "nobody can be asked" keeps its kind,
// anything else is the host's failure.
func interactionErr(err error) error {
	if err == nil {
		return nil
	}
	st := status.Convert(interactionStatus(err))
	if st.Code() == codes.FailedPrecondition {
		return fmt.Errorf("%s: %w", st.Message(), plugin.ErrInteractionRequired)
	}
	return fmt.Errorf("interaction with the host failed: %w", st.Err())
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfEmptyMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}
