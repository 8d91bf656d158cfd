// Command host-go is a long-running Go program — an automation service,
// say — that gets its OAuth tokens from keyfob through the host package
// instead of running the keyfob CLI for each one. It launches keyfob as a
// go-plugin plugin when it needs a token and keeps it running
// (host.Supervisor launches it again if it crashes or is killed), keeps
// its tokens in keyfob's disk cache (host.Cache), serves its token from
// memory and refreshes it ahead of expiry (host.Keeper), and calls an API
// through an http.Client that sends the current token with every request.
//
// # Tokens shared with the CLI
//
// host.Cache is the pipeline keyfob's own CLI runs: the same cache
// directory (-cache, by default the CLI's: $KEYFOB_CACHE_DIR, else
// $XDG_CACHE_HOME/keyfob, else ~/.cache/keyfob), the same cache keys, the
// same cross-process lock. So a framework that wraps its TokenGetter in a
// host.Cache shares tokens with every other process using that directory:
// two runs in a row ask the server once, and `keyfob token` with the same
// profile settings (provider, token_url, client_id, client_secret as the
// same env: reference or value, scopes, ...) is served the token this
// program stored, and the other way round. Give the profile's keys in wire
// form (-config client_secret=env:NAME): the Cache resolves references
// itself, and only keyed fingerprints of secrets enter its keys. The
// profile name (-profile) is what keyfob cache list shows; it is not part
// of the key.
//
//	go install ./cmd/...
//	go run ./examples/host-go \
//	    -provider client_credentials \
//	    -config token_url=https://login.microsoftonline.com/TENANT/oauth2/v2.0/token \
//	    -config client_id=APP_ID -config client_secret=env:APP_SECRET \
//	    -scope https://graph.microsoft.com/.default \
//	    -api https://graph.microsoft.com/v1.0/organization -every 1m
//
// keyfob is found on $PATH unless -keyfob names it (pin it with -sha256);
// it is launched only when the cache has no token to give.
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
