// Command faultplugin is a keyfob provider plugin that misbehaves on
// purpose, for the process-fault tests (e2e/process_faults_test.go).
//
// Named *-noisy it writes to stdout before the go-plugin handshake;
// named *-sleepy it never gets to the handshake. Its
// provider hang_once writes "PID PPID" to the file named by the profile
// key x_pidfile and then sleeps until killed; when that file exists
// already it answers a token at once, so the call after a killed one
// succeeds. Its provider verbatim answers the token and token type the
// profile keys x_token and x_token_type give, checked by nobody: keyfob
// must refuse what it cannot present safely (CRLF, other token types).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

func main() {
	switch name := filepath.Base(os.Args[0]); {
	case strings.HasSuffix(name, "-noisy"):
		fmt.Println("hello from a plugin that forgot stdout is the handshake")
	case strings.HasSuffix(name, "-sleepy"):
		time.Sleep(10 * time.Minute) // never completes the handshake
	}
	var reg plugin.Registry
	reg.Register(plugin.ProviderInfo{Name: "hang_once", Description: "hangs on the first call (test plugin)"},
		plugin.ProviderFunc(hangOnce))
	reg.Register(plugin.ProviderInfo{Name: "verbatim", Description: "answers x_token as it is (test plugin)"},
		plugin.ProviderFunc(verbatim))
	plugin.Serve(plugin.ServeOpts{Registry: &reg, Version: "0.0.0-test"})
}

// hangOnce hangs, ignoring ctx, the first time; later it answers.
func hangOnce(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	path := req.Config.String("x_pidfile")
	if path == "" {
		return nil, plugin.Configf("x_pidfile is required")
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		pids := fmt.Sprintf("%d %d\n", os.Getpid(), os.Getppid())
		if err := os.WriteFile(path+".tmp", []byte(pids), 0o600); err != nil {
			return nil, err
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return nil, err
		}
		for {
			time.Sleep(time.Hour)
		}
	}
	return &plugin.Token{AccessToken: plugin.NewSecret("after-the-fault"), TokenType: "Bearer",
		ExpiresAt: time.Now().Add(time.Hour)}, nil
}

// verbatim answers the profile's x_token and x_token_type unchecked.
func verbatim(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	return &plugin.Token{AccessToken: plugin.NewSecret(req.Config.String("x_token")),
		TokenType: req.Config.String("x_token_type"), ExpiresAt: time.Now().Add(time.Hour)}, nil
}
