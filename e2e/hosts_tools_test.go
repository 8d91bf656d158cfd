package e2e_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/servers"
)

// Helpers of the tests that drive keyfob through real host tools (the go
// command, cargo, pnpm, Google's auth library): those tools start keyfob
// themselves, so the tests build its environment the way harness.Run does.

// toolClient returns the path of a host tool, or ends the test: a tool
// that is on the machine image fails the test in CI (CI set) when missing,
// any other is skipped.
func toolClient(t *testing.T, name string, onImage bool) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if onImage && os.Getenv("CI") != "" {
		t.Fatalf("%s is on the machine image but not found: %v", name, err)
	}
	t.Skipf("%s not found: %v", name, err)
	return ""
}

// toolVerify accepts the access tokens z issued.
func toolVerify(z *servers.Zitadel) servers.VerifyFunc {
	return func(ctx context.Context, token string) error {
		_, err := z.VerifyAccessToken(ctx, token)
		return err
	}
}

// toolProfile is a client_credentials profile against z with the given
// hosts (none when empty).
func toolProfile(name string, z *servers.Zitadel, hosts ...string) string {
	p := clientCredentialsProfile(name, z.TokenURL, z.BasicClient, "api")
	if len(hosts) > 0 {
		p += "hosts = " + tomlList(hosts) + "\n"
	}
	return p
}

// toolEnv is the environment of a host tool that runs keyfob: a private
// home as harness.Run gives keyfob, the configuration, the client secret
// of z.BasicClient, PATH and TMPDIR, and extra NAME=value entries.
func toolEnv(home, cfg string, z *servers.Zitadel, extra ...string) []string {
	env := []string{
		"HOME=" + home,
		"USERPROFILE=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"KEYFOB_CACHE_DIR=" + filepath.Join(home, ".cache", "keyfob"),
		"KEYFOB_CONFIG=" + cfg,
		clientSecretVar + "=" + z.BasicClient.Secret,
	}
	for _, name := range []string{"PATH", "TMPDIR", "GOCOVERDIR", "SYSTEMROOT"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return append(env, extra...)
}

// runToolCmd runs a host tool in dir with env, bounded by two minutes, and
// returns its combined output.
func runToolCmd(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env, cmd.WaitDelay = dir, env, 5*time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("%s %s:\n%s", filepath.Base(name), strings.Join(args, " "), out)
	return string(out), err
}

// checkGuarded fails unless the server received at least one request and
// ended with authorized ones: every path in want was served to a request
// carrying a token it accepted.
func checkGuarded(t *testing.T, reqs []servers.GuardedRequest, want ...string) {
	t.Helper()
	served := map[string]bool{}
	for _, r := range reqs {
		if r.Authorized {
			served[r.Path] = true
		}
	}
	for _, p := range want {
		if !served[p] {
			t.Errorf("no authorized request for %s; requests: %+v", p, reqs)
		}
	}
}
