//go:build unix

package host

import (
	"syscall"
	"testing"
	"time"
)

// TestSupervisorRestartsKilledPlugin kills the plugin with SIGKILL between
// calls: the next call succeeds on a new plugin process, whether the
// Supervisor has already noticed the death or finds out during the call.
func TestSupervisorRestartsKilledPlugin(t *testing.T) {
	t.Parallel()
	for name, waitForExit := range map[string]bool{"noticed": true, "during the call": false} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newTestSupervisor(t, Options{})
			p, err := s.Plugin(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			old := s.Pid()
			if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			if waitForExit && !eventually(5*time.Second, p.Exited) {
				t.Fatal("go-plugin did not notice the killed plugin")
			}
			tok, err := s.GetToken(t.Context(), &Request{Provider: "echo", Config: map[string]string{"client_id": "c"}})
			if err != nil {
				t.Fatalf("GetToken after SIGKILL: %v", err)
			}
			if tok.AccessToken.IsZero() {
				t.Error("empty token")
			}
			if s.Restarts() != 1 || s.Pid() == old || s.Pid() == 0 {
				t.Errorf("Restarts = %d, Pid = %d (killed %d); want 1 and a new pid", s.Restarts(), s.Pid(), old)
			}
		})
	}
}
