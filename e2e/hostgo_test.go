package e2e_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
	"github.com/keyfob/keyfob/plugin"
)

// buildHostGo builds examples/host-go into dir.
func buildHostGo(t *testing.T, dir string) string {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./examples/host-go")
	cmd.Dir = harness.RepoRoot(t)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building examples/host-go: %v\n%s", err, out)
	}
	name := "host-go"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(dir, name)
}

// hostGoWorld is one machine: keyfob, the Go host example, a Zitadel
// server counting token requests, an API that accepts its tokens, and
// one home directory whose cache they all share.
type hostGoWorld struct {
	t             *testing.T
	bin, hostGo   string
	z             *servers.Zitadel
	api           *httptest.Server
	home          string
	cacheDir      string
	client        servers.Client
	tokenRequests func() int64
}

func newHostGoWorld(t *testing.T) *hostGoWorld {
	t.Helper()
	z := servers.StartZitadel(t)
	w := &hostGoWorld{t: t, bin: keyfobBin(t), hostGo: buildHostGo(t, t.TempDir()), z: z, home: t.TempDir(),
		client: z.BasicClient, tokenRequests: z.TokenRequests}
	w.cacheDir = filepath.Join(w.home, ".cache", "keyfob") // harness.Run's KEYFOB_CACHE_DIR
	w.api = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if _, err := z.VerifyAccessToken(r.Context(), tok); err != nil {
			rw.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(w.api.Close)
	return w
}

// runHostGo runs the example once (one API call) with extra arguments and
// environment, and returns the fingerprint of the token it used.
func (w *hostGoWorld) runHostGo(args []string, env ...string) string {
	w.t.Helper()
	full := append([]string{"-keyfob", w.bin, "-provider", "client_credentials", "-count", "1",
		"-config", "token_url=" + w.z.TokenURL, "-config", "client_id=" + w.client.ID,
		"-config", "client_secret=env:" + clientSecretVar, "-config", "client_auth=" + authMethod(w.client),
		"-scope", "openid", "-api", w.api.URL}, args...)
	cmd := exec.CommandContext(w.t.Context(), w.hostGo, full...)
	cmd.Env = append([]string{"HOME=" + w.home, "PATH=" + os.Getenv("PATH"), clientSecretVar + "=" + w.client.Secret}, env...)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.Output()
	if err != nil {
		w.t.Fatalf("host-go: %v\nstdout: %s\nstderr: %s", err, out, stderrOf(err))
	}
	line := strings.TrimSpace(string(out))
	fp, ok := strings.CutPrefix(line, "call 1: 200 OK (token ")
	if !ok || strings.Contains(line, w.client.Secret) {
		w.t.Fatalf("host-go printed %q, want one successful call", line)
	}
	return strings.TrimSuffix(strings.Fields(fp)[0], ",")
}

// keyfobToken runs keyfob token with the same settings as flags and
// returns the fingerprint of the token it printed.
func (w *hostGoWorld) keyfobToken() string {
	w.t.Helper()
	res := harness.Run(w.t, w.bin, harness.RunOpts{Home: w.home, Args: []string{"token",
		"--provider", "client_credentials", "--token-url", w.z.TokenURL, "--client-id", w.client.ID,
		"--client-secret", "env:" + clientSecretVar, "--client-auth", authMethod(w.client), "--scope", "openid"},
		Env: env(clientSecretVar, w.client.Secret)})
	checkSuccess(w.t, res, w.client.Secret)
	return plugin.NewSecret(rawToken(w.t, res.Stdout)).Fingerprint()
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TestHostGoSharesTheCLIsCache runs examples/host-go twice in a row, as
// separate processes on one cache directory (given with -cache, then the
// CLI's default), and then keyfob token with the same settings: the
// server sees one token request in all, and all three use that token.
func TestHostGoSharesTheCLIsCache(t *testing.T) {
	t.Parallel()
	w := newHostGoWorld(t)
	first := w.runHostGo([]string{"-cache", w.cacheDir})
	second := w.runHostGo(nil, "KEYFOB_CACHE_DIR="+w.cacheDir)
	if n := w.tokenRequests(); n != 1 || second != first {
		t.Fatalf("two host-go runs: %d token requests, tokens %s and %s; want one request and one token", n, first, second)
	}
	if got := w.keyfobToken(); got != first || w.tokenRequests() != 1 {
		t.Errorf("keyfob token after host-go: token %s, %d token requests; want %s from the cache, no request", got, w.tokenRequests(), first)
	}
}

// TestHostGoServedFromTheCLIsEntry is the other way round: keyfob token
// fills the cache, and host-go is served from it.
func TestHostGoServedFromTheCLIsEntry(t *testing.T) {
	t.Parallel()
	w := newHostGoWorld(t)
	cli := w.keyfobToken()
	if got := w.runHostGo([]string{"-cache", w.cacheDir}); got != cli || w.tokenRequests() != 1 {
		t.Errorf("host-go after keyfob token: token %s, %d token requests; want %s from the cache, one request in all", got, w.tokenRequests(), cli)
	}
}
