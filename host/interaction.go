package host

import (
	"context"
	"errors"
	"sync"

	"github.com/keyfob/keyfob/plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// serveInteraction serves the host's InteractionService for one call and
// returns its broker id with a function that stops it; the id is 0 when
// the host has no Interaction (nobody can be asked). The Interaction is
// the one ctx carries (WithInteraction), else Options.Interaction. Every call gets its
// own id: go-plugin's broker hands a service's address to the plugin only
// once, so an id shared by several calls would reach the host only on the
// first of them.
func (p *Plugin) serveInteraction(ctx context.Context) (uint32, func()) {
	ia := interactionFrom(ctx, p.interaction)
	if ia == nil {
		return 0, func() {}
	}
	id := p.conn.Broker.NextId()
	srv := &interactionServer{ia: ia}
	var (
		mu      sync.Mutex
		server  *grpc.Server
		stopped bool
	)
	go p.conn.Broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		keyfobv1.RegisterInteractionServiceServer(s, srv)
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			s.Stop() // the call is over: Serve returns at once
		}
		server = s
		return s
	})
	return id, func() {
		mu.Lock()
		s := server
		stopped = true
		mu.Unlock()
		if s != nil {
			s.Stop()
		}
	}
}

// interactionServer adapts a plugin.Interaction to InteractionService.
type interactionServer struct {
	keyfobv1.UnimplementedInteractionServiceServer
	ia plugin.Interaction
}

func (s *interactionServer) Notify(ctx context.Context, in *keyfobv1.NotifyRequest) (*keyfobv1.NotifyResponse, error) {
	n := plugin.Notice{Message: in.GetMessage(), VerificationURI: in.GetVerificationUri(), UserCode: in.GetUserCode()}
	if in.GetExpiresAt() != nil {
		n.ExpiresAt = in.GetExpiresAt().AsTime()
	}
	if err := s.ia.Notify(ctx, n); err != nil {
		return nil, interactionStatus(err)
	}
	return &keyfobv1.NotifyResponse{}, nil
}

func (s *interactionServer) OpenBrowser(ctx context.Context, in *keyfobv1.OpenBrowserRequest) (*keyfobv1.OpenBrowserResponse, error) {
	opened, err := s.ia.OpenBrowser(ctx, in.GetUrl(), in.GetMessage())
	if err != nil {
		return nil, interactionStatus(err)
	}
	return &keyfobv1.OpenBrowserResponse{Opened: opened}, nil
}

func (s *interactionServer) Prompt(ctx context.Context, in *keyfobv1.PromptRequest) (*keyfobv1.PromptResponse, error) {
	answer, err := s.ia.Prompt(ctx, in.GetMessage(), in.GetSecret())
	if err != nil {
		return nil, interactionStatus(err)
	}
	return &keyfobv1.PromptResponse{Answer: answer}, nil
}

// interactionStatus maps "nobody can be asked" to FAILED_PRECONDITION.
func interactionStatus(err error) error {
	if errors.Is(err, plugin.ErrInteractionRequired) {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	return status.Error(codes.Unknown, err.Error())
}
