package plugin

import (
	"context"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc"
)

// GRPCPlugin is the go-plugin plugin for keyfob.v1. On the plugin side it
// serves Registry's providers as keyfob.v1.TokenService; on the host side
// GRPCClient returns a *Conn that the host package wraps.
type GRPCPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	// Registry holds the providers served (plugin side only).
	Registry *Registry
	// Logger is handed to providers (plugin side only); nil means silent.
	Logger hclog.Logger
	// Version is reported by ListProviders.
	Version string
}

// GRPCServer registers the TokenService server adapter.
func (p *GRPCPlugin) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	logger := p.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	keyfobv1.RegisterTokenServiceServer(s, &grpcServer{registry: p.Registry, broker: broker, logger: logger, version: p.Version})
	return nil
}

// Conn is what GRPCClient dispenses to a host: the TokenService client and
// the broker on which the host serves InteractionService.
type Conn struct {
	Client keyfobv1.TokenServiceClient
	Broker *goplugin.GRPCBroker
}

// GRPCClient returns a *Conn for the host package.
func (p *GRPCPlugin) GRPCClient(_ context.Context, broker *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return &Conn{Client: keyfobv1.NewTokenServiceClient(c), Broker: broker}, nil
}
