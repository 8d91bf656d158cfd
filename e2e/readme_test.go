//go:build linux

package e2e_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// TestReadmeRecipes is a scripted walk through every recipe of README.md
// that can run on this machine: it parses the README's fenced sh and toml
// blocks at test time and runs each block's own text — commands through
// bash -c with the built keyfob on PATH, TOML written verbatim as the
// user's ~/.config/keyfob/config.toml.
//
// Nothing is rewritten to reach the fakes. Every tool runs behind an
// intercepting HTTPS proxy on loopback (HTTPS_PROXY, with a test CA in
// SSL_CERT_FILE, CURL_CA_BUNDLE and GIT_SSL_CAINFO) that answers for the
// README's hosts — login.microsoftonline.com (an Entra-shaped fake with
// the tenant contoso.onmicrosoft.com and the README's client ids),
// graph.microsoft.com, idp.example.com, dev.azure.com (git http-backend),
// contoso.azurecr.io (ACR's token exchange) and tf.example.com (a module
// registry) — and refuses every other host. Only placeholders are filled
// in (AZURE_CLIENT_ID=…, [-p NAME]); secrets come from the environment
// variables the README names.
//
// readmeRecipes maps every sh and toml block, by the start of its first
// line, to how it runs or why it cannot run here. A block the table does
// not know, or an entry no block matches, fails the test: the README and
// this test cannot drift apart. When the README changes, update the table
// (and the runner, if the recipe's setup changed).

// readmeRecipe says how one README block is exercised.
type readmeRecipe struct {
	// first is how the block's first line starts (whitespace collapsed):
	// its stable marker. It must match exactly one block.
	first string
	// run runs the block; block is its text as the README has it.
	run func(t *testing.T, w *readmeWorld, block string)
	// skip says why the block cannot run here; run is nil then.
	skip string
	// note describes what run does beyond running the text, for the
	// summary.
	note string
}

// readmeRecipes is the table. Keep it in README order.
var readmeRecipes = []readmeRecipe{
	{first: "go install github.com/keyfob/keyfob/cmd/...@latest", run: runInstall,
		note: "runs the in-checkout form its comment gives (go install ./cmd/...); @latest needs the module proxy"},
	{first: "go run ./examples/quickstart", run: runQuickstart},
	{first: "./scripts/test.sh",
		skip: "runs every test of the repository, this one included: running it here would recurse (.ci/run runs it)"},
	{first: "# ~/.config/keyfob/config.toml", run: runGraphConfig,
		note: "keyfob token with no -p: default_profile"},
	{first: "keyfob token -p graph -o header | curl -H @- https://graph.microsoft.com/v1.0/users", run: runGraphCurl},
	{first: "[profiles.reports]", run: runReportsConfig,
		note: "password sent once then refreshed; a seeded refresh token rotated"},
	{first: "[profiles.graph-app]", run: runCertConfig,
		note: "PFX and PEM; the fake checks PS256, x5t#S256, aud, signature and fresh jti"},
	{first: "export AZURE_TENANT_ID=contoso.onmicrosoft.com AZURE_CLIENT_ID=…", run: runAzureEnv,
		note: "the two … placeholders filled in; no configuration file"},
	{first: "keyfob token --provider client_credentials --token-url https://idp.example.com/oauth2/token \\", run: runFlagsOnly},
	{first: "keyfob login -p repos", run: runLoginLogout,
		note: "on a terminal, with the [profiles.repos] block; the fake approves each device code"},
	{first: "[profiles.repos]", run: runReposConfig,
		note: "checked by keyfob profiles; signed in and used by the login and git recipes"},
	{first: "git config --global credential.https://dev.azure.com.helper keyfob", run: runGitRecipe,
		note: "on a terminal; keyfob install-helpers first, as the README's install line says"},
	{first: "[profiles.aks]", run: runProfilesOnly("aks"),
		note: "checked by keyfob profiles; signed in and used by the kubectl recipe"},
	{first: "keyfob kubeconfig -p aks > ~/.kube/keyfob.yaml", run: runKubectlRecipe,
		note: "on a terminal, against a kubeconfig with a kubelogin user and an API stub, then kubectl get --raw /version; the sign-in comes when kubectl config set-context first runs the exec entry"},
	{first: "[profiles.acr]", run: runProfilesOnly("acr"),
		note: "checked by keyfob profiles; used by the docker recipe"},
	{first: `mkdir -p ~/.docker && echo '{"credHelpers": {"contoso.azurecr.io": "keyfob"}}' > ~/.docker/config.json`, run: runDockerRecipe,
		note: "the real docker CLI against a fake Docker daemon (no daemon here), which checks the ACR credential it is sent"},
	{first: "keyfob install-helpers ~/.terraform.d/plugins", run: runTerraformRecipe,
		note: "with a profile serving tf.example.com and a module from it in main.tf"},
	{first: "keyfob cache list", run: runCacheRecipe,
		note: "[-p NAME] filled in as -p graph, after a graph token was cached"},
}

// readmeLangs are the fenced-block languages the table must cover.
var readmeLangs = []string{"sh", "bash", "shell", "console", "toml"}

// readmeBlock is one fenced block of the README.
type readmeBlock struct {
	lang  string
	line  int // of the opening fence
	text  string
	first string // first line, whitespace collapsed
}

func parseReadme(t *testing.T) []readmeBlock {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(harness.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var blocks []readmeBlock
	var cur *readmeBlock
	var body []string
	for i, line := range strings.Split(string(data), "\n") {
		fence := strings.HasPrefix(strings.TrimSpace(line), "```")
		switch {
		case cur == nil && fence:
			cur = &readmeBlock{lang: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "```")), line: i + 1}
			body = nil
		case cur != nil && fence:
			cur.text = strings.Join(body, "\n") + "\n"
			for _, l := range body {
				if strings.TrimSpace(l) != "" {
					cur.first = strings.Join(strings.Fields(l), " ")
					break
				}
			}
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			body = append(body, line)
		}
	}
	if cur != nil {
		t.Fatalf("README.md: the block opened on line %d is never closed", cur.line)
	}
	return blocks
}

