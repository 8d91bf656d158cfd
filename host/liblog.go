package host

import (
	"path/filepath"

	"github.com/hashicorp/go-hclog"
)

// libLogger is the logger go-plugin itself is given. go-plugin logs its
// own view of events at warn and error ("plugin process exited", "plugin
// failed to exit gracefully") that the host reports anyway as the call's
// error; at the default level they would add lines to the one-line error
// a caller shows. libLogger demotes them to debug. The plugin's own log
// lines, which go-plugin forwards through a logger Named after the
// plugin's executable, keep their level.
type libLogger struct {
	hclog.Logger
	plugin string // base name of the plugin executable
}

// newLibLogger wraps l for go-plugin serving the plugin at path.
func newLibLogger(l hclog.Logger, path string) hclog.Logger {
	return libLogger{Logger: l, plugin: filepath.Base(path)}
}

// Info logs at debug.
func (l libLogger) Info(msg string, args ...any) { l.Logger.Debug(msg, args...) }

// Warn logs at debug.
func (l libLogger) Warn(msg string, args ...any) { l.Logger.Debug(msg, args...) }

// Error logs at debug.
func (l libLogger) Error(msg string, args ...any) { l.Logger.Debug(msg, args...) }

// Log logs at level, but at most at debug.
func (l libLogger) Log(level hclog.Level, msg string, args ...any) {
	l.Logger.Log(min(level, hclog.Debug), msg, args...)
}

// Named returns the plain logger for the plugin's forwarded lines and a
// demoting one for go-plugin's parts (stdio, yamux).
func (l libLogger) Named(name string) hclog.Logger {
	if name == l.plugin {
		return l.Logger.Named(name)
	}
	return libLogger{Logger: l.Logger.Named(name), plugin: l.plugin}
}

// With keeps demoting.
func (l libLogger) With(args ...any) hclog.Logger {
	return libLogger{Logger: l.Logger.With(args...), plugin: l.plugin}
}

// IsInfo, IsWarn and IsError report whether debug lines are shown, since
// that is where such lines go.
func (l libLogger) IsInfo() bool { return l.Logger.IsDebug() }

// IsWarn reports whether debug lines are shown.
func (l libLogger) IsWarn() bool { return l.Logger.IsDebug() }

// IsError reports whether debug lines are shown.
func (l libLogger) IsError() bool { return l.Logger.IsDebug() }
