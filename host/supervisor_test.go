package host

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// newTestSupervisor supervises the test binary as a plugin and closes it
// when the test ends.
func newTestSupervisor(t *testing.T, opts Options) *Supervisor {
	t.Helper()
	if opts.Path == "" {
		opts.Path = testExe(t)
	}
	opts.Env = append(opts.Env, quickExit)
	s := NewSupervisor(opts)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSupervisorLaunchesOnce(t *testing.T) {
	t.Parallel()
	s := newTestSupervisor(t, Options{})
	if s.Pid() != 0 {
		t.Errorf("Pid before the first call = %d, want 0", s.Pid())
	}
	const n = 8
	got := make(chan string, n)
	for range n {
		go func() {
			tok, err := s.GetToken(t.Context(), &Request{Provider: "counter", Config: map[string]string{"id": "x"}})
			if err != nil {
				got <- err.Error()
				return
			}
			got <- tok.AccessToken.Reveal()
		}()
	}
	seen := map[string]bool{}
	for range n {
		seen[<-got] = true
	}
	// One plugin process counted every call.
	for i := 1; i <= n; i++ {
		if !seen[fmt.Sprintf("call-%d", i)] {
			t.Errorf("tokens %v, want call-1 … call-%d from one plugin process", seen, n)
			break
		}
	}
	if s.Restarts() != 0 || s.Pid() == 0 {
		t.Errorf("Restarts = %d, Pid = %d; want 0 and a pid", s.Restarts(), s.Pid())
	}
	infos, version, err := s.ListProviders(t.Context())
	if err != nil || version != testPluginVersion || len(infos) != len(testInfos()) {
		t.Errorf("ListProviders = %d providers, %q, %v", len(infos), version, err)
	}
}

// TestSupervisorRetriesInterruptedCall has the plugin die during a call;
// the call is sent again to a new plugin process.
func TestSupervisorRetriesInterruptedCall(t *testing.T) {
	t.Parallel()
	s := newTestSupervisor(t, Options{})
	marker := filepath.Join(t.TempDir(), "crashed")
	tok, err := s.GetToken(t.Context(), &Request{Provider: "crash_once", Config: map[string]string{"marker": marker}})
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if v := tok.AccessToken.Reveal(); v != "survived" {
		t.Errorf("token = %q, want survived", v)
	}
	if s.Restarts() != 1 {
		t.Errorf("Restarts = %d, want 1", s.Restarts())
	}
}

// TestSupervisorPluginThatAlwaysDies gets the error of the second attempt.
func TestSupervisorPluginThatAlwaysDies(t *testing.T) {
	t.Parallel()
	s := newTestSupervisor(t, Options{})
	_, err := s.GetToken(t.Context(), &Request{Provider: "exit"})
	var exited *PluginExitedError
	if !errors.As(err, &exited) {
		t.Fatalf("GetToken = %v, want a *PluginExitedError", err)
	}
	if s.Restarts() != 1 {
		t.Errorf("Restarts = %d, want 1: one retry, no loop", s.Restarts())
	}
	if _, err := s.GetToken(t.Context(), &Request{Provider: "echo"}); err != nil {
		t.Errorf("GetToken after the crashes: %v", err)
	}
}

func TestSupervisorKeepsErrors(t *testing.T) {
	t.Parallel()
	s := newTestSupervisor(t, Options{})
	_, err := s.GetToken(t.Context(), &Request{Provider: "fail", Config: map[string]string{"error": "refused"}})
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) || oe.Code != "invalid_client" {
		t.Errorf("GetToken = %v, want the provider's *plugin.OAuthError", err)
	}
	if s.Restarts() != 0 {
		t.Errorf("Restarts = %d after a provider error, want 0", s.Restarts())
	}
}

func TestSupervisorLaunchFailure(t *testing.T) {
	t.Parallel()
	s := newTestSupervisor(t, Options{SHA256: fmt.Sprintf("%064d", 0)})
	for range 2 {
		_, err := s.GetToken(t.Context(), &Request{Provider: "echo"})
		if plugin.KindOf(err) != plugin.KindConfig {
			t.Errorf("GetToken = %v, want the checksum's config error", err)
		}
	}
}

func TestSupervisorClose(t *testing.T) {
	t.Parallel()
	s := newTestSupervisor(t, Options{})
	p, err := s.Plugin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !eventually(2*time.Second, p.Exited) {
		t.Error("the plugin still runs after Close")
	}
	if _, err := s.GetToken(t.Context(), &Request{Provider: "echo"}); !errors.Is(err, ErrClosed) {
		t.Errorf("GetToken after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	tests := map[int]time.Duration{
		0: 0, 1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond,
		9: 25600 * time.Millisecond, 10: 30 * time.Second, 100: 30 * time.Second,
	}
	for n, want := range tests {
		if got := backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}
