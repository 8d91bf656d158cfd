//go:build unix

package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// These tests sign in through the real CLI (CONTRACT §5 Interaction, keyfob
// login/logout) against zitadel's device code and authorization code
// grants. Every keyfob runs in a session of its own (setsid), so it has no
// controlling terminal unless the test gives it a pseudo-terminal — the
// outcome never depends on the terminal `go test` was started from.

// Environment of the fake browser: this test binary, which keyfob runs as
// $BROWSER (see init). It is cmd/fakebrowser's sign-in without a build
// step, plus a mode in which nobody answers.
const (
	fakeBrowserMode = "KEYFOB_E2E_BROWSER_MODE" // sign or silent
	fakeBrowserLog  = "KEYFOB_E2E_BROWSER_LOG"  // each run appends its argument list
)

// init turns this test binary into a fake browser when keyfob runs it as
// $BROWSER: it logs its arguments and, in mode sign, signs the zitadel
// user in at the URL and loads the redirect back to keyfob's loopback
// listener (servers.Browse); in mode silent it leaves the sign-in
// unanswered.
func init() {
	if mode := os.Getenv(fakeBrowserMode); mode != "" {
		os.Exit(fakeBrowser(mode, os.Args[1:]))
	}
}

func fakeBrowser(mode string, args []string) int {
	logLine(strings.Join(args, "\x00"))
	if mode == "silent" {
		return 0
	}
	u, err := url.Parse(args[len(args)-1])
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err = servers.Browse(ctx, u.String(), servers.ZitadelUser("http://"+u.Host))
	}
	if err != nil {
		logLine("error: " + err.Error())
		return 1
	}
	return 0
}

// logLine appends one line to the fake browser's log.
func logLine(line string) {
	f, err := os.OpenFile(os.Getenv(fakeBrowserLog), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err == nil {
		fmt.Fprintln(f, line)
		f.Close()
	}
}

// browser is a fake browser for one test: the environment that makes
// keyfob use it, and its log.
type browser struct {
	env []string
	log string
}

// signingBrowser signs the zitadel user in at every URL it is given.
func signingBrowser(t *testing.T) *browser { return newBrowser(t, "sign") }

// silentBrowser is a browser nobody signs in at.
func silentBrowser(t *testing.T) *browser { return newBrowser(t, "silent") }

func newBrowser(t *testing.T, mode string) *browser {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "browser.log")
	return &browser{env: []string{"BROWSER=" + exe, fakeBrowserMode + "=" + mode, fakeBrowserLog + "=" + log}, log: log}
}

// runs returns the argument lists the browser was started with, failing
// the test on any error it logged.
func (b *browser) runs(t *testing.T) [][]string {
	t.Helper()
	data, err := os.ReadFile(b.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if strings.HasPrefix(line, "error: ") {
			t.Errorf("fake browser: %s", line)
			continue
		}
		out = append(out, strings.Split(line, "\x00"))
	}
	return out
}

// interactive is a zitadel server with keyfob profiles for its native
// client: dc (device code) and ac (authorization code).
type interactive struct {
	z    *servers.Zitadel
	bin  string
	home string
	cfg  string
}

func newInteractive(t *testing.T) *interactive {
	t.Helper()
	z := servers.StartZitadel(t)
	home := t.TempDir()
	toml := ""
	for name, provider := range map[string]string{"dc": "device_code", "ac": "authorization_code"} {
		toml += fmt.Sprintf("[profiles.%s]\nprovider = %q\nissuer = %q\nclient_id = %q\nscopes = [\"openid\"]\n\n",
			name, provider, z.Issuer, z.NativeClient.ID)
	}
	return &interactive{z: z, bin: keyfobBin(t), home: home, cfg: harness.WriteConfig(t, home, toml)}
}

// result is the outcome of one keyfob run.
type result struct {
	stdout, stderr string // stderr is the terminal's output under a pty
	code           int
	took           time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("exit %d after %v\nstdout: %q\nstderr/terminal:\n%s", r.code, r.took.Round(time.Millisecond), r.stdout, r.stderr)
}

// proc is a running keyfob.
type proc struct {
	cmd     *exec.Cmd
	stdout  bytes.Buffer
	stderr  syncBuffer
	ptmx    *os.File
	copied  chan struct{}
	started time.Time
}

// start runs keyfob in a new session. With term, a pseudo-terminal is its
// controlling terminal (/dev/tty), stdin and stderr; otherwise it has no
// terminal at all and stdin is /dev/null.
func (s *interactive) start(t *testing.T, term bool, extraEnv []string, args ...string) *proc {
	t.Helper()
	p := &proc{copied: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	p.cmd = exec.CommandContext(ctx, s.bin, args...)
	p.cmd.Env = append(s.baseEnv(), extraEnv...)
	p.cmd.Dir = s.home
	p.cmd.Stdout = &p.stdout
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	p.cmd.Cancel = func() error { return syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) }
	p.cmd.WaitDelay = 5 * time.Second
	if term {
		p.attachTerminal(t)
	} else {
		p.cmd.Stderr = &p.stderr
		close(p.copied)
	}
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting keyfob: %v", err)
	}
	if p.cmd.Stdin != nil {
		p.cmd.Stdin.(*os.File).Close() // the child has its own copy
	}
	return p
}

