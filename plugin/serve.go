package plugin

import (
	"io"
	"os"
	"strings"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// ServeOpts configures Serve.
type ServeOpts struct {
	// Registry holds the providers to serve. Required.
	Registry *Registry
	// Version is the plugin's version string, reported by ListProviders.
	Version string
	// Logger overrides the default logger (JSON lines on stderr at the
	// level of $KEYFOB_LOG, which go-plugin forwards to the host's log).
	Logger hclog.Logger
}

// Serve serves the registry's providers as a keyfob.v1 plugin over gRPC
// and returns when the host stops the plugin. It must be called by a
// process a go-plugin host started (see IsPluginLaunch). The plugin exits
// on its own when its host dies.
func Serve(opts ServeOpts) {
	logger := opts.Logger
	if logger == nil {
		logger = NewPluginLogger(os.Stderr, os.Getenv("KEYFOB_LOG"))
	}
	stop := watchParent(logger)
	defer stop()
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{
			ProtocolVersion: {PluginKey: &GRPCPlugin{Registry: opts.Registry, Logger: logger, Version: opts.Version}},
		},
		GRPCServer: goplugin.DefaultGRPCServer,
		Logger:     logger,
	})
}

// NewPluginLogger returns an hclog logger writing JSON lines (the form
// go-plugin forwards to the host) at the given KEYFOB_LOG level.
func NewPluginLogger(w io.Writer, level string) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:       "plugin",
		Output:     w,
		Level:      ParseLevel(level),
		JSONFormat: true,
	})
}

// ParseLevel maps a KEYFOB_LOG value (off, error, warn, info, debug,
// trace) to an hclog level; empty or unknown means warn.
func ParseLevel(s string) hclog.Level {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "off":
		return hclog.Off
	case "error":
		return hclog.Error
	case "info":
		return hclog.Info
	case "debug":
		return hclog.Debug
	case "trace":
		return hclog.Trace
	}
	return hclog.Warn
}
