package host

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// TestLibLogger: go-plugin's own warnings and errors are demoted to
// debug; the plugin's forwarded lines keep their level.
func TestLibLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	base := hclog.New(&hclog.LoggerOptions{Name: "keyfob", Output: &buf, Level: hclog.Warn})
	l := newLibLogger(base, "/opt/plugins/keyfob-plugin-x")
	l.Error("plugin process exited", "error", "signal: killed")
	l.Warn("plugin failed to exit gracefully")
	l.Info("plugin exited")
	l.Log(hclog.Error, "client", "error", "x")
	l.Named("stdio").Error("stdio trouble")
	l.With("k", "v").Warn("with trouble")
	if buf.Len() != 0 {
		t.Errorf("go-plugin's own lines show at warn:\n%s", buf.String())
	}
	l.Named("keyfob-plugin-x").Warn("token endpoint slow")
	if got := buf.String(); !strings.Contains(got, "[WARN]  keyfob.keyfob-plugin-x: token endpoint slow") {
		t.Errorf("the plugin's warning was not forwarded at warn: %q", got)
	}
	if l.IsWarn() || l.IsError() || l.IsInfo() {
		t.Error("IsWarn/IsError/IsInfo report true while debug lines are hidden")
	}
}
