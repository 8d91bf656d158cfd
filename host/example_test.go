package host_test

import (
	"context"
	"fmt"
	"log"

	"github.com/keyfob/keyfob/host"
)

// A long-running program keeps keyfob running as its plugin and calls an
// API with a token that is refreshed ahead of expiry.
func ExampleKeeper() {
	ctx := context.Background()
	sup := host.NewSupervisor(host.Options{Path: "/usr/local/bin/keyfob"})
	defer sup.Close()
	cfg, err := host.ResolveConfig(map[string]string{
		"token_url":     "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
		"client_id":     "00000000-0000-0000-0000-000000000001",
		"client_secret": "env:GRAPH_CLIENT_SECRET",
	})
	if err != nil {
		log.Fatal(err)
	}
	keeper := host.NewKeeper(sup, host.Request{
		Provider: "client_credentials",
		Config:   cfg,
		Scopes:   []string{"https://graph.microsoft.com/.default"},
	}, host.KeeperOptions{})
	defer keeper.Close()

	resp, err := keeper.HTTPClient(ctx).Get("https://graph.microsoft.com/v1.0/organization")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
}