// attachTerminal gives the process a pseudo-terminal and copies what it
// writes there into p.stderr.
func (p *proc) attachTerminal(t *testing.T) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	p.ptmx = ptmx
	p.cmd.Stdin, p.cmd.Stderr = tty, tty
	p.cmd.SysProcAttr.Setctty, p.cmd.SysProcAttr.Ctty = true, 0
	go func() {
		_, _ = io.Copy(&p.stderr, ptmx) // ends with EIO when the terminal is closed
		close(p.copied)
	}()
}

// waitFor waits until stderr (or the terminal) matches re, and returns the
// first submatch.
func (p *proc) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(p.stderr.String()); m != nil {
			return m[len(m)-1]
		}
	}
	t.Fatalf("keyfob never wrote %v; output so far:\n%s", re, p.stderr.String())
	return ""
}

// wait waits for the process and kills whatever it left in its session.
func (p *proc) wait(t *testing.T) result {
	t.Helper()
	err := p.cmd.Wait()
	took := time.Since(p.started)
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	if p.ptmx != nil {
		p.ptmx.Close()
	}
	<-p.copied
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running keyfob: %v", err)
	}
	r := result{stdout: p.stdout.String(), stderr: p.stderr.String(), code: p.cmd.ProcessState.ExitCode(), took: took}
	t.Logf("keyfob %s\n%s", strings.Join(p.cmd.Args[1:], " "), r)
	return r
}

// run runs keyfob to the end.
func (s *interactive) run(t *testing.T, term bool, extraEnv []string, args ...string) result {
	t.Helper()
	return s.start(t, term, extraEnv, args...).wait(t)
}

// baseEnv is a controlled environment like the harness's: a private home
// and cache, the configuration, and no display, $BROWSER or terminal
// settings of the test's own.
func (s *interactive) baseEnv() []string {
	env := []string{"HOME=" + s.home, "XDG_CONFIG_HOME=" + filepath.Join(s.home, ".config"),
		"XDG_CACHE_HOME=" + filepath.Join(s.home, ".cache"), "KEYFOB_CACHE_DIR=" + s.cacheDir(),
		"KEYFOB_CONFIG=" + s.cfg, "KEYFOB_KEYRING=off"}
	for _, name := range []string{"PATH", "TMPDIR", "GOCOVERDIR"} {
		if v, ok := os.LookupEnv(name); ok {
			env = append(env, name+"="+v)
		}
	}
	return env
}

func (s *interactive) cacheDir() string { return filepath.Join(s.home, ".cache", "keyfob") }

// refreshToken reads the refresh token keyfob stored (the state file,
// unsealed with KEYFOB_KEYRING=off: a header line, then grant.State's
// JSON); "" when there is none.
func (s *interactive) refreshToken(t *testing.T) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(s.cacheDir(), "st-*.bin"))
	if len(files) > 1 {
		t.Fatalf("%d state files, want one", len(files))
	}
	if len(files) == 0 {
		return ""
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	_, payload, _ := bytes.Cut(data, []byte("\n"))
	var st struct {
		RT string `json:"rt"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatalf("state payload: %v", err)
	}
	return st.RT
}

// redeem tries a refresh token at zitadel directly and returns the HTTP
// status and OAuth error code.
func (s *interactive) redeem(t *testing.T, rt string) (int, string) {
	t.Helper()
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {s.z.NativeClient.ID}}
	resp, err := http.PostForm(s.z.TokenURL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error string `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body.Error
}

// syncBuffer is a buffer one goroutine writes while another reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// userCode finds the device code keyfob shows.
var userCode = regexp.MustCompile(`enter the code ([A-Z0-9-]+)`)

// checkHint checks the one-line error of a sign-in keyfob could not run.
func checkHint(t *testing.T, r result, profile string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if r.code != 4 || r.stdout != "" || !strings.HasSuffix(last, "; run: keyfob login -p "+profile) {
		t.Errorf("want exit 4, nothing on stdout and an error ending with the login hint; got\n%s", r)
	}
}

// TestLoginDeviceCode signs in with keyfob login and the device code on a
// terminal; keyfob token then answers from what login stored.
func TestLoginDeviceCode(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	p := s.start(t, true, nil, "login", "-p", "dc")
	code := p.waitFor(t, userCode)
	p.waitFor(t, regexp.MustCompile(`(the code expires in \d+:\d\d)`))
	if err := s.z.ApproveDevice(context.Background(), code); err != nil {
		t.Fatalf("approving %s: %v", code, err)
	}
	r := p.wait(t)
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, `signed in to profile "dc" as `+s.z.User.Username) {
		t.Fatalf("keyfob login:\n%s", r)
	}
	if s.refreshToken(t) == "" {
		t.Fatal("keyfob login stored no refresh token")
	}
	before := s.z.TokenRequests()
	if r := s.run(t, false, nil, "token", "-p", "dc"); r.code != 0 || s.z.TokenRequests() != before {
		t.Fatalf("the token from keyfob login was not served from the cache:\n%s", r)
	}
}