// matchRecipes pairs each sh/toml block with its one entry of recipes and
// describes every problem: a block no entry matches, an entry no block
// matches, ambiguity, an entry with neither run nor skip.
func matchRecipes(blocks []readmeBlock, recipes []readmeRecipe) (map[int]readmeRecipe, []string) {
	out := map[int]readmeRecipe{}
	var problems []string
	used := make([]int, len(recipes))
	for i, b := range blocks {
		if !slices.Contains(readmeLangs, b.lang) {
			continue
		}
		var found []int
		for j, r := range recipes {
			if strings.HasPrefix(b.first, strings.Join(strings.Fields(r.first), " ")) {
				found = append(found, j)
			}
		}
		switch len(found) {
		case 0:
			problems = append(problems, fmt.Sprintf("README.md:%d: the %s block starting %q is neither run nor listed as skipped: add it to readmeRecipes in readme_test.go", b.line, b.lang, b.first))
		case 1:
			out[i] = recipes[found[0]]
			used[found[0]]++
		default:
			problems = append(problems, fmt.Sprintf("README.md:%d: the block starting %q matches %d entries of readmeRecipes; make their markers longer", b.line, b.first, len(found)))
		}
	}
	for j, n := range used {
		switch {
		case n == 0:
			problems = append(problems, fmt.Sprintf("readmeRecipes entry %q matches no sh/toml block of README.md: the recipe changed or was removed; update the table", recipes[j].first))
		case n > 1:
			problems = append(problems, fmt.Sprintf("readmeRecipes entry %q matches %d blocks; make it longer", recipes[j].first, n))
		}
		if (recipes[j].run == nil) == (recipes[j].skip == "") {
			problems = append(problems, fmt.Sprintf("readmeRecipes entry %q needs exactly one of run and skip", recipes[j].first))
		}
	}
	return out, problems
}

func TestReadmeRecipes(t *testing.T) {
	t.Parallel()
	blocks := parseReadme(t)
	recipes, problems := matchRecipes(blocks, readmeRecipes)
	for _, p := range problems {
		t.Error(p)
	}
	for _, b := range blocks {
		if !slices.Contains(readmeLangs, b.lang) {
			t.Logf("README.md:%d: a %q block, not a recipe this test runs (%.60s)", b.line, b.lang, b.first)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	var summary []string
	for i, b := range blocks {
		r, ok := recipes[i]
		if !ok {
			continue
		}
		name := fmt.Sprintf("README.md:%d %.40s", b.line, b.first)
		switch {
		case r.run == nil:
			summary = append(summary, fmt.Sprintf("  SKIP README.md:%-4d %s\n       %s", b.line, b.first, r.skip))
		case r.note != "":
			summary = append(summary, fmt.Sprintf("  RUN  README.md:%-4d %s\n       %s", b.line, b.first, r.note))
		default:
			summary = append(summary, fmt.Sprintf("  RUN  README.md:%-4d %s", b.line, b.first))
		}
		t.Run(name, func(t *testing.T) {
			if r.run == nil {
				t.Skip(r.skip)
			}
			t.Parallel()
			r.run(t, newReadmeWorld(t), b.text)
		})
	}
	t.Logf("README recipes:\n%s", strings.Join(summary, "\n"))
}

// TestReadmeDriftDetection checks the table's bookkeeping itself: a block
// the table does not know and an entry no block matches are both reported.
func TestReadmeDriftDetection(t *testing.T) {
	t.Parallel()
	run := func(*testing.T, *readmeWorld, string) {}
	blocks := []readmeBlock{
		{lang: "sh", line: 3, first: "keyfob token -p known"},
		{lang: "toml", line: 9, first: "[profiles.new]"},
		{lang: "go", line: 20, first: "x := 1"},
	}
	recipes := []readmeRecipe{
		{first: "keyfob token -p known", run: run},
		{first: "keyfob gone", skip: "why"},
		{first: "keyfob both", run: run, skip: "why"},
	}
	got, problems := matchRecipes(blocks, recipes)
	if len(got) != 1 || got[0].first != "keyfob token -p known" {
		t.Errorf("matched %v, want block 0 only", got)
	}
	want := []string{`README.md:9: the toml block starting "[profiles.new]" is neither run nor listed`,
		`entry "keyfob gone" matches no sh/toml block`, `entry "keyfob both" matches no`, `entry "keyfob both" needs exactly one of run and skip`}
	if len(problems) != len(want) {
		t.Errorf("problems %q, want %d", problems, len(want))
	}
	for _, w := range want {
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, w) }) {
			t.Errorf("no problem reported like %q in %q", w, problems)
		}
	}
	if blocks := parseReadme(t); len(blocks) == 0 {
		t.Error("README.md has no fenced blocks")
	}
}

// The README's own names.
const (
	readmeTenant     = "contoso.onmicrosoft.com"
	readmeGraphApp   = "00000000-0000-0000-0000-000000000001"
	readmeReportsApp = "00000000-0000-0000-0000-000000000002"
	readmeAKSApp     = "00000000-0000-0000-0000-000000000003"
	readmeACRApp     = "00000000-0000-0000-0000-000000000004"
	readmeSvcUser    = "svc-reports@contoso.onmicrosoft.com"
	graphScope       = "https://graph.microsoft.com/.default"
	devopsScope      = "499b84ac-1321-427f-aa17-267ca6975798/.default"
	aksScope         = "6dae42f8-4368-4678-94ff-3960e28e3630/.default"
	acrScope         = "https://containerregistry.azure.net/.default"
	readmeAzureUser  = "megan@contoso.onmicrosoft.com"
	readmeTFHost     = "tf.example.com"
	readmeACRHost    = "contoso.azurecr.io"
)

// readmeSecretVars are the variables the README's profiles and commands
// reference; each world sets all of them.
var readmeSecretVars = []string{"GRAPH_CLIENT_SECRET", "APP_SECRET", "SVC_PASSWORD", "GRAPH_PFX_PASSWORD", "CLI_SECRET", "CI_SECRET", "ACR_PUSH_SECRET"}

// readmeWorld is one user's machine for one recipe: a home with keyfob
// installed in ~/go/bin, the fakes behind the proxy, and the environment.
type readmeWorld struct {
	t       *testing.T
	bin     string // the built keyfob
	home    string
	binDir  string // ~/go/bin
	tmp     string
	secrets map[string]string // readmeSecretVars → values
	idp     *fakeIdP
	proxy   *mitmProxy
	git     atomic.Pointer[servers.GitHTTP] // dev.azure.com's backend, once a recipe starts it
}

