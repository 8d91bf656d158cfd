// Package engine is the full keyfob program: the plugin face when a
// go-plugin host started it, the CLI otherwise. cmd/keyfob-engine is this
// alone; cmd/keyfob puts the lean cache front before it on Unix.
package engine

import (
	"context"
	"os"

	"github.com/keyfob/keyfob/internal/cli"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
)

// Main runs keyfob and exits.
func Main() {
	if plugin.IsPluginLaunch(os.Getenv) {
		plugin.Serve(plugin.ServeOpts{Registry: all.Registry(), Version: cli.VersionString()})
		return
	}
	os.Exit(cli.Main(context.Background(), cli.OSEnv()))
}
