package cli

import (
	"io"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// newLogger returns the host's logger: hclog lines on stderr at the level
// of $KEYFOB_LOG (default warn). The plugin's lines are forwarded into it.
func newLogger(w io.Writer, level string) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{
		Name:   "keyfob",
		Output: w,
		Level:  plugin.ParseLevel(level),
	})
}
