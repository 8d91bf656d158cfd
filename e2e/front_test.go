package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestCachedAnswerNeedsNoEngine proves the fast path: once a token is
// cached, keyfob answers without keyfob-engine (so without gRPC, the
// plugin or the network), and anything it cannot answer goes to the
// engine.
func TestCachedAnswerNeedsNoEngine(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid"))
	vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret)
	prime := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc"}, Env: vars})
	checkSuccess(t, prime, z.BasicClient.Secret)

	lone := filepath.Join(t.TempDir(), "keyfob")
	copyFile(t, bin, lone)
	for _, format := range []string{"raw", "header", "json"} {
		res := harness.Run(t, lone, harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc", "-o", format}, Env: vars})
		checkSuccess(t, res, z.BasicClient.Secret)
		if !strings.Contains(res.Stdout, rawToken(t, prime.Stdout)) {
			t.Errorf("-o %s without the engine printed %q, want the cached token", format, res.Stdout)
		}
	}
	if got := z.TokenRequests(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	miss := harness.Run(t, lone, harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc", "--force-refresh"}, Env: vars})
	if miss.ExitCode == 0 || !strings.Contains(miss.Stderr, "keyfob-engine") || miss.Stdout != "" {
		t.Errorf("a request the front cannot answer must need keyfob-engine; got %s", miss)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}