func newReadmeWorld(t *testing.T) *readmeWorld {
	t.Helper()
	// TMPDIR must be short: go-plugin puts its unix sockets there, and a
	// socket path is limited to 108 bytes.
	tmp, err := os.MkdirTemp("", "kf-readme-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	w := &readmeWorld{t: t, bin: keyfobBin(t), home: t.TempDir(), tmp: tmp, secrets: map[string]string{}}
	for _, v := range readmeSecretVars {
		w.secrets[v] = strings.ToLower(v) + "-" + randomHex()
	}
	w.idp = newFakeIdP(w.secrets)
	w.proxy = startMITMProxy(t, map[string]http.Handler{
		"login.microsoftonline.com": w.idp,
		"idp.example.com":           w.idp,
		"graph.microsoft.com":       w.idp.graphAPI(),
		readmeACRHost:               w.idp.acrExchange(),
		readmeTFHost:                w.idp.moduleRegistry(t),
		"dev.azure.com":             http.HandlerFunc(w.serveGit),
	})
	// keyfob where go install puts it.
	w.binDir = filepath.Join(w.home, "go", "bin")
	if err := os.MkdirAll(w.binDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"keyfob", "keyfob-engine"} {
		from, to := filepath.Join(filepath.Dir(w.bin), name), filepath.Join(w.binDir, name)
		if err := os.Link(from, to); err != nil {
			copyFile(t, from, to)
		}
	}
	return w
}

// serveGit is dev.azure.com: Azure Repos' URL layout in front of git
// http-backend, which requires a token the fake issued for Azure DevOps.
func (w *readmeWorld) serveGit(rw http.ResponseWriter, r *http.Request) {
	git := w.git.Load()
	if git == nil {
		http.NotFound(rw, r)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/contoso/project/_git/repo")
	if !ok {
		http.NotFound(rw, r)
		return
	}
	target, _ := url.Parse(git.URL)
	(&httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(target)
		pr.Out.URL.Path = "/repo.git" + rest
		pr.Out.Host = target.Host
	}}).ServeHTTP(rw, r)
}

// environ is the environment of the user's shell.
func (w *readmeWorld) environ(extra ...string) []string {
	ca := w.proxy.caFile
	env := []string{
		"HOME=" + w.home,
		"PATH=" + w.binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"TMPDIR=" + w.tmp,
		"TERM=dumb",
		"HTTPS_PROXY=" + w.proxy.URL, "https_proxy=" + w.proxy.URL,
		"NO_PROXY=127.0.0.1,localhost,::1", "no_proxy=127.0.0.1,localhost,::1",
		"SSL_CERT_FILE=" + ca, "CURL_CA_BUNDLE=" + ca, "GIT_SSL_CAINFO=" + ca,
		"GIT_CONFIG_NOSYSTEM=1", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
	}
	for _, name := range []string{"GOCOVERDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	for name, v := range w.secrets {
		env = append(env, name+"="+v)
	}
	return append(env, extra...)
}

// shResult is the outcome of a script.
type shResult struct {
	stdout, stderr string // on a terminal, stderr holds all the terminal showed
	code           int
}

func (r shResult) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr/terminal:\n%s", r.code, r.stdout, r.stderr)
}

// shOpts describes one bash -c run.
type shOpts struct {
	dir   string   // working directory; empty: home
	env   []string // more variables
	tty   bool     // run on a pseudo-terminal: stdin, stdout and stderr
	stdin string
}

// sh runs script with bash -c (after set -euo pipefail) and fails the test
// unless it exits 0.
func (w *readmeWorld) sh(script string, o shOpts) shResult {
	t := w.t
	t.Helper()
	r := w.shCode(script, o)
	if r.code != 0 {
		t.Fatalf("bash -c %q:\n%s", script, r)
	}
	return r
}

// shCode runs script and returns whatever happened.
func (w *readmeWorld) shCode(script string, o shOpts) shResult {
	t := w.t
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", "set -euo pipefail\n"+script)
	cmd.Env = w.environ(o.env...)
	cmd.Dir = o.dir
	if cmd.Dir == "" {
		cmd.Dir = w.home
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var stdout bytes.Buffer
	var stderr syncBuffer
	copied := make(chan struct{})
	var ptmx *os.File
	if o.tty {
		var tty *os.File
		var err error
		ptmx, tty, err = pty.Open()
		if err != nil {
			t.Fatalf("opening a pseudo-terminal: %v", err)
		}
		defer ptmx.Close()
		cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
		cmd.SysProcAttr.Setctty, cmd.SysProcAttr.Ctty = true, 0
		go func() {
			_, _ = io.Copy(&stderr, ptmx) // ends with EIO when the terminal is gone
			close(copied)
		}()
		defer tty.Close()
	} else {
		cmd.Stdin = strings.NewReader(o.stdin)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		close(copied)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting bash: %v", err)
	}
	if o.tty {
		cmd.Stdin.(*os.File).Close() // the child has its own
	}
	err := cmd.Wait()
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if ptmx != nil {
		ptmx.Close()
	}
	<-copied
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("bash -c %q: %v\n%s", script, err, stderr.String())
	}
	if ctx.Err() != nil {
		t.Fatalf("bash -c %q did not finish in time:\n%s", script, stderr.String())
	}
	r := shResult{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
	t.Logf("$ %s\n%s", strings.TrimSpace(script), r)
	return r
}

// keyfob runs the installed keyfob with args (not a README command: the
// test's own look at the result).
func (w *readmeWorld) keyfob(args ...string) shResult {
	w.t.Helper()
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return w.sh("keyfob "+strings.Join(quoted, " "), shOpts{})
}

// writeHome writes a file under the home directory (path relative to it).
func (w *readmeWorld) writeHome(rel string, data []byte, mode os.FileMode) string {
	w.t.Helper()
	path := filepath.Join(w.home, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		w.t.Fatal(err)
	}
	return path
}

// writeConfig writes toml, verbatim, as ~/.config/keyfob/config.toml (or
// appends it).
func (w *readmeWorld) writeConfig(toml string, appendIt bool) {
	w.t.Helper()
	path := filepath.Join(w.home, ".config", "keyfob", "config.toml")
	if appendIt {
		old, _ := os.ReadFile(path)
		toml = string(old) + "\n" + toml
	}
	w.writeHome(filepath.Join(".config", "keyfob", "config.toml"), []byte(toml), 0o600)
}

// readmeBlockText returns the text of the README block whose first line
// starts with first, for recipes that need another block's setup.
func readmeBlockText(t *testing.T, first string) string {
	t.Helper()
	for _, b := range parseReadme(t) {
		if strings.HasPrefix(b.first, first) {
			return b.text
		}
	}
	t.Fatalf("README.md has no block starting %q any more: update readme_test.go", first)
	return ""
}

// fill replaces each placeholder old with new, failing when the README no
// longer has it.
func fill(t *testing.T, text string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			t.Fatalf("the README block no longer contains %q:\n%s", pairs[i], text)
		}
		text = strings.ReplaceAll(text, pairs[i], pairs[i+1])
	}
	return text
}

// checkProfiles runs keyfob profiles on the configuration and wants each
// name listed: the TOML is valid as the README has it.
func (w *readmeWorld) checkProfiles(names ...string) {
	w.t.Helper()
	out := w.keyfob("profiles").stdout
	for _, n := range names {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(n) + `\s`).MatchString(out) {
			w.t.Errorf("keyfob profiles does not list %q:\n%s", n, out)
		}
	}
}

// tokenOf is the one line keyfob token printed.
func tokenOf(t *testing.T, r shResult) string {
	t.Helper()
	tok, ok := strings.CutSuffix(r.stdout, "\n")
	if !ok || tok == "" || strings.ContainsAny(tok, " \n") {
		t.Fatalf("want one token line on stdout:\n%s", r)
	}
	return tok
}

