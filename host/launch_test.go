package host

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// secretEq compares Secrets by value in cmp.Diff.
var secretEq = cmp.Comparer(func(a, b plugin.Secret) bool { return a.Reveal() == b.Reveal() })

// mtlsModes runs a test with and without go-plugin's AutoMTLS.
var mtlsModes = map[string]bool{"unix socket": false, "AutoMTLS": true}

func testExe(tb testing.TB) string {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatalf("os.Executable: %v", err)
	}
	return exe
}

// quickExit spares a race-enabled plugin the race runtime's one-second
// sleep at exit, which Close would wait for.
const quickExit = "GORACE=atexit_sleep_ms=0"

// launchTest launches the test binary as a plugin and closes it when the
// test ends.
func launchTest(tb testing.TB, opts Options) *Plugin {
	tb.Helper()
	if opts.Path == "" {
		opts.Path = testExe(tb)
	}
	opts.Env = append(opts.Env, quickExit)
	p, err := Launch(context.Background(), opts)
	if err != nil {
		tb.Fatalf("Launch: %v", err)
	}
	tb.Cleanup(func() { _ = p.Close() })
	return p
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestLaunchGetToken(t *testing.T) {
	t.Parallel()
	full := Request{
		Provider: "echo",
		Config: map[string]string{
			"client_id": "app", "client_secret": "resolved-secret", "scopes": `["a","b"]`,
			"clear_state": "true", "account": "user@example.com",
		},
		Scopes:       []string{"https://graph.microsoft.com/.default", "offline_access"},
		State:        []byte{0, 1, 2, 0xff},
		ForceRefresh: true,
		MinValidity:  3 * time.Minute,
		Claims:       `{"access_token":{"xms_cc":{"values":["cp1"]}}}`,
	}
	tests := map[string]struct {
		req      Request
		wantEcho echo
		want     Token
	}{
		"every field": {
			req: full,
			wantEcho: echo{
				Config: full.Config, Scopes: full.Scopes, State: full.State, ForceRefresh: true,
				MinValidity: 3 * time.Minute, Claims: full.Claims,
			},
			want: Token{
				TokenType: "Bearer", ExpiresAt: testExpires, RefreshAt: testRefresh,
				Scope: "https://graph.microsoft.com/.default offline_access", IDToken: plugin.NewSecret("id.app"),
				State: []byte{'n', 'e', 'x', 't', ':', 0, 1, 2, 0xff}, ClearState: true, Account: "user@example.com",
			},
		},
		"zero request": {
			req:      Request{Provider: "echo"},
			wantEcho: echo{},
			want: Token{
				TokenType: "Bearer", ExpiresAt: testExpires, RefreshAt: testRefresh, IDToken: plugin.NewSecret("id."),
				State: []byte("next:"),
			},
		},
	}
	for mode, mtls := range mtlsModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			p := launchTest(t, Options{AutoMTLS: mtls})
			if got := p.ProtocolVersion(); got != 1 {
				t.Errorf("ProtocolVersion = %d, want 1", got)
			}
			for name, tc := range tests {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					tok, err := p.GetToken(t.Context(), &tc.req)
					if err != nil {
						t.Fatalf("GetToken: %v", err)
					}
					var got echo
					if err := json.Unmarshal([]byte(tok.AccessToken.Reveal()), &got); err != nil {
						t.Fatalf("access token is not an echo: %v", err)
					}
					if diff := cmp.Diff(tc.wantEcho, got); diff != "" {
						t.Errorf("request as the plugin saw it (-want +got):\n%s", diff)
					}
					tok.AccessToken = plugin.Secret{}
					if diff := cmp.Diff(tc.want, *tok, secretEq); diff != "" {
						t.Errorf("token (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

func TestLaunchErrors(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	errs := testErrors()
	tests := map[string]struct {
		req       Request
		wantKind  plugin.Kind
		wantIs    error
		wantOAuth *plugin.OAuthError
	}{
		"config":      {req: Request{Provider: "fail", Config: map[string]string{"error": "config"}}, wantKind: plugin.KindConfig, wantIs: plugin.ErrConfig},
		"refused":     {req: Request{Provider: "fail", Config: map[string]string{"error": "refused"}}, wantKind: plugin.KindRefused, wantIs: plugin.ErrRefused, wantOAuth: fullOAuthError()},
		"interaction": {req: Request{Provider: "fail", Config: map[string]string{"error": "interaction"}}, wantKind: plugin.KindInteraction, wantIs: plugin.ErrInteractionRequired, wantOAuth: &plugin.OAuthError{Code: "invalid_grant", StatusCode: 400, TraceID: "t"}},
		"unavailable": {req: Request{Provider: "fail", Config: map[string]string{"error": "unavailable"}}, wantKind: plugin.KindUnavailable, wantIs: plugin.ErrUnavailable, wantOAuth: &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 503, RetryAfter: 7 * time.Second}},
		"internal":    {req: Request{Provider: "fail", Config: map[string]string{"error": "internal"}}, wantKind: plugin.KindInternal},
		"deadline":    {req: Request{Provider: "fail", Config: map[string]string{"error": "deadline"}}, wantKind: plugin.KindUnavailable, wantIs: plugin.ErrUnavailable},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, err := p.GetToken(t.Context(), &tc.req)
			if err == nil {
				t.Fatalf("GetToken = %v, want an error", tok)
			}
			if diff := cmp.Diff(errs[tc.req.Config["error"]].Error(), err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if got := plugin.KindOf(err); got != tc.wantKind {
				t.Errorf("KindOf = %v, want %v", got, tc.wantKind)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.wantIs)
			}
			var oe *plugin.OAuthError
			errors.As(err, &oe)
			if diff := cmp.Diff(tc.wantOAuth, oe); diff != "" {
				t.Errorf("OAuthError (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("unknown provider", func(t *testing.T) {
		t.Parallel()
		_, err := p.GetToken(t.Context(), &Request{Provider: "nope"})
		want := `unknown provider "nope" (this plugin has: [counter crash_once echo env exit fail interact slow stdin])`
		if diff := cmp.Diff(want, errString(err)); diff != "" {
			t.Errorf("error (-want +got):\n%s", diff)
		}
		if plugin.KindOf(err) != plugin.KindConfig {
			t.Errorf("KindOf = %v, want config", plugin.KindOf(err))
		}
	})
}

func TestLaunchListProviders(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	infos, version, err := p.ListProviders(t.Context())
	if err != nil {
		t.Fatalf("ListProviders: %v", err)
	}
	if diff := cmp.Diff(testInfos(), infos); diff != "" {
		t.Errorf("providers (-want +got):\n%s", diff)
	}
	if version != testPluginVersion {
		t.Errorf("version = %q, want %q", version, testPluginVersion)
	}
}

// TestHostDeadline checks that the host's deadline reaches the provider
// and that the plugin keeps serving afterwards.
func TestHostDeadline(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.GetToken(ctx, &Request{Provider: "slow"})
	if err == nil || plugin.KindOf(err) != plugin.KindUnavailable {
		t.Errorf("GetToken past its deadline = %v (kind %v), want an unavailable error", err, plugin.KindOf(err))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("GetToken took %v after a 300ms deadline", d)
	}
	if _, err := p.GetToken(t.Context(), &Request{Provider: "echo"}); err != nil {
		t.Errorf("GetToken after a cancelled call: %v", err)
	}
}

func TestPluginStdinIsNotTheHosts(t *testing.T) {
	t.Parallel()
	want := stdinReport{DevNull: true, Bytes: 0, Err: "EOF"}
	t.Run("in process", func(t *testing.T) {
		t.Parallel()
		p := launchTest(t, Options{})
		tok, err := p.GetToken(t.Context(), &Request{Provider: "stdin"})
		if err != nil {
			t.Fatalf("GetToken: %v", err)
		}
		var got stdinReport
		if err := json.Unmarshal([]byte(tok.AccessToken.Reveal()), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("plugin's stdin (-want +got):\n%s", diff)
		}
	})
	// A host whose own stdin is a pipe full of input (a host protocol's
	// request) must not share it with the plugin.
	t.Run("host with piped stdin", func(t *testing.T) {
		t.Parallel()
		cmd := exec.CommandContext(t.Context(), testExe(t))
		cmd.Env = append(os.Environ(), hostModeEnv+"=stdin", quickExit)
		cmd.Stdin = strings.NewReader("protocol=https\nhost=example.com\n\n")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("helper host: %v\n%s", err, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 2 {
			t.Fatalf("helper host printed %q, want two lines", out)
		}
		if lines[1] != "true" {
			t.Fatalf("helper host's own stdin is a pipe = %s, want true (else this test proves nothing)", lines[1])
		}
		var got stdinReport
		if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("plugin's stdin (-want +got):\n%s", diff)
		}
	})
}

// goPluginEnv names the variables go-plugin itself gives a plugin, and
// launchTest's quickExit.
var goPluginEnv = []string{
	"KEYFOB_PLUGIN", "PLUGIN_MAX_PORT", "PLUGIN_MIN_PORT", "PLUGIN_PROTOCOL_VERSIONS", "PLUGIN_UNIX_SOCKET_DIR",
	"GORACE",
}

// TestPluginEnvironment sets variables in the host, so it is not parallel
// itself; its subtests are.
func TestPluginEnvironment(t *testing.T) {
	t.Setenv("KEYFOB_TEST_LEAK", "must-not-reach-the-plugin")
	t.Setenv("KEYFOB_LOG", "off")
	t.Setenv("HTTPS_PROXY", "http://proxy.example:3128")
	// The allow-listed variables set in this process, which the plugin
	// should see.
	var allowed []string
	for _, name := range DefaultEnvAllowList {
		if _, ok := os.LookupEnv(name); ok {
			allowed = append(allowed, name)
		}
	}
	tests := map[string]struct {
		opts     Options
		show     string
		want     []string
		wantShow string
	}{
		"default allow-list": {
			want: join(allowed, goPluginEnv), show: "HTTPS_PROXY", wantShow: "http://proxy.example:3128",
		},
		"default allow-list with AutoMTLS": {
			opts: Options{AutoMTLS: true},
			want: join(allowed, goPluginEnv, []string{"PLUGIN_CLIENT_CERT"}), show: "KEYFOB_TEST_LEAK", wantShow: "",
		},
		"extra Env": {
			opts: Options{Env: []string{"KEYFOB_TEST_EXTRA=extra value"}},
			want: join(allowed, goPluginEnv, []string{"KEYFOB_TEST_EXTRA"}), show: "KEYFOB_TEST_EXTRA", wantShow: "extra value",
		},
		"empty allow-list": {
			opts: Options{EnvAllowList: []string{}},
			want: goPluginEnv,
		},
		"own allow-list": {
			opts: Options{EnvAllowList: []string{"KEYFOB_TEST_LEAK", "KEYFOB_TEST_UNSET"}},
			want: join(goPluginEnv, []string{"KEYFOB_TEST_LEAK"}), show: "KEYFOB_TEST_LEAK", wantShow: "must-not-reach-the-plugin",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := launchTest(t, tc.opts)
			tok, err := p.GetToken(t.Context(), &Request{Provider: "env", Config: map[string]string{"show": tc.show}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			var got []string
			if err := json.Unmarshal([]byte(tok.AccessToken.Reveal()), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(sorted(tc.want), got); diff != "" {
				t.Errorf("plugin's environment (-want +got):\n%s", diff)
			}
			if tok.Account != tc.wantShow {
				t.Errorf("plugin's $%s = %q, want %q", tc.show, tok.Account, tc.wantShow)
			}
		})
	}
}

func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestLaunchChecksum(t *testing.T) {
	t.Parallel()
	exe := testExe(t)
	sum, err := FileSHA256(exe)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("right checksum", func(t *testing.T) {
		t.Parallel()
		p := launchTest(t, Options{SHA256: " " + strings.ToUpper(sum) + "\n"})
		if _, err := p.GetToken(t.Context(), &Request{Provider: "echo"}); err != nil {
			t.Errorf("GetToken: %v", err)
		}
	})
	t.Run("wrong checksum starts nothing", func(t *testing.T) {
		t.Parallel()
		if runtime.GOOS == "windows" {
			t.Skip("uses a shell script as the plugin")
		}
		dir := t.TempDir()
		marker := filepath.Join(dir, "started")
		script := filepath.Join(dir, "plugin.sh")
		if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+marker+"\nexec sleep 5\n"), 0o700); err != nil {
			t.Fatal(err)
		}
		wrong := strings.Repeat("0", 64)
		p, err := Launch(t.Context(), Options{Path: script, SHA256: wrong})
		if err == nil {
			_ = p.Close()
			t.Fatal("Launch with a wrong checksum succeeded")
		}
		scriptSum, _ := FileSHA256(script)
		wantMsg := fmt.Sprintf("plugin %s: checksum mismatch: plugin_sha256 is %s but the file's SHA-256 is %s", script, wrong, scriptSum)
		if diff := cmp.Diff(wantMsg, err.Error()); diff != "" {
			t.Errorf("error (-want +got):\n%s", diff)
		}
		if plugin.KindOf(err) != plugin.KindConfig {
			t.Errorf("KindOf = %v, want config (exit 2)", plugin.KindOf(err))
		}
		time.Sleep(100 * time.Millisecond)
		if _, err := os.Stat(marker); err == nil {
			t.Error("the plugin was started despite the checksum mismatch")
		}
	})
}

func TestLaunchFailures(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("uses shell scripts as plugins")
	}
	dir := t.TempDir()
	chatty := filepath.Join(dir, "chatty.sh")
	if err := os.WriteFile(chatty, []byte("#!/bin/sh\necho hello from a plugin that is not one\nexec sleep 5\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		path       string
		wantPrefix string
	}{
		"missing executable": {path: filepath.Join(dir, "missing"), wantPrefix: "plugin " + filepath.Join(dir, "missing") + " cannot be started: "},
		"exits at once":      {path: "/bin/true", wantPrefix: "starting plugin: "},
		"not a plugin":       {path: chatty, wantPrefix: "starting plugin: "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := os.Stat(tc.path); err != nil && name != "missing executable" {
				t.Skipf("%s: %v", tc.path, err)
			}
			start := time.Now()
			p, err := Launch(t.Context(), Options{Path: tc.path, StartTimeout: 5 * time.Second})
			if err == nil {
				_ = p.Close()
				t.Fatal("Launch succeeded")
			}
			if !strings.HasPrefix(err.Error(), tc.wantPrefix) {
				t.Errorf("error = %q, want it to start with %q", err, tc.wantPrefix)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Launch took %v to fail", d)
			}
		})
	}
}

// recordingInteraction is a host's Interaction that records what the
// plugin asked and answers like a user would.
type recordingInteraction struct {
	err error // returned by every method when set

	mu    sync.Mutex
	calls []any
}

type browserCall struct{ URL, Message string }

type promptCall struct {
	Message string
	Secret  bool
}

func (r *recordingInteraction) record(c any) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	return r.err
}

func (r *recordingInteraction) recorded() []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]any(nil), r.calls...)
}

