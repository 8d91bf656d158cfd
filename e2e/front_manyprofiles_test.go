package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// fillerProfiles is n more client_credentials profiles, each with its own
// host, as scripts/bench writes them.
func fillerProfiles(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "\n[profiles.p%d]\nprovider = \"client_credentials\"\ntoken_url = \"https://idp%d.example/token\"\n"+
			"client_id = \"c%d\"\nclient_secret = \"env:NOPE\"\nscopes = [\"api\"]\nhosts = [\"h%d.example\"]\n", i, i, i, i)
	}
	return b.String()
}

// TestCachedAnswerAmongManyProfiles checks that the front answers from
// the cache with a configuration of thousands of profiles, for a profile
// named with -p and for one matched by host, and that a configuration
// error anywhere in the file still makes it leave the call to the engine,
// which reports it (exit 2), rather than serve the cached token.
func TestCachedAnswerAmongManyProfiles(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	text := clientCredentialsProfile("zc", z.TokenURL, z.BasicClient, "openid") + "hosts = [\"git.zc.example\"]\n" + fillerProfiles(3000)
	cfg := harness.WriteConfig(t, home, text)
	vars := env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret)
	prime := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc"}, Env: vars})
	checkSuccess(t, prime, z.BasicClient.Secret)
	token := rawToken(t, prime.Stdout)

	lone := filepath.Join(t.TempDir(), "keyfob")
	copyFile(t, bin, lone)
	gitGet := harness.RunOpts{Home: home, Args: []string{"git", "get"}, Env: vars, Stdin: "protocol=https\nhost=git.zc.example\n\n"}
	for _, opts := range []harness.RunOpts{{Home: home, Args: []string{"token", "-p", "zc"}, Env: vars}, gitGet} {
		if res := harness.Run(t, lone, opts); res.ExitCode != 0 || !strings.Contains(res.Stdout, token) {
			t.Errorf("keyfob %v without the engine: want the cached token; got %s", opts.Args, res)
		}
	}

	if err := os.WriteFile(cfg, []byte(text+"\n[profiles.broken]\nclient_id = \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []harness.RunOpts{{Home: home, Args: []string{"token", "-p", "zc"}, Env: vars}, gitGet} {
		if res := harness.Run(t, lone, opts); res.ExitCode == 0 || strings.Contains(res.Stdout, token) || !strings.Contains(res.Stderr, "keyfob-engine") {
			t.Errorf("keyfob %v with a broken config: the front must leave it to the engine; got %s", opts.Args, res)
		}
		res := harness.Run(t, bin, opts)
		if res.ExitCode != 2 || res.Stdout != "" || !strings.Contains(res.Stderr, fmt.Sprintf("%s:%d", cfg, strings.Count(text, "\n")+3)) {
			t.Errorf("keyfob %v with a broken config: want exit 2 naming the line; got %s", opts.Args, res)
		}
	}
}