// TestLoginThenSilentRefresh signs in with keyfob login in a browser, then
// gets tokens with nobody to ask — no terminal, no browser — by
// refreshing, for another scope too; each refresh stores the rotated
// refresh token, which the next one uses.
func TestLoginThenSilentRefresh(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	b := signingBrowser(t)
	if r := s.run(t, false, b.env, "login", "-p", "ac"); r.code != 0 || r.stdout != "" ||
		!strings.Contains(r.stderr, `signed in to profile "ac" as `+s.z.User.Username) {
		t.Fatalf("keyfob login:\n%s", r)
	}
	rt := s.refreshToken(t)
	for _, args := range [][]string{{"--force-refresh"}, {"--force-refresh"}, {"--scope", "profile"}} {
		rt = s.checkSilentRefresh(t, rt, args...)
	}
	if runs := b.runs(t); len(runs) != 1 {
		t.Errorf("%d browser runs, want only keyfob login's", len(runs))
	}
}

// checkSilentRefresh runs keyfob token without a terminal or browser: it
// must succeed with one refresh_token grant, store the rotated refresh
// token and show nothing. It returns the new refresh token.
func (s *interactive) checkSilentRefresh(t *testing.T, oldRT string, args ...string) string {
	t.Helper()
	refreshes := s.z.GrantRequests("refresh_token")
	r := s.run(t, false, nil, append([]string{"token", "-p", "ac"}, args...)...)
	rawToken(t, r.stdout)
	if r.code != 0 || r.stderr != "" || s.z.GrantRequests("refresh_token") != refreshes+1 {
		t.Fatalf("silent refresh %v: %d refresh grants, want 1:\n%s", args, s.z.GrantRequests("refresh_token")-refreshes, r)
	}
	newRT := s.refreshToken(t)
	if newRT == "" || newRT == oldRT {
		t.Fatal("the rotated refresh token was not stored")
	}
	return newRT
}

// TestNonInteractiveExitsAtOnce checks KEYFOB_NONINTERACTIVE=1 with a
// terminal present: exit 4 at once, before any request to the server.
func TestNonInteractiveExitsAtOnce(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	for _, profile := range []string{"dc", "ac"} {
		r := s.run(t, true, []string{"KEYFOB_NONINTERACTIVE=1", "DISPLAY=:0"}, "token", "-p", profile)
		checkHint(t, r, profile)
		if strings.Contains(r.stderr, "enter the code") || strings.Contains(r.stderr, "authorize?") {
			t.Errorf("a forbidden sign-in was shown:\n%s", r)
		}
		// Generous: the bound is "no waiting for a person", not speed.
		if r.took > 10*time.Second {
			t.Errorf("exit 4 took %v", r.took)
		}
		t.Logf("time to exit 4 for a forbidden sign-in (%s): %v", profile, r.took)
	}
	if n := s.z.TokenRequests(); n != 0 {
		t.Errorf("%d token requests for a forbidden sign-in", n)
	}
}

// TestNoTerminalNoBrowserExits4 checks that with neither a terminal nor a
// browser keyfob exits 4 with the hint instead of waiting.
func TestNoTerminalNoBrowserExits4(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	for _, profile := range []string{"dc", "ac"} {
		checkHint(t, s.run(t, false, nil, "token", "-p", profile), profile)
	}
}

// TestBrowserSigninWithoutTerminalPrompts checks that GIT_TERMINAL_PROMPT=0
// forbids terminal prompts only: the authorization code sign-in runs in
// the browser, which gets the URL as its one argument.
func TestBrowserSigninWithoutTerminalPrompts(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	b := signingBrowser(t)
	env := append(slices.Clone(b.env), "GIT_TERMINAL_PROMPT=0")
	// The device code needs the terminal, which GIT_TERMINAL_PROMPT=0 forbids.
	checkHint(t, s.run(t, true, env, "token", "-p", "dc"), "dc")
	r := s.run(t, true, env, "token", "-p", "ac")
	if r.code != 0 {
		t.Fatalf("browser sign-in under GIT_TERMINAL_PROMPT=0:\n%s", r)
	}
	rawToken(t, r.stdout)
	if runs := b.runs(t); len(runs) != 1 || len(runs[0]) != 1 || !strings.HasPrefix(runs[0][0], s.z.AuthorizationURL+"?") {
		t.Errorf("browser runs %q, want one with the authorization URL as its one argument", runs)
	}
}