// ---- the recipes ----

func runInstall(t *testing.T, w *readmeWorld, block string) {
	_, inCheckout, ok := strings.Cut(strings.TrimSpace(block), "# or, in a checkout: ")
	if !ok {
		t.Fatalf("the install block no longer names an in-checkout command:\n%s", block)
	}
	gobin := filepath.Join(w.home, "gobin")
	w.sh(inCheckout, shOpts{dir: harness.RepoRoot(t), env: append(goEnv(t), "GOBIN="+gobin, "CGO_ENABLED=0")})
	for _, name := range []string{"keyfob", "keyfob-engine"} {
		if _, err := os.Stat(filepath.Join(gobin, name)); err != nil {
			t.Errorf("%s did not install %s: %v", inCheckout, name, err)
		}
	}
	if r := w.sh(filepath.Join(gobin, "keyfob")+" version", shOpts{}); r.stdout == "" {
		t.Errorf("keyfob version printed nothing")
	}
}

// goEnv passes the go command's caches, so that the go commands the
// README runs work offline and warm.
func goEnv(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(v) != 3 {
		t.Fatalf("go env: %q", out)
	}
	return []string{"GOCACHE=" + v[0], "GOMODCACHE=" + v[1], "GOPATH=" + v[2], "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS="}
}

func runQuickstart(t *testing.T, w *readmeWorld, block string) {
	r := w.sh(block, shOpts{dir: harness.RepoRoot(t), env: goEnv(t)})
	if !strings.Contains(r.stdout, "Authorization: Bearer ") || !strings.Contains(r.stdout, `"access_token"`) {
		t.Errorf("the quickstart did not print a header and JSON:\n%s", r)
	}
}

func runGraphConfig(t *testing.T, w *readmeWorld, block string) {
	w.writeConfig(block, false)
	w.checkProfiles("graph")
	tok := tokenOf(t, w.keyfob("token"))
	w.idp.wantToken(t, tok, readmeGraphApp, graphScope)
	if m := w.idp.requests("client_credentials"); len(m) != 1 || m[0].auth != "client_secret_post" {
		t.Errorf("token requests %+v, want one client_credentials with client_secret_post", m)
	}
}

func runGraphCurl(t *testing.T, w *readmeWorld, block string) {
	requireClient(t, "curl")
	w.writeConfig(readmeBlockText(t, "# ~/.config/keyfob/config.toml"), false)
	r := w.sh(block, shOpts{})
	if r.stdout != graphUsersBody {
		t.Errorf("curl printed %q, want Graph's answer %q", r.stdout, graphUsersBody)
	}
	if n := w.idp.graphCalls.Load(); n != 1 {
		t.Errorf("Graph saw %d authorized calls, want 1", n)
	}
}

func runReportsConfig(t *testing.T, w *readmeWorld, block string) {
	w.writeConfig(block, false)
	w.checkProfiles("reports", "reports-rt")
	seed := w.idp.seedRefreshToken(readmeReportsApp, graphScope, readmeSvcUser)
	w.writeHome(".secrets/graph-refresh-token", []byte(seed+"\n"), 0o600)

	w.idp.wantToken(t, tokenOf(t, w.keyfob("token", "-p", "reports")), readmeReportsApp, graphScope)
	w.idp.wantToken(t, tokenOf(t, w.keyfob("token", "-p", "reports", "--force-refresh")), readmeReportsApp, graphScope)
	if p, rt := len(w.idp.requests("password")), len(w.idp.requests("refresh_token")); p != 1 || rt != 1 {
		t.Errorf("%d password and %d refresh_token grants, want the password sent once, then the refresh token", p, rt)
	}
	for i := range 3 {
		args := []string{"token", "-p", "reports-rt"}
		if i > 0 {
			args = append(args, "--force-refresh")
		}
		// The fake's refresh tokens are single-use: each call must redeem
		// the newest one, not the file's.
		w.idp.wantToken(t, tokenOf(t, w.keyfob(args...)), readmeReportsApp, graphScope)
	}
	if rt := len(w.idp.requests("refresh_token")); rt != 4 {
		t.Errorf("%d refresh_token grants, want 4", rt)
	}
}

func runCertConfig(t *testing.T, w *readmeWorld, block string) {
	w.writeConfig(block, false)
	w.checkProfiles("graph-app", "reports-cert")
	pfxKey, pemKey := clientKeys[ps256Client](), clientKeys[rs256Client]()
	pfxCert := selfSigned(t, pfxKey, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	pemCert := selfSigned(t, pemKey, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	pfx, err := pkcs12.Modern.Encode(pfxKey, pfxCert, nil, w.secrets["GRAPH_PFX_PASSWORD"])
	if err != nil {
		t.Fatal(err)
	}
	w.writeHome("certs/graph-app.pfx", pfx, 0o600)
	w.writeHome("certs/reports-app.pem", append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: pemCert.Raw}), keyPEM(t, pemKey)...), 0o600)
	w.idp.setCert(readmeGraphApp, pfxCert)
	w.idp.setCert(readmeReportsApp, pemCert)

	w.idp.wantToken(t, tokenOf(t, w.keyfob("token", "-p", "graph-app")), readmeGraphApp, graphScope)
	w.idp.wantToken(t, tokenOf(t, w.keyfob("token", "-p", "reports-cert")), readmeReportsApp, graphScope)
	w.idp.wantToken(t, tokenOf(t, w.keyfob("token", "-p", "reports-cert", "--force-refresh")), readmeReportsApp, graphScope)
	reqs := w.idp.requests("")
	if len(reqs) != 3 {
		t.Fatalf("%d token requests, want 3: %+v", len(reqs), reqs)
	}
	for _, r := range reqs {
		if r.auth != "private_key_jwt" || r.alg != "PS256" {
			t.Errorf("%s request authenticated by %s %s, want a PS256 client assertion (the default with an authority)", r.grant, r.auth, r.alg)
		}
	}
}

func runAzureEnv(t *testing.T, w *readmeWorld, block string) {
	script := fill(t, block,
		"AZURE_CLIENT_ID=…", "AZURE_CLIENT_ID="+readmeGraphApp,
		`"$(cat ~/.secrets/graph-app)"`, `"$GRAPH_CLIENT_SECRET"`)
	w.idp.wantToken(t, tokenOf(t, w.sh(script, shOpts{})), readmeGraphApp, graphScope)
}

func runFlagsOnly(t *testing.T, w *readmeWorld, block string) {
	tok := tokenOf(t, w.sh(block, shOpts{}))
	w.idp.wantToken(t, tok, "cli", "api")
}

func runReposConfig(t *testing.T, w *readmeWorld, block string) {
	w.writeConfig(block, false)
	w.checkProfiles("repos")
}

