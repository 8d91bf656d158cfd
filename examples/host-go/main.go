// Command host-go is a long-running Go program — an automation service,
// say — that gets its OAuth tokens from keyfob through the host package
// instead of running the keyfob CLI for each one. It launches keyfob once
// as a go-plugin plugin and keeps it running (host.Supervisor launches it
// again if it crashes or is killed), serves its token from memory and
// refreshes it ahead of expiry (host.Keeper), and calls an API through an
// http.Client that sends the current token with every request.
//
//	go install ./cmd/...
//	go run ./examples/host-go \
//	    -provider client_credentials \
//	    -config token_url=https://login.microsoftonline.com/TENANT/oauth2/v2.0/token \
//	    -config client_id=APP_ID -config client_secret=env:APP_SECRET \
//	    -scope https://graph.microsoft.com/.default \
//	    -api https://graph.microsoft.com/v1.0/organization -every 1m
//
// keyfob is found on $PATH unless -keyfob names it (pin it with -sha256).
// Each call prints one line on stdout; KEYFOB_LOG=debug shows the plugin's
// launches and the token refreshes on stderr. Interrupt it to stop: the
// plugin stops with it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "host-go:", err)
		os.Exit(1)
	}
}
