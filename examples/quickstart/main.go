// Command quickstart shows keyfob end to end with no account and no
// configuration: it starts a small authorization server on loopback,
// builds keyfob, launches it as a plugin through the host SDK, gets tokens
// with the client_credentials, password and refresh_token grants, and
// prints them the way keyfob's CLI does for scripts (raw, header, JSON).
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	srv := newDemoServer()
	defer srv.Close()
	say("authorization server on %s", srv.URL)

	dir, err := os.MkdirTemp("", "keyfob-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin, err := buildKeyfob(ctx, dir)
	if err != nil {
		return err
	}
	if err := viaHostSDK(ctx, bin, srv); err != nil {
		return err
	}
	return viaCLI(ctx, bin, dir, srv)
}

// say prints a progress line on stderr; stdout carries only tokens.
func say(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}