// runProfilesOnly checks that a TOML block is a valid configuration
// naming profile; another recipe signs in with it.
func runProfilesOnly(profile string) func(t *testing.T, w *readmeWorld, block string) {
	return func(t *testing.T, w *readmeWorld, block string) {
		w.writeConfig(block, false)
		w.checkProfiles(profile)
	}
}

func runLoginLogout(t *testing.T, w *readmeWorld, block string) {
	w.writeConfig(readmeBlockText(t, "[profiles.repos]"), false)
	r := w.sh(block, shOpts{tty: true})
	if n := w.idp.deviceAuthorizations.Load(); n != 2 {
		t.Errorf("%d device authorizations, want one per keyfob login:\n%s", n, r)
	}
	for _, code := range w.idp.issuedUserCodes() {
		if !strings.Contains(r.stderr, code) {
			t.Errorf("the terminal never showed the user code %s:\n%s", code, r.stderr)
		}
	}
	states, _ := filepath.Glob(filepath.Join(w.home, ".cache", "keyfob", "st-*"))
	tokens, _ := filepath.Glob(filepath.Join(w.home, ".cache", "keyfob", "at-*"))
	if len(states)+len(tokens) != 0 {
		t.Errorf("logout left %v %v", states, tokens)
	}
}

func runGitRecipe(t *testing.T, w *readmeWorld, block string) {
	requireClient(t, "git")
	git := servers.StartGitHTTP(t, func(_ context.Context, token string) error {
		return w.idp.check(token, devopsScope)
	})
	w.git.Store(git)
	w.writeConfig(readmeBlockText(t, "[profiles.repos]"), false)
	w.sh("keyfob install-helpers", shOpts{}) // the README's install line
	w.sh(block, shOpts{tty: true})
	got, err := os.ReadFile(filepath.Join(w.home, "repo", "README"))
	if err != nil || string(got) != git.Readme {
		t.Errorf("the clone's README = %q, %v", got, err)
	}
	if git.Accepted() == 0 || git.Rejected() != 0 {
		t.Errorf("git server: %d requests with a valid token, %d rejected", git.Accepted(), git.Rejected())
	}
	if users := git.Users(); !slices.Contains(users, "azure-devops") {
		t.Errorf("git sent the user names %v, want the preset's azure-devops", users)
	}
	if n := w.idp.deviceAuthorizations.Load(); n != 1 {
		t.Errorf("%d device authorizations, want 1 (keyfob login; git then used its refresh token or cached token)", n)
	}
}

