package plugin

import (
	"context"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// grpcServer adapts a Registry to keyfob.v1.TokenService. It is the only
// place on the plugin side where wire types become Go types.
type grpcServer struct {
	keyfobv1.UnimplementedTokenServiceServer
	registry *Registry
	broker   *goplugin.GRPCBroker
	logger   hclog.Logger
	version  string
}

// GetToken converts the request, runs the provider and converts the result.
func (s *grpcServer) GetToken(ctx context.Context, in *keyfobv1.GetTokenRequest) (*keyfobv1.GetTokenResponse, error) {
	req, closeInteraction := s.fromProto(in)
	defer closeInteraction()
	log := s.logger.With("provider", in.GetProvider())
	ctx, cancel := withReplyMargin(ctx)
	defer cancel()
	tok, err := s.registry.GetToken(ctx, in.GetProvider(), req)
	if err != nil {
		log.Debug("token request failed", "kind", KindOf(err).String(), "error", err.Error())
		return nil, ToStatus(err)
	}
	log.Debug("token issued", "fingerprint", tok.AccessToken.Fingerprint(), "expires_at", tok.ExpiresAt)
	return TokenToProto(tok), nil
}

// ListProviders describes the registry.
func (s *grpcServer) ListProviders(context.Context, *keyfobv1.ListProvidersRequest) (*keyfobv1.ListProvidersResponse, error) {
	resp := &keyfobv1.ListProvidersResponse{PluginVersion: s.version}
	for _, info := range s.registry.Providers() {
		resp.Providers = append(resp.Providers, ProviderInfoToProto(info))
	}
	return resp, nil
}

func (s *grpcServer) fromProto(in *keyfobv1.GetTokenRequest) (*Request, func()) {
	req := RequestFromProto(in)
	req.Logger = s.logger.With("provider", in.GetProvider())
	ia, closeFn := dialInteraction(s.broker, in.GetInteractionBrokerId(), req.Logger)
	req.Interaction = ia
	return req, closeFn
}

// RequestFromProto converts a wire request; Interaction is NoInteraction and
// Logger a null logger until the caller sets them.
func RequestFromProto(in *keyfobv1.GetTokenRequest) *Request {
	return &Request{
		Config:       Config(in.GetConfig()),
		Scopes:       in.GetScopes(),
		State:        in.GetState(),
		ForceRefresh: in.GetForceRefresh(),
		MinValidity:  durationOrZero(in.GetMinValidity()),
		Claims:       in.GetClaims(),
		Interaction:  NoInteraction{},
		Logger:       hclog.NewNullLogger(),
	}
}

// TokenToProto converts a provider's token to the wire form.
func TokenToProto(t *Token) *keyfobv1.GetTokenResponse {
	return &keyfobv1.GetTokenResponse{
		AccessToken: t.AccessToken.Reveal(),
		TokenType:   t.TokenType,
		ExpiresAt:   timeToProto(t.ExpiresAt),
		State:       t.State,
		RefreshAt:   timeToProto(t.RefreshAt),
		Scope:       t.Scope,
		IdToken:     t.IDToken.Reveal(),
		ClearState:  t.ClearState,
		Account:     t.Account,
		NoCache:     t.NoCache,
	}
}

// ProviderInfoToProto converts a provider description to the wire form.
func ProviderInfoToProto(info ProviderInfo) *keyfobv1.ProviderInfo {
	out := &keyfobv1.ProviderInfo{Name: info.Name, Description: info.Description, Interactive: info.Interactive}
	for _, k := range info.Keys {
		out.ConfigKeys = append(out.ConfigKeys, &keyfobv1.ConfigKey{
			Name: k.Name, Description: k.Description, Required: k.Required, Secret: k.Secret, List: k.List,
		})
	}
	return out
}

func timeToProto(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}