// TestLogoutRevokes checks that keyfob logout deletes the profile's tokens
// and revokes its refresh token at the discovered revocation endpoint.
func TestLogoutRevokes(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	if r := s.run(t, false, signingBrowser(t).env, "login", "-p", "ac"); r.code != 0 || r.stdout != "" {
		t.Fatalf("keyfob login:\n%s", r)
	}
	rt := s.refreshToken(t)
	r := s.run(t, false, nil, "logout", "-p", "ac")
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "refresh token has been revoked") {
		t.Fatalf("keyfob logout:\n%s", r)
	}
	if s.refreshToken(t) != "" {
		t.Error("the refresh state is still in the cache")
	}
	if status, code := s.redeem(t, rt); status == http.StatusOK || code != "invalid_grant" {
		t.Errorf("the revoked refresh token still works at the server: HTTP %d %q", status, code)
	}
	checkHint(t, s.run(t, false, nil, "token", "-p", "ac"), "ac")
}

// TestSigninStormOneBrowser starts five keyfob processes that all need a
// sign-in for one profile, for two different scopes: one browser opens,
// and everyone gets a token.
func TestSigninStormOneBrowser(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	b := signingBrowser(t)
	var procs []*proc
	for i := range 5 {
		scope := []string{"openid", "profile"}[i%2]
		procs = append(procs, s.start(t, false, b.env, "token", "-p", "ac", "--scope", scope))
	}
	for _, p := range procs {
		if r := p.wait(t); r.code != 0 {
			t.Errorf("a process of the storm failed:\n%s", r)
		}
	}
	if runs := b.runs(t); len(runs) != 1 {
		t.Errorf("%d browser runs for one storm, want 1", len(runs))
	}
}

// TestDeclinedSigninCooldown checks that after one sign-in nobody answered,
// 20 calls within a minute open no browser and exit 4 at once; keyfob
// login still signs in, and ends the cooldown.
func TestDeclinedSigninCooldown(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	silent, signing := silentBrowser(t), signingBrowser(t)
	first := s.run(t, false, silent.env, "token", "-p", "ac", "--timeout", "3s")
	checkHint(t, first, "ac")
	start := time.Now()
	for range 20 {
		r := s.run(t, false, signing.env, "token", "-p", "ac")
		checkHint(t, r, "ac")
		if !strings.Contains(r.stderr, "declined or timed out") {
			t.Fatalf("not the cooldown:\n%s", r)
		}
	}
	if took := time.Since(start); took > 60*time.Second {
		t.Errorf("20 calls took %v", took)
	}
	if n := len(silent.runs(t)) + len(signing.runs(t)); n != 1 {
		t.Fatalf("%d browser runs, want only the first", n)
	}
	if r := s.run(t, false, signing.env, "login", "-p", "ac"); r.code != 0 {
		t.Fatalf("keyfob login during the cooldown:\n%s", r)
	}
	if r := s.run(t, false, nil, "token", "-p", "ac", "--force-refresh"); r.code != 0 {
		t.Fatalf("after keyfob login:\n%s", r)
	}
}

// TestDeniedDeviceCodeCooldown checks the device code declined on the
// verification page: keyfob says so, and the next call shows no new code.
func TestDeniedDeviceCodeCooldown(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	p := s.start(t, true, nil, "token", "-p", "dc")
	if err := s.z.DenyDevice(context.Background(), p.waitFor(t, userCode)); err != nil {
		t.Fatal(err)
	}
	if r := p.wait(t); r.code != 3 || !strings.Contains(r.stderr, "declined") {
		t.Fatalf("a declined device code: want exit 3 naming it:\n%s", r)
	}
	r := s.run(t, true, nil, "token", "-p", "dc")
	checkHint(t, r, "dc")
	if userCode.MatchString(r.stderr) {
		t.Errorf("a new code was shown during the cooldown:\n%s", r)
	}
}

// TestNoBrowserShowsURL checks --no-browser: the authorization URL is shown
// on the terminal and no browser is started.
func TestNoBrowserShowsURL(t *testing.T) {
	t.Parallel()
	s := newInteractive(t)
	b := signingBrowser(t)
	r := s.run(t, true, b.env, "token", "-p", "ac", "--no-browser", "--timeout", "2s")
	checkHint(t, r, "ac")
	if !strings.Contains(r.stderr, s.z.AuthorizationURL+"?") {
		t.Errorf("the sign-in URL was not shown:\n%s", r)
	}
	if runs := b.runs(t); len(runs) != 0 {
		t.Errorf("--no-browser, yet the browser ran with %q", runs)
	}
}
