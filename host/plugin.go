package host

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/keyfob/keyfob/plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Request asks a plugin's provider for a token. Config values are sent as
// given: a host should resolve env:/file: references itself (see
// ResolveConfig) so the plugin needs no access to the host's files or
// environment.
type Request struct {
	// Provider is the grant provider's name.
	Provider string
	// Config holds the profile's keys in wire form.
	Config map[string]string
	// Scopes requested; empty means the profile's scopes.
	Scopes []string
	// State is the opaque state of an earlier Token for the same profile.
	State []byte
	// ForceRefresh asks the provider not to reuse anything.
	ForceRefresh bool
	// MinValidity is the least lifetime the caller needs.
	MinValidity time.Duration
	// Claims is a claims-request JSON object.
	Claims string
}

// Token is a provider's result as the host sees it.
type Token = plugin.Token

// Plugin is a running plugin process. Its methods are safe for concurrent
// use. Close stops the process.
type Plugin struct {
	client      *goplugin.Client
	conn        *plugin.Conn
	negotiated  int
	interaction plugin.Interaction
	logger      hclog.Logger
	closeOnce   sync.Once
	path        string      // the executable, for messages
	exit        *exitRecord // how the process ended
}

// ProtocolVersion is the go-plugin protocol version negotiated.
func (p *Plugin) ProtocolVersion() int { return p.negotiated }

// Pid returns the plugin's process id.
func (p *Plugin) Pid() int {
	n, _ := strconv.Atoi(p.client.ID())
	return n
}

// Exited reports whether the plugin process has exited.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// Close stops the plugin process; it is safe to call more than once.
func (p *Plugin) Close() error {
	p.closeOnce.Do(p.client.Kill)
	return nil
}

// GetToken calls the plugin. Errors keep their meaning across the
// boundary: plugin.KindOf, errors.Is with plugin's sentinels and
// errors.As with *plugin.OAuthError work on them.
func (p *Plugin) GetToken(ctx context.Context, req *Request) (*Token, error) {
	brokerID, stop := p.serveInteraction(ctx)
	defer stop()
	resp, err := p.conn.Client.GetToken(ctx, requestToProto(req, brokerID))
	if err != nil {
		return nil, p.callError(err)
	}
	return tokenFromProto(resp), nil
}

// ListProviders asks the plugin what it serves.
func (p *Plugin) ListProviders(ctx context.Context) ([]plugin.ProviderInfo, string, error) {
	resp, err := p.conn.Client.ListProviders(ctx, &keyfobv1.ListProvidersRequest{})
	if err != nil {
		return nil, "", p.callError(err)
	}
	out := make([]plugin.ProviderInfo, 0, len(resp.GetProviders()))
	for _, pi := range resp.GetProviders() {
		out = append(out, providerInfoFromProto(pi))
	}
	return out, resp.GetPluginVersion(), nil
}

// callError converts a call's error, noting when the plugin process died.
func (p *Plugin) callError(err error) error {
	if p.exited(err) {
		return &PluginExitedError{Path: p.path, Pid: p.Pid(), Status: p.exit.get(), Err: err}
	}
	return plugin.FromStatus(err)
}

// exitGrace bounds the wait for go-plugin to notice that the plugin
// process exited after a call saw the connection break: the broken
// connection usually arrives first.
const exitGrace = 2 * time.Second

// exited reports whether the plugin process has exited. After a transport
// failure it waits up to exitGrace, so that a crashed plugin is reported as
// such rather than as an unavailable authorization server.
func (p *Plugin) exited(err error) bool {
	if p.client.Exited() {
		return true
	}
	if !transportFailure(err) {
		return false
	}
	deadline := time.Now().Add(exitGrace)
	for time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		if p.client.Exited() {
			return true
		}
	}
	return false
}

// transportFailure reports whether err is a broken connection rather than
// an answer from the plugin: the plugin's own UNAVAILABLE statuses carry a
// TokenError detail (see plugin.ToStatus).
func transportFailure(err error) bool {
	st, ok := status.FromError(err)
	return ok && st.Code() == codes.Unavailable && len(st.Details()) == 0
}

func requestToProto(req *Request, brokerID uint32) *keyfobv1.GetTokenRequest {
	out := &keyfobv1.GetTokenRequest{
		Provider:            req.Provider,
		Config:              req.Config,
		Scopes:              req.Scopes,
		State:               req.State,
		ForceRefresh:        req.ForceRefresh,
		Claims:              req.Claims,
		InteractionBrokerId: brokerID,
	}
	if req.MinValidity > 0 {
		out.MinValidity = durationpb.New(req.MinValidity)
	}
	return out
}

func tokenFromProto(r *keyfobv1.GetTokenResponse) *Token {
	t := &Token{
		AccessToken: plugin.NewSecret(r.GetAccessToken()),
		TokenType:   r.GetTokenType(),
		State:       r.GetState(),
		Scope:       r.GetScope(),
		IDToken:     plugin.NewSecret(r.GetIdToken()),
		ClearState:  r.GetClearState(),
		Account:     r.GetAccount(),
		NoCache:     r.GetNoCache(),
	}
	if r.GetExpiresAt() != nil {
		t.ExpiresAt = r.GetExpiresAt().AsTime()
	}
	if r.GetRefreshAt() != nil {
		t.RefreshAt = r.GetRefreshAt().AsTime()
	}
	return t
}

func providerInfoFromProto(pi *keyfobv1.ProviderInfo) plugin.ProviderInfo {
	info := plugin.ProviderInfo{Name: pi.GetName(), Description: pi.GetDescription(), Interactive: pi.GetInteractive()}
	for _, k := range pi.GetConfigKeys() {
		info.Keys = append(info.Keys, plugin.KeyInfo{
			Name: k.GetName(), Description: k.GetDescription(), Required: k.GetRequired(), Secret: k.GetSecret(), List: k.GetList(),
		})
	}
	return info
}
