package plugin

import (
	"context"
	"fmt"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// dialInteraction connects to the host's InteractionService on the broker.
// Broker id 0, or a failure to dial, means nobody can be asked.
func dialInteraction(broker *goplugin.GRPCBroker, id uint32, log hclog.Logger) (Interaction, func()) {
	if id == 0 || broker == nil {
		return NoInteraction{}, func() {}
	}
	conn, err := broker.Dial(id)
	if err != nil {
		log.Warn("cannot reach the host's interaction service", "error", err.Error())
		return NoInteraction{}, func() {}
	}
	return &interactionClient{c: keyfobv1.NewInteractionServiceClient(conn)}, func() { _ = conn.Close() }
}

// interactionClient adapts InteractionService to Interaction.
type interactionClient struct {
	c keyfobv1.InteractionServiceClient
}

func (i *interactionClient) Notify(ctx context.Context, n Notice) error {
	_, err := i.c.Notify(ctx, &keyfobv1.NotifyRequest{
		Message: n.Message, VerificationUri: n.VerificationURI, UserCode: n.UserCode,
		ExpiresAt: timeToProto(n.ExpiresAt),
	})
	return interactionErr(err)
}

func (i *interactionClient) OpenBrowser(ctx context.Context, url, message string) (bool, error) {
	resp, err := i.c.OpenBrowser(ctx, &keyfobv1.OpenBrowserRequest{Url: url, Message: message})
	if err != nil {
		return false, interactionErr(err)
	}
	return resp.GetOpened(), nil
}

func (i *interactionClient) Prompt(ctx context.Context, message string, secret bool) (string, error) {
	resp, err := i.c.Prompt(ctx, &keyfobv1.PromptRequest{Message: message, Secret: secret})
	if err != nil {
		return "", interactionErr(err)
	}
	return resp.GetAnswer(), nil
}

// interactionErr turns FAILED_PRECONDITION ("nobody can be asked") into
// ErrInteractionRequired.
func interactionErr(err error) error {
	if err == nil {
		return nil
	}
	if st, ok := status.FromError(err); ok && st.Code() == codes.FailedPrecondition {
		return fmt.Errorf("%s: %w", st.Message(), ErrInteractionRequired)
	}
	return fmt.Errorf("interaction with the host failed: %w", err)
}
