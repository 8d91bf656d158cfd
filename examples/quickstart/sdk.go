package main

import (
	"context"
	"fmt"

	"github.com/keyfob/keyfob/host"
)

// viaHostSDK launches keyfob as a go-plugin plugin through the host
// package — what an automation framework does — and asks it for a
// client_credentials token.
func viaHostSDK(ctx context.Context, bin string, srv *demoServer) error {
	say("host SDK: launching %s as a plugin", bin)
	p, err := host.Launch(ctx, host.Options{Path: bin})
	if err != nil {
		return err
	}
	defer p.Close()
	tok, err := p.GetToken(ctx, &host.Request{
		Provider: "client_credentials",
		Config: map[string]string{
			"token_url": srv.URL + "/oauth2/token", "client_id": srv.clientID,
			"client_secret": srv.clientSecret, "client_auth": "client_secret_basic",
		},
		Scopes: []string{"api.read"},
	})
	if err != nil {
		return err
	}
	say("host SDK: client_credentials token (fingerprint %s), expires %s", tok.AccessToken.Fingerprint(), tok.ExpiresAt.Format("15:04:05"))
	fmt.Println(tok.AccessToken.Reveal())
	return nil
}
