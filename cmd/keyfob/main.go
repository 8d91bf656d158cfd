// Command keyfob gets OAuth 2.0 access tokens and hands them to the tools
// that need them. Started by a go-plugin host it serves its grant
// providers as a keyfob.v1 plugin; otherwise it is the CLI.
package main

import (
	"context"
	"os"

	"github.com/keyfob/keyfob/internal/cli"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
)

func main() {
	if plugin.IsPluginLaunch(os.Getenv) {
		plugin.Serve(plugin.ServeOpts{Registry: all.Registry(), Version: cli.VersionString()})
		return
	}
	os.Exit(cli.Main(context.Background(), cli.OSEnv()))
}
