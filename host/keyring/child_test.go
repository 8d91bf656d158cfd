package keyring

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// childEnv names the test a child test process runs.
const childEnv = "KEYFOB_KEYRING_TEST_CHILD"

// inChild runs the calling top-level test again in a fresh test process
// with env added, and reports whether this is that child, which then runs
// the test's body. Tests that change process-wide state — go-keyring's
// provider (MockInit), godbus's shared session bus connection — run
// there, so they cannot disturb the tests that talk to a real keyring.
func inChild(t *testing.T, env ...string) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.Env = append(append(os.Environ(), env...), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("child test process: %v\n%s", err, out)
	}
	t.Logf("child test process:\n%s", out)
	return false
}