func runKubectlRecipe(t *testing.T, w *readmeWorld, block string) {
	requireClient(t, "kubectl")
	api := servers.StartKubeAPI(t, func(_ context.Context, token string) error { return w.idp.check(token, aksScope) })
	w.writeConfig(readmeBlockText(t, "[profiles.aks]"), false)
	w.writeHome(".kube/config", []byte(fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: aks-prod
  cluster:
    server: %s
    insecure-skip-tls-verify: true
contexts:
- name: aks-prod
  context:
    cluster: aks-prod
    user: clusterUser_rg_aks-prod
current-context: aks-prod
users:
- name: clusterUser_rg_aks-prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, devicecode, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, %s]
`, api.URL, readmeTenant)), 0o600)
	// The recipe, then the first kubectl call a user makes after it: its
	// exec plugin signs in on the terminal.
	r := w.sh(block+"\nkubectl get --raw /version\n", shOpts{tty: true})
	if !strings.Contains(r.stderr, servers.KubeVersion) {
		t.Errorf("kubectl get --raw /version did not reach the cluster:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "command: keyfob") || !strings.Contains(r.stderr, "- kubectl") {
		t.Errorf("keyfob kubeconfig convert printed no keyfob kubectl entry:\n%s", r.stderr)
	}
	if api.Accepted() == 0 || api.Rejected() != 0 {
		t.Errorf("API stub: %d accepted, %d rejected", api.Accepted(), api.Rejected())
	}
	// kubectl config set-context already runs the exec plugin, so the
	// sign-in happens there; once.
	if n := w.idp.deviceAuthorizations.Load(); n != 1 {
		t.Errorf("%d device authorizations, want 1", n)
	}
}

func runDockerRecipe(t *testing.T, w *readmeWorld, block string) {
	requireClient(t, "docker")
	w.writeConfig(readmeBlockText(t, "[profiles.acr]"), false)
	w.sh("keyfob install-helpers", shOpts{}) // the README's install line
	// The recipe writes into ~/.docker, which docker creates on first use.
	if err := os.MkdirAll(filepath.Join(w.home, ".docker"), 0o700); err != nil {
		t.Fatal(err)
	}
	daemon := startFakeDockerd(t)
	w.sh(block, shOpts{env: []string{"DOCKER_HOST=unix://" + daemon.socket}})
	auths := daemon.pulls()
	if len(auths) != 1 {
		t.Fatalf("the daemon saw %d pulls, want 1", len(auths))
	}
	want := w.idp.acrRefreshTokens()
	if len(want) != 1 || auths[0]["identitytoken"] != want[0] || auths[0]["serveraddress"] != readmeACRHost {
		t.Errorf("docker sent the registry auth %v (identitytoken %s); want the ACR refresh token from the exchange",
			keys(auths[0]), fp(fmt.Sprint(auths[0]["identitytoken"])))
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func runTerraformRecipe(t *testing.T, w *readmeWorld, block string) {
	requireClient(t, "terraform")
	// The README's prerequisite: "a private registry or TFE host listed in
	// a profile's hosts".
	w.writeConfig(`[profiles.tfe]
provider      = "client_credentials"
token_url     = "https://idp.example.com/oauth2/token"
client_id     = "ci"
client_secret = "env:CI_SECRET"
scopes        = ["api"]
hosts         = ["`+readmeTFHost+`"]
`, false)
	w.sh("keyfob install-helpers", shOpts{}) // the README's install line
	work := filepath.Join(w.home, "infra")
	w.writeHome("infra/main.tf", []byte("module \"hello\" {\n  source  = \""+readmeTFHost+"/keyfob/hello/null\"\n  version = \"1.0.0\"\n}\n"), 0o644)
	w.sh(block, shOpts{dir: work})
	if _, err := os.Stat(filepath.Join(work, ".terraform", "modules", "hello", "main.tf")); err != nil {
		t.Errorf("terraform init did not install the module: %v", err)
	}
	if n := w.idp.registryCalls.Load(); n < 2 {
		t.Errorf("the registry saw %d authorized calls, want versions and download", n)
	}
}

func runCacheRecipe(t *testing.T, w *readmeWorld, block string) {
	w.writeConfig(readmeBlockText(t, "# ~/.config/keyfob/config.toml"), false)
	tok := tokenOf(t, w.keyfob("token", "-p", "graph"))
	r := w.sh(fill(t, block, "[-p NAME]", "-p graph"), shOpts{})
	if !strings.Contains(r.stdout, "graph") || strings.Contains(r.stdout+r.stderr, tok) {
		t.Errorf("keyfob cache list must name the profile and never show the token:\n%s", r)
	}
	if left, _ := filepath.Glob(filepath.Join(w.home, ".cache", "keyfob", "at-*")); len(left) != 0 {
		t.Errorf("keyfob cache clear -p graph left %v", left)
	}
}

// ---- an intercepting HTTPS proxy ----

// mitmProxy is an HTTP CONNECT proxy that terminates TLS itself, with a
// certificate for the requested host from its own CA, and serves the
// request with that host's handler. Hosts it has no handler for are
// refused: nothing leaves the machine.
type mitmProxy struct {
	*httptest.Server
	caFile string
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	hosts  map[string]http.Handler

	mu      sync.Mutex
	certs   map[string]*tls.Certificate
	servers []*http.Server
	refused []string
}

func startMITMProxy(t *testing.T, hosts map[string]http.Handler) *mitmProxy {
	t.Helper()
	p := &mitmProxy{hosts: hosts, certs: map[string]*tls.Certificate{}}
	var err error
	if p.caKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "keyfob e2e README CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	if p.ca, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	p.caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(p.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	p.Server = httptest.NewServer(http.HandlerFunc(p.serveConnect))
	t.Cleanup(func() {
		p.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, s := range p.servers {
			_ = s.Close()
		}
		if len(p.refused) > 0 {
			t.Logf("the proxy refused %v", p.refused)
		}
	})
	return p
}

func (p *mitmProxy) serveConnect(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	handler := p.hosts[host]
	if r.Method != http.MethodConnect || err != nil || port != "443" || handler == nil {
		p.mu.Lock()
		p.refused = append(p.refused, r.Method+" "+r.Host)
		p.mu.Unlock()
		http.Error(w, "this test's proxy serves only the README's hosts", http.StatusForbidden)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	tconn := tls.Server(&bufferedConn{Conn: conn, r: buf.Reader}, &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			return p.cert(host)
		},
	})
	ln := &oneConnListener{conn: tconn, done: make(chan struct{})}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 30 * time.Second, ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed || s == http.StateHijacked {
			ln.Close()
		}
	}}
	p.mu.Lock()
	p.servers = append(p.servers, srv)
	p.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// cert is a leaf certificate for host signed by the proxy's CA.
func (p *mitmProxy) cert(host string) (*tls.Certificate, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.certs[host]; c != nil {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	p.certs[host] = c
	return c, nil
}

// bufferedConn reads what the hijacked connection's reader already holds
// first.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// oneConnListener hands out one connection, then blocks until closed.
type oneConnListener struct {
	conn net.Conn
	once sync.Once
	done chan struct{}
	used bool
	mu   sync.Mutex
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if !l.used {
		l.used = true
		l.mu.Unlock()
		return l.conn, nil
	}
	l.mu.Unlock()
	<-l.done
	return nil, net.ErrClosed
}

func (l *oneConnListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *oneConnListener) Addr() net.Addr { return l.conn.LocalAddr() }

// ---- the authorization server, Entra-shaped, and the resources ----

// fakeIdP plays login.microsoftonline.com for the tenant
// contoso.onmicrosoft.com (/TENANT/oauth2/v2.0/token and /devicecode) and
// idp.example.com (/oauth2/token), with the README's clients: secrets
// from the variables the README names, certificates the recipes install,
// public-client flows for the device code. It checks client
// authentication strictly (a client assertion's signature, alg, x5t#S256,
// aud, exp and jti), rotates single-use refresh tokens and approves every
// device code at once, as a person would.
type fakeIdP struct {
	mu        sync.Mutex
	clients   map[string]*fakeClient
	password  string // svc-reports's
	access    map[string]fakeGrant
	refresh   map[string]fakeGrant
	devices   map[string]fakeGrant
	jtis      map[string]bool
	log       []fakeTokenRequest
	acrTokens []string
	userCodes []string

	deviceAuthorizations, graphCalls, registryCalls atomic.Int64
}

type fakeClient struct {
	secret string
	cert   *x509.Certificate
	public bool // allows public client flows (device code)
}

type fakeGrant struct{ client, scope, user string }

type fakeTokenRequest struct {
	grant, client, auth, alg string
}

func newFakeIdP(secrets map[string]string) *fakeIdP {
	return &fakeIdP{
		clients: map[string]*fakeClient{
			readmeGraphApp:   {secret: secrets["GRAPH_CLIENT_SECRET"]},
			readmeReportsApp: {secret: secrets["APP_SECRET"], public: true},
			readmeAKSApp:     {public: true},
			readmeACRApp:     {secret: secrets["ACR_PUSH_SECRET"]},
			"cli":            {secret: secrets["CLI_SECRET"]},
			"ci":             {secret: secrets["CI_SECRET"]},
		},
		password: secrets["SVC_PASSWORD"],
		access:   map[string]fakeGrant{}, refresh: map[string]fakeGrant{}, devices: map[string]fakeGrant{}, jtis: map[string]bool{},
	}
}

func (f *fakeIdP) setCert(client string, cert *x509.Certificate) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clients[client].cert = cert
}

// seedRefreshToken is a refresh token the user already has.
func (f *fakeIdP) seedRefreshToken(client, scope, user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	rt := "seed-rt-" + randomHex()
	f.refresh[rt] = fakeGrant{client, scope, user}
	return rt
}

// requests returns the token requests of a grant ("" for all).
func (f *fakeIdP) requests(grant string) []fakeTokenRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeTokenRequest
	for _, r := range f.log {
		if grant == "" || r.grant == grant {
			out = append(out, r)
		}
	}
	return out
}

// check accepts an access token this fake issued whose scope names scope.
func (f *fakeIdP) check(token, scope string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.access[token]
	if !ok {
		return errors.New("not a token of this authorization server")
	}
	if !slices.Contains(strings.Fields(g.scope), scope) {
		return fmt.Errorf("token for %q, not %q", g.scope, scope)
	}
	return nil
}

// wantToken fails unless token is an access token issued to client for
// scope.
func (f *fakeIdP) wantToken(t *testing.T, token, client, scope string) {
	t.Helper()
	f.mu.Lock()
	g, ok := f.access[token]
	f.mu.Unlock()
	if !ok || g.client != client || !slices.Contains(strings.Fields(g.scope), scope) {
		t.Errorf("keyfob printed %s; want an access token issued to %s for %s (got %+v, issued: %v)", fp(token), client, scope, g, ok)
	}
}

var entraPath = regexp.MustCompile(`^/([^/]+)/oauth2/v2\.0/(token|devicecode)$`)

func (f *fakeIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint := ""
	switch m := entraPath.FindStringSubmatch(r.URL.Path); {
	case r.Host == "login.microsoftonline.com" && m != nil:
		if m[1] != readmeTenant {
			writeJSON(w, http.StatusBadRequest, aadstsError("invalid_request", 90002, "Tenant '"+m[1]+"' not found."))
			return
		}
		endpoint = m[2]
	case r.Host == "idp.example.com" && r.URL.Path == "/oauth2/token":
		endpoint = "token"
	}
	if endpoint == "" || r.Method != http.MethodPost || r.ParseForm() != nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "invalid_request", "error_description": "no such endpoint"})
		return
	}
	form := r.PostForm
	client, auth, alg, err := f.authenticate(r, "https://"+r.Host+r.URL.Path)
	f.mu.Lock()
	defer f.mu.Unlock()
	if endpoint == "token" {
		f.log = append(f.log, fakeTokenRequest{grant: grantName(form.Get("grant_type")), client: client, auth: auth, alg: alg})
	}
	if err != nil {
		writeJSON(w, http.StatusUnauthorized, aadstsError("invalid_client", 7000215, err.Error()))
		return
	}
	scope := form.Get("scope")
	if endpoint == "devicecode" {
		dc, uc := "dc-"+randomHex(), "K"+strings.ToUpper(randomHex()[:8])
		f.devices[dc] = fakeGrant{client: client, scope: scope, user: readmeAzureUser}
		f.userCodes = append(f.userCodes, uc)
		f.deviceAuthorizations.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{"device_code": dc, "user_code": uc,
			"verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 1,
			"message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code to authenticate."})
		return
	}
	var g fakeGrant
	issueRefresh := false
	switch form.Get("grant_type") {
	case "client_credentials":
		if auth == "none" || (r.Host == "login.microsoftonline.com" && !strings.HasSuffix(scope, "/.default")) {
			writeJSON(w, http.StatusBadRequest, aadstsError("invalid_scope", 70011, "The provided value for the input parameter 'scope' isn't valid."))
			return
		}
		g = fakeGrant{client: client, scope: scope}
	case "password":
		if form.Get("username") != readmeSvcUser || form.Get("password") != f.password {
			writeJSON(w, http.StatusBadRequest, aadstsError("invalid_grant", 50126, "Error validating credentials due to invalid username or password."))
			return
		}
		g = fakeGrant{client: client, scope: scope, user: readmeSvcUser}
		issueRefresh = slices.Contains(strings.Fields(scope), "offline_access")
	case "refresh_token":
		old, ok := f.refresh[form.Get("refresh_token")]
		if !ok || old.client != client {
			writeJSON(w, http.StatusBadRequest, aadstsError("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity."))
			return
		}
		delete(f.refresh, form.Get("refresh_token")) // single use: rotation
		g = old
		if scope != "" {
			g.scope = scope
		}
		issueRefresh = true
	case "urn:ietf:params:oauth:grant-type:device_code":
		d, ok := f.devices[form.Get("device_code")]
		if !ok || d.client != client {
			writeJSON(w, http.StatusBadRequest, aadstsError("expired_token", 70019, "Verification code expired."))
			return
		}
		delete(f.devices, form.Get("device_code"))
		g, issueRefresh = d, true
	default:
		writeJSON(w, http.StatusBadRequest, aadstsError("unsupported_grant_type", 70003, "The app requested an unsupported grant type."))
		return
	}
	at := "at-" + randomHex()
	f.access[at] = g
	resp := map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": at, "scope": g.scope}
	if issueRefresh {
		rt := "rt-" + randomHex()
		f.refresh[rt] = g
		resp["refresh_token"] = rt
	}
	if g.user != "" && slices.Contains(strings.Fields(g.scope), "openid") {
		enc := base64.RawURLEncoding.EncodeToString
		resp["id_token"] = enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
			enc(fmt.Appendf(nil, `{"preferred_username":%q,"tid":%q,"aud":%q,"exp":%d}`, g.user, readmeTenant, g.client, time.Now().Add(time.Hour).Unix())) + ".x"
	}
	writeJSON(w, http.StatusOK, resp)
}

func grantName(g string) string {
	if g == "urn:ietf:params:oauth:grant-type:device_code" {
		return "device_code"
	}
	return g
}

// authenticate identifies and authenticates the client of a request to
// the endpoint tokenURL: returns its id, the method and the assertion's
// alg.
func (f *fakeIdP) authenticate(r *http.Request, tokenURL string) (id, method, alg string, err error) {
	form := r.PostForm
	f.mu.Lock()
	defer f.mu.Unlock()
	lookup := func(id string) (*fakeClient, error) {
		if c := f.clients[id]; c != nil {
			return c, nil
		}
		return nil, fmt.Errorf("AADSTS700016: Application with identifier '%s' was not found in the directory.", id)
	}
	if user, pass, ok := r.BasicAuth(); ok {
		id, _ = url.QueryUnescape(user)
		secret, _ := url.QueryUnescape(pass)
		c, err := lookup(id)
		if err == nil && (c.secret == "" || c.secret != secret) {
			err = errors.New("AADSTS7000215: Invalid client secret provided.")
		}
		return id, "client_secret_basic", "", err
	}
	if a := form.Get("client_assertion"); a != "" {
		id = form.Get("client_id")
		c, err := lookup(id)
		if err == nil {
			alg, err = f.verifyAssertion(a, c, id, tokenURL)
		}
		return id, "private_key_jwt", alg, err
	}
	id = form.Get("client_id")
	c, err := lookup(id)
	if s := form.Get("client_secret"); s != "" {
		if err == nil && (c.secret == "" || c.secret != s) {
			err = errors.New("AADSTS7000215: Invalid client secret provided.")
		}
		return id, "client_secret_post", "", err
	}
	if err == nil && !c.public {
		err = errors.New("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
	}
	return id, "none", "", err
}

// verifyAssertion checks a JWT client assertion as Entra does. Called with
// f.mu held.
func (f *fakeIdP) verifyAssertion(jwt string, c *fakeClient, clientID, tokenURL string) (string, error) {
	if c.cert == nil {
		return "", errors.New("AADSTS700027: no certificate registered for this client")
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "", errors.New("AADSTS50027: the assertion is not a JWS")
	}
	var header struct {
		Alg     string `json:"alg"`
		X5tS256 string `json:"x5t#S256"`
		X5t     string `json:"x5t"`
	}
	var claims struct {
		Iss, Sub, Jti string
		Aud           any
		Exp           int64
	}
	hb, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	cb, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3, json.Unmarshal(hb, &header), json.Unmarshal(cb, &claims)); err != nil {
		return "", fmt.Errorf("AADSTS50027: malformed assertion: %v", err)
	}
	pub, ok := c.cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return header.Alg, errors.New("AADSTS700027: not an RSA certificate")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	var err error
	switch header.Alg {
	case "PS256":
		err = rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, nil)
	case "RS256":
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
	default:
		err = fmt.Errorf("alg %q", header.Alg)
	}
	if err != nil {
		return header.Alg, fmt.Errorf("AADSTS700027: the signature does not verify: %v", err)
	}
	s256 := sha256.Sum256(c.cert.Raw)
	s1 := sha1.Sum(c.cert.Raw)
	if header.X5tS256 != base64.RawURLEncoding.EncodeToString(s256[:]) && header.X5t != base64.RawURLEncoding.EncodeToString(s1[:]) {
		return header.Alg, errors.New("AADSTS700027: x5t#S256 names another certificate")
	}
	aud := fmt.Sprint(claims.Aud)
	if aud != tokenURL && aud != "["+tokenURL+"]" {
		return header.Alg, fmt.Errorf("AADSTS50013: aud %v, want %s", claims.Aud, tokenURL)
	}
	if claims.Iss != clientID || claims.Sub != clientID || claims.Exp < time.Now().Unix() || claims.Jti == "" || f.jtis[claims.Jti] {
		return header.Alg, errors.New("AADSTS50013: iss, sub, exp or jti are wrong, or the jti was used before")
	}
	f.jtis[claims.Jti] = true
	return header.Alg, nil
}

// bearer checks r's bearer token for scope.
func (f *fakeIdP) bearer(r *http.Request, scope string) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && f.check(tok, scope) == nil
}

// graphUsersBody is what the Graph fake answers to GET /v1.0/users.
const graphUsersBody = `{"value":[{"displayName":"Adele Vance","userPrincipalName":"AdeleV@contoso.onmicrosoft.com"}]}`

// graphAPI is graph.microsoft.com: GET /v1.0/users with a Graph token.
func (f *fakeIdP) graphAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !f.bearer(r, graphScope) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}`))
			return
		}
		if r.Method != http.MethodGet || r.URL.Path != "/v1.0/users" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		f.graphCalls.Add(1)
		_, _ = w.Write([]byte(graphUsersBody))
	})
}

