package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestConfigSnapshotSeesEdits checks the lean front's snapshot of a
// large configuration's index, in the cache directory: a cached call
// writes it (mode 0600) and the next is answered from the cache with it,
// and after an edit in place that keeps the file's size and modification
// time, but breaks a line of another profile, the front leaves the call
// to the engine, which reports the line (exit 2), rather than serve the
// cached token by the stale snapshot.
func TestConfigSnapshotSeesEdits(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	text := clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid") + fillerProfiles(2000)
	cfg := harness.WriteConfig(t, home, text)
	vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret)
	time.Sleep(2100 * time.Millisecond) // a file changed just now gets no snapshot
	prime := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc"}, Env: vars})
	checkSuccess(t, prime, z.BasicClient.Secret)
	token := rawToken(t, prime.Stdout)
	lone := filepath.Join(t.TempDir(), "keyfob")
	copyFile(t, bin, lone)
	opts := harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc"}, Env: vars}
	for i := range 2 { // the first writes the snapshot (the cache directory exists now), the second reads it
		if res := harness.Run(t, lone, opts); res.ExitCode != 0 || !strings.Contains(res.Stdout, token) {
			t.Fatalf("cached call %d without the engine: want the cached token; got %s", i+1, res)
		}
	}
	snaps, _ := filepath.Glob(filepath.Join(home, ".cache", "keyfob", "cf-*.idx"))
	if len(snaps) != 1 {
		t.Fatalf("snapshots in the cache directory: %v, want one", snaps)
	}
	if fi, err := os.Stat(snaps[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot %s: %v, %v; want mode 0600", snaps[0], fi, err)
	}

	fi, err := os.Stat(cfg)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(text, "client_id = \"c1500\"", "client_ix = \"c1500\"", 1)
	if err := os.WriteFile(cfg, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(cfg, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if res := harness.Run(t, lone, opts); res.ExitCode == 0 || strings.Contains(res.Stdout, token) || !strings.Contains(res.Stderr, "keyfob-engine") {
		t.Errorf("the front after an edit keeping size and mtime: it must leave the call to the engine; got %s", res)
	}
	if res := harness.Run(t, bin, opts); res.ExitCode != 2 || res.Stdout != "" || !strings.Contains(res.Stderr, "client_ix") {
		t.Errorf("keyfob after the edit: want exit 2 naming the key; got %s", res)
	}
}
