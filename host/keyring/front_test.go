package keyring

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The lean front answers cache hits from plain access-token files and must
// not link this package: D-Bus (and its package initialisation) would cost
// every cache hit. Only the engine's CLI imports it.
func TestFrontDoesNotImportKeyring(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	for _, goos := range []string{"linux", "darwin", "freebsd"} {
		cmd := exec.CommandContext(t.Context(), goBin, "list", "-e", "-deps",
			"github.com/keyfob/keyfob/internal/front", "github.com/keyfob/keyfob/cmd/keyfob")
		cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("GOOS=%s go list: %v", goos, err)
		}
		for _, pkg := range []string{"github.com/keyfob/keyfob/host/keyring", "github.com/zalando/go-keyring", "github.com/godbus/dbus"} {
			if strings.Contains(string(out), pkg) {
				t.Errorf("GOOS=%s: the front depends on %s", goos, pkg)
			}
		}
	}
}