func (r *recordingInteraction) Notify(_ context.Context, n plugin.Notice) error {
	return r.record(n)
}

func (r *recordingInteraction) OpenBrowser(_ context.Context, url, message string) (bool, error) {
	if err := r.record(browserCall{url, message}); err != nil {
		return false, err
	}
	return true, nil
}

func (r *recordingInteraction) Prompt(_ context.Context, message string, secret bool) (string, error) {
	if err := r.record(promptCall{message, secret}); err != nil {
		return "", err
	}
	return "hunter2", nil
}

func wantInteraction() []any {
	return []any{
		plugin.Notice{
			Message: "To sign in, use a web browser", VerificationURI: "https://microsoft.com/devicelogin",
			UserCode: "ABCD-EFGH", ExpiresAt: testExpires,
		},
		browserCall{URL: "https://idp.example/authorize?x=1", Message: "Open this page"},
		promptCall{Message: "Password:", Secret: true},
	}
}

func TestInteraction(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		noHost    bool  // Options.Interaction is nil
		hostErr   error // the host's Interaction fails with it
		calls     int   // GetToken calls on one plugin, one after the other
		wantToken string
		wantKind  plugin.Kind
		wantMsg   string
		wantCalls []any
	}{
		"host answers": {
			calls: 1, wantToken: "opened=true answer=hunter2", wantCalls: wantInteraction(),
		},
		"host answers every call": {
			calls: 3, wantToken: "opened=true answer=hunter2",
			wantCalls: join3(wantInteraction(), wantInteraction(), wantInteraction()),
		},
		"nobody to ask": {
			noHost: true, calls: 1, wantKind: plugin.KindInteraction, wantMsg: "notify: interaction required",
		},
		"host forbids asking": {
			hostErr: fmt.Errorf("sign-in is disabled for this profile: %w", plugin.ErrInteractionRequired), calls: 1,
			wantKind: plugin.KindInteraction, wantCalls: wantInteraction()[:1],
			wantMsg: "notify: sign-in is disabled for this profile: interaction required: interaction required",
		},
		"host fails": {
			hostErr: errors.New("terminal gone"), calls: 1, wantKind: plugin.KindInternal, wantCalls: wantInteraction()[:1],
			wantMsg: "notify: interaction with the host failed: rpc error: code = Unknown desc = terminal gone",
		},
	}
	for mode, mtls := range mtlsModes {
		for name, tc := range tests {
			t.Run(mode+"/"+name, func(t *testing.T) {
				t.Parallel()
				host := &recordingInteraction{err: tc.hostErr}
				opts := Options{AutoMTLS: mtls}
				if !tc.noHost {
					opts.Interaction = host
				}
				p := launchTest(t, opts)
				for i := range tc.calls {
					ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
					tok, err := p.GetToken(ctx, &Request{Provider: "interact"})
					cancel()
					if diff := cmp.Diff(tc.wantMsg, errString(err)); diff != "" {
						t.Errorf("call %d: error (-want +got):\n%s", i+1, diff)
					}
					if err != nil && plugin.KindOf(err) != tc.wantKind {
						t.Errorf("call %d: KindOf = %v, want %v", i+1, plugin.KindOf(err), tc.wantKind)
					}
					if tok != nil && tok.AccessToken.Reveal() != tc.wantToken {
						t.Errorf("call %d: token = %q, want %q", i+1, tok.AccessToken.Reveal(), tc.wantToken)
					}
				}
				if diff := cmp.Diff(tc.wantCalls, host.recorded()); diff != "" {
					t.Errorf("host saw (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestInteractionConcurrent runs interactive requests at the same time on
// one plugin; each must reach the host.
func TestInteractionConcurrent(t *testing.T) {
	t.Parallel()
	host := &recordingInteraction{}
	p := launchTest(t, Options{Interaction: host})
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
			defer cancel()
			_, err := p.GetToken(ctx, &Request{Provider: "interact"})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := len(host.recorded()); got != 3*n {
		t.Errorf("host saw %d calls, want %d", got, 3*n)
	}
}

func join3(a, b, c []any) []any { return append(append(append([]any(nil), a...), b...), c...) }

func TestClose(t *testing.T) {
	t.Parallel()
	for mode, mtls := range mtlsModes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			p, err := Launch(t.Context(), Options{Path: testExe(t), AutoMTLS: mtls, Env: []string{quickExit}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Exited() {
				t.Fatal("Exited before Close")
			}
			if err := p.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if err := p.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if !eventually(2*time.Second, p.Exited) {
				t.Error("Exited() is still false after Close")
			}
			if _, err := p.GetToken(t.Context(), &Request{Provider: "echo"}); err == nil {
				t.Error("GetToken after Close succeeded")
			}
		})
	}
}

// TestPluginCrash has the plugin exit in the middle of a request.
func TestPluginCrash(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	_, err := p.GetToken(t.Context(), &Request{Provider: "exit"})
	var exited *PluginExitedError
	if !errors.As(err, &exited) {
		t.Errorf("GetToken = %v (%T), want a *PluginExitedError", err, err)
	}
	if plugin.KindOf(err) != plugin.KindInternal {
		t.Errorf("KindOf = %v, want internal: a crashed plugin is not an unavailable server", plugin.KindOf(err))
	}
	if !eventually(2*time.Second, p.Exited) {
		t.Error("Exited() is false after the plugin exited")
	}
	fresh := launchTest(t, Options{})
	if _, err := fresh.GetToken(t.Context(), &Request{Provider: "echo"}); err != nil {
		t.Errorf("GetToken on a fresh plugin: %v", err)
	}
}

// eventually polls cond until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readLine reads one line from r or fails after d.
func readLine(t *testing.T, r *bufio.Reader, d time.Duration) string {
	t.Helper()
	type result struct {
		s   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := r.ReadString('\n')
		ch <- result{strings.TrimSpace(s), err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			t.Fatalf("reading: %v", res.err)
		}
		return res.s
	case <-time.After(d):
		t.Fatalf("no line after %v", d)
	}
	return ""
}

func TestSocketBase(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no Unix sockets")
	}
	long := "/" + strings.Repeat("d", 80)
	for in, want := range map[string]string{"/tmp": "/tmp", "/var/tmp/x": "/var/tmp/x", long: "/tmp"} {
		if got := socketBase(in); got != want {
			t.Errorf("socketBase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLaunchWithLongTMPDIR(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix sockets")
	}
	dir := filepath.Join(t.TempDir(), strings.Repeat("long-temp-dir-", 6))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", dir)
	p := launchTest(t, Options{})
	if _, err := p.GetToken(context.Background(), &Request{Provider: "echo"}); err != nil {
		t.Fatalf("GetToken with a long TMPDIR: %v", err)
	}
}
