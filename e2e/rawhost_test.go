package e2e_test

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc"

	"github.com/keyfob/keyfob/e2e/servers"
)

// rawTokenPlugin is what a third-party go-plugin host writes knowing only
// keyfob's .proto files (through their generated stubs) and the handshake
// values of CONTRACT §8: no keyfob Go package is involved.
type rawTokenPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (rawTokenPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }

func (rawTokenPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return keyfobv1.NewTokenServiceClient(c), nil
}

func TestRawGoPluginHostGetsClientCredentialsToken(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion: 1, MagicCookieKey: "KEYFOB_PLUGIN", MagicCookieValue: "7d1c0e5a-keyfob-token-plugin",
		},
		Plugins:          goplugin.PluginSet{"token": rawTokenPlugin{}},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("starting keyfob as a plugin: %v", err)
	}
	raw, err := rpc.Dispense("token")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := raw.(keyfobv1.TokenServiceClient).GetToken(ctx, &keyfobv1.GetTokenRequest{
		Provider: "client_credentials",
		Config: map[string]string{
			"token_url": z.TokenURL, "client_id": z.BasicClient.ID,
			"client_secret": z.BasicClient.Secret, "client_auth": "client_secret_basic",
		},
		Scopes: z.Scopes,
	})
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if resp.GetTokenType() != "Bearer" || resp.GetExpiresAt() == nil {
		t.Errorf("token_type %q, expires_at %v", resp.GetTokenType(), resp.GetExpiresAt())
	}
	info, err := z.VerifyAccessToken(ctx, resp.GetAccessToken())
	if err != nil {
		t.Fatalf("the server does not accept the token it issued through keyfob: %v", err)
	}
	if info.ClientID != z.BasicClient.ID {
		t.Errorf("token for client %q, want %q", info.ClientID, z.BasicClient.ID)
	}
	if got := z.TokenRequests(); got != 1 {
		t.Errorf("server saw %d token requests, want 1", got)
	}
}