// acrExchange is contoso.azurecr.io's POST /oauth2/exchange: an Entra
// token for the registry scope becomes an ACR refresh token.
func (f *fakeIdP) acrExchange() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/oauth2/exchange" || r.ParseForm() != nil {
			writeJSON(w, http.StatusNotFound, map[string]any{"errors": []any{map[string]string{"code": "NOT_FOUND"}}})
			return
		}
		if r.PostForm.Get("grant_type") != "access_token" || r.PostForm.Get("service") != readmeACRHost ||
			f.check(r.PostForm.Get("access_token"), acrScope) != nil {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []any{map[string]string{"code": "UNAUTHORIZED"}}})
			return
		}
		enc := base64.RawURLEncoding.EncodeToString
		rt := enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
			enc(fmt.Appendf(nil, `{"exp":%d,"grant_type":"refresh_token"}`, time.Now().Add(3*time.Hour).Unix())) + "." + randomHex()
		f.mu.Lock()
		f.acrTokens = append(f.acrTokens, rt)
		f.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"refresh_token": rt})
	})
}

func (f *fakeIdP) issuedUserCodes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.userCodes)
}

func (f *fakeIdP) acrRefreshTokens() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.acrTokens)
}

// moduleRegistry is tf.example.com: Terraform's service discovery and the
// modules.v1 protocol for keyfob/hello/null 1.0.0, whose versions and
// download need a token the fake issued.
func (f *fakeIdP) moduleRegistry(t *testing.T) http.Handler {
	archive := tfModuleArchive(t)
	mux := http.NewServeMux()
	guard := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if !f.bearer(r, "api") {
				writeJSON(w, http.StatusUnauthorized, map[string]any{"errors": []string{"not authorized"}})
				return
			}
			f.registryCalls.Add(1)
			next(w, r)
		}
	}
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"modules.v1": "/v1/modules/"})
	})
	mux.HandleFunc("GET /v1/modules/keyfob/hello/null/versions", guard(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"modules": []any{map[string]any{"versions": []any{map[string]string{"version": "1.0.0"}}}}})
	}))
	mux.HandleFunc("GET /v1/modules/keyfob/hello/null/1.0.0/download", guard(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Terraform-Get", "https://"+readmeTFHost+"/archive/hello.tar.gz")
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("GET /archive/hello.tar.gz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		_, _ = w.Write(archive)
	})
	return mux
}

