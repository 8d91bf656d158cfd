package e2e_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// This file holds what the host-tool tests (hosts_*_test.go) share: a
// home directory with keyfob's helper names installed the way the README
// shows (keyfob install-helpers), a zitadel server for tokens, and the
// environment the real clients run in.

// requireClient returns the path of a host tool the machine image has.
// Missing, it fails the test in CI (where the image must have it) and
// skips it elsewhere.
func requireClient(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not on PATH, but the machine image has it: %v", name, err)
	}
	t.Skipf("%s is not on PATH (%v); in CI this fails", name, err)
	return ""
}

// hostWorld is one user's setup: home, config, cache, helpers on PATH.
type hostWorld struct {
	bin    string // keyfob
	home   string
	binDir string // where install-helpers put the helper names
	cfg    string
	z      *servers.Zitadel

	mu      sync.Mutex
	clients []string // client ids of the valid tokens the servers saw
}

// newHostWorld starts zitadel and installs keyfob's helpers into
// home/bin. Write the configuration with writeConfig once the protected
// server's address is known.
func newHostWorld(t *testing.T) *hostWorld {
	t.Helper()
	w := &hostWorld{bin: keyfobBin(t), home: t.TempDir(), z: servers.StartZitadel(t)}
	w.binDir = filepath.Join(w.home, "bin")
	w.install(t, w.binDir)
	return w
}

// install runs keyfob install-helpers DIR.
func (w *hostWorld) install(t *testing.T, dir string) {
	t.Helper()
	res := harness.Run(t, w.bin, harness.RunOpts{Home: w.home, Args: []string{"install-helpers", dir}})
	if res.ExitCode != 0 {
		t.Fatalf("keyfob install-helpers %s:\n%s", dir, res)
	}
}

// helper is the path of an installed helper name.
func (w *hostWorld) helper(name string) string { return filepath.Join(w.binDir, name) }

// writeConfig writes the keyfob configuration.
func (w *hostWorld) writeConfig(t *testing.T, toml string) {
	t.Helper()
	w.cfg = harness.WriteConfig(t, w.home, toml)
}

// profile is a client_credentials profile against zitadel with hosts.
func (w *hostWorld) profile(name string, c servers.Client, hosts ...string) string {
	p := clientCredentialsProfile(name, w.z.TokenURL, c, "api")
	if len(hosts) > 0 {
		p += "hosts = " + tomlList(hosts) + "\n"
	}
	return p
}

// check is the protected servers' TokenCheck: a valid zitadel access
// token, whose client is recorded.
func (w *hostWorld) check(ctx context.Context, token string) error {
	info, err := w.z.VerifyAccessToken(ctx, token)
	if err == nil {
		w.mu.Lock()
		w.clients = append(w.clients, info.ClientID)
		w.mu.Unlock()
	}
	return err
}

// sawClient reports whether a server accepted a token of client id.
func (w *hostWorld) sawClient(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range w.clients {
		if c == id {
			return true
		}
	}
	return false
}

// env is the environment a host tool runs in: the user's home, keyfob's
// configuration and cache, the secrets it references, and the helpers on
// PATH. Both client secrets are given (profiles may use either client).
func (w *hostWorld) env(extra ...string) []string {
	env := []string{
		"HOME=" + w.home, "USERPROFILE=" + w.home,
		"XDG_CONFIG_HOME=" + filepath.Join(w.home, ".config"), "XDG_CACHE_HOME=" + filepath.Join(w.home, ".cache"),
		"KEYFOB_CONFIG=" + w.cfg, "KEYFOB_CACHE_DIR=" + filepath.Join(w.home, ".cache", "keyfob"),
		"KEYFOB_NONINTERACTIVE=1",
		clientSecretVar + "=" + w.z.BasicClient.Secret,
		postSecretVar + "=" + w.z.PostClient.Secret,
		// keyfob where go install puts it, and the helper names beside it.
		"PATH=" + w.binDir + string(os.PathListSeparator) + filepath.Dir(w.bin) + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	for _, name := range []string{"TMPDIR", "GOCOVERDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return append(env, extra...)
}

// postSecretVar holds zitadel's PostClient secret for profiles using it.
const postSecretVar = "E2E_POST_CLIENT_SECRET"

// postProfile is a client_credentials profile for zitadel's PostClient.
func (w *hostWorld) postProfile(name string, hosts ...string) string {
	p := fmt.Sprintf(`[profiles.%s]
provider = "client_credentials"
token_url = %q
client_id = %q
client_secret = "env:%s"
client_auth = "client_secret_post"
scopes = ["api"]
`, name, w.z.TokenURL, w.z.PostClient.ID, postSecretVar)
	if len(hosts) > 0 {
		p += "hosts = " + tomlList(hosts) + "\n"
	}
	return p
}

// runTool runs a host tool with w's environment in dir, and returns its
// combined output; it fails the test when the tool fails.
func (w *hostWorld) runTool(t *testing.T, dir, path string, extraEnv []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), harness.DefaultTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = w.env(extraEnv...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s %s\n%s", filepath.Base(path), strings.Join(args, " "), out)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(path), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// command is an exec.Cmd for a host tool with w's environment.
func (w *hostWorld) command(path string, args ...string) *exec.Cmd {
	cmd := exec.Command(path, args...)
	cmd.Dir = w.home
	cmd.Env = w.env()
	return cmd
}
