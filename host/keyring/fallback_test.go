//go:build unix && !darwin

package keyring

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// quickly is how long a fallback may take when nothing is listening.
const quickly = time.Second

// With the session bus address pointing at no socket, Sealer falls back
// at once, with a Status saying why.
func TestSecretServiceAbsentNoBus(t *testing.T) {
	if !inChild(t, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/keyfob-test-bus") {
		return
	}
	assertQuickFallback(t, "/nonexistent/keyfob-test-bus")
}

// A session bus on which no Secret Service runs (and none can be
// activated): Sealer falls back at once.
func TestSecretServiceAbsentOnBus(t *testing.T) {
	if os.Getenv(childEnv) == t.Name() {
		assertQuickFallback(t, "org.freedesktop.secrets")
		return
	}
	addr := startBus(t)
	inChild(t, "DBUS_SESSION_BUS_ADDRESS="+addr)
}

func assertQuickFallback(t *testing.T, wantInErr string) {
	t.Helper()
	start := time.Now()
	s, st := Sealer(t.Context(), Options{})
	elapsed := time.Since(start)
	if s != nil || st.Sealed || st.Err == nil {
		t.Fatalf("Sealer = %v, %+v; want nil and an error", s, st)
	}
	if elapsed > quickly {
		t.Errorf("fallback took %s, want under %s", elapsed, quickly)
	}
	if msg := st.String(); !strings.Contains(msg, "not usable") || !strings.Contains(msg, wantInErr) {
		t.Errorf("Status.String() = %q; want it to say why (%q)", msg, wantInErr)
	}
	t.Logf("%s (%s)", st, elapsed)
}

// busConfig is a session bus with no service directories, so nothing
// can be activated on it.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=DIR</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// startBus starts a private dbus-daemon for the test and returns its
// address. Without dbus-daemon the test is skipped, unless the Secret
// Service tests were asked for.
func startBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv("KEYFOB_TEST_SECRET_SERVICE") == "1" {
			t.Fatalf("KEYFOB_TEST_SECRET_SERVICE=1 but: %v", err)
		}
		t.Skip("dbus-daemon not installed (apt-get install dbus)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(strings.Replace(busConfig, "DIR", dir, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(addr)
}