// tfModuleArchive is a .tar.gz holding a main.tf.
func tfModuleArchive(t *testing.T) []byte {
	t.Helper()
	mainTF := []byte("output \"greeting\" {\n  value = \"hello\"\n}\n")
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	err := tw.WriteHeader(&tar.Header{Name: "main.tf", Mode: 0o644, Size: int64(len(mainTF)), Typeflag: tar.TypeReg})
	if err == nil {
		_, err = tw.Write(mainTF)
	}
	if err = errors.Join(err, tw.Close(), gz.Close()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ---- a Docker daemon that only pulls ----

// fakeDockerd answers the docker CLI's ping and image pulls on a unix
// socket and records the registry authentication each pull carries
// (X-Registry-Auth), which the CLI got from the credential helper.
type fakeDockerd struct {
	socket string
	mu     sync.Mutex
	auths  []map[string]any
}

var dockerPull = regexp.MustCompile(`^(/v[0-9.]+)?/images/create$`)

func startFakeDockerd(t *testing.T) *fakeDockerd {
	t.Helper()
	dir, err := os.MkdirTemp("", "dockerd") // short: unix socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	d := &fakeDockerd{socket: filepath.Join(dir, "docker.sock")}
	ln, err := net.Listen("unix", d.socket)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(d.serve), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return d
}

func (d *fakeDockerd) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Api-Version", "1.45")
	w.Header().Set("Ostype", "linux")
	switch {
	case strings.HasSuffix(r.URL.Path, "/_ping"):
		_, _ = w.Write([]byte("OK"))
	case r.Method == http.MethodPost && dockerPull.MatchString(r.URL.Path):
		var auth map[string]any
		raw, err := base64.URLEncoding.DecodeString(r.Header.Get("X-Registry-Auth"))
		if err != nil {
			raw, _ = base64.RawURLEncoding.DecodeString(r.Header.Get("X-Registry-Auth"))
		}
		_ = json.Unmarshal(raw, &auth)
		d.mu.Lock()
		d.auths = append(d.auths, auth)
		d.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		image := r.URL.Query().Get("fromImage") + ":" + r.URL.Query().Get("tag")
		fmt.Fprintf(w, "{\"status\":\"Pulling from app\",\"id\":\"latest\"}\n{\"status\":\"Digest: sha256:%s\"}\n{\"status\":\"Status: Downloaded newer image for %s\"}\n",
			hex.EncodeToString(make([]byte, 32)), image)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "this fake daemon only pulls: " + r.Method + " " + r.URL.Path})
	}
}

func (d *fakeDockerd) pulls() []map[string]any {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.auths)
}
