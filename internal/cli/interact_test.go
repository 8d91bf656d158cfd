package cli

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// fakeTTY is a TTY on buffers: answers are read from in, everything
// written lands in out.
type fakeTTY struct {
	in      *bufio.Reader
	out     syncBuffer
	mu      sync.Mutex
	secrets []bool
	closed  bool
}

func newFakeTTY(in io.Reader) *fakeTTY { return &fakeTTY{in: bufio.NewReader(in)} }

func (f *fakeTTY) Write(p []byte) (int, error) { return f.out.Write(p) }

func (f *fakeTTY) ReadLine(secret bool) (string, error) {
	f.mu.Lock()
	f.secrets = append(f.secrets, secret)
	f.mu.Unlock()
	line, err := f.in.ReadString('\n')
	return strings.TrimSuffix(line, "\n"), err
}

func (f *fakeTTY) Close() error {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	return nil
}

// signinEnv is an Env whose stderr is a terminal when terminal is true and
// whose /dev/tty is tty (none when nil).
func signinEnv(vars map[string]string, terminal bool, tty TTY) (*Env, *syncBuffer) {
	stderr := &syncBuffer{}
	e := &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: stderr,
		Getenv: func(k string) string { return vars[k] }, Now: time.Now}
	if terminal {
		e.IsTerminal = func(s any) bool { return s == any(stderr) }
	}
	if tty != nil {
		e.OpenTTY = func() (TTY, error) { return tty, nil }
	}
	return e, stderr
}

func newSignin(e *Env, o interactOptions) *signin {
	return e.interaction(&profile{Name: "repos"}, o)
}

// recordingBrowser writes a $BROWSER script that records its arguments
// (NUL-separated) in a file, and exits with code. It returns the script's
// path and a function reading the recorded arguments (nil: never ran).
func recordingBrowser(t *testing.T, code string) (string, func() []string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the recording browser is a shell script")
	}
	dir := t.TempDir()
	script, record := filepath.Join(dir, "browser"), filepath.Join(dir, "argv")
	body := "#!/bin/sh\nprintf '%s\\0' \"$@\" >> '" + record + "'\nexit " + code + "\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, func() []string {
		b, err := os.ReadFile(record)
		if err != nil {
			return nil
		}
		return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	}
}

func TestNotifyDeviceCodeOnTerminal(t *testing.T) {
	t.Parallel()
	e, stderr := signinEnv(nil, true, newFakeTTY(strings.NewReader("")))
	s := newSignin(e, interactOptions{})
	n := plugin.Notice{Message: "Go to the sign-in page.", VerificationURI: "https://idp.example/device",
		UserCode: "WDJB-MJHT", ExpiresAt: time.Now().Add(15 * time.Minute)}
	if err := s.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	waitFor(t, stderr, "the code expires in")
	s.close()
	out := stderr.String()
	for _, want := range []string{`profile "repos"`, "Go to the sign-in page.", "https://idp.example/device", "WDJB-MJHT"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr %q lacks %q", out, want)
		}
	}
	if !strings.HasSuffix(out, clearLine) {
		t.Errorf("the countdown line was not erased when the call ended: %q", out)
	}
	if !s.wasAsked() {
		t.Error("showing a device code did not count as asking")
	}
}

// TestSigninRefusals checks that every method refuses at once, with
// ErrInteractionRequired and the reason, when the rules say so, and that
// nothing is shown and no browser started then.
func TestSigninRefusals(t *testing.T) {
	t.Parallel()
	code := plugin.Notice{Message: "enter the code", VerificationURI: "https://idp/device", UserCode: "ABCD"}
	tests := map[string]struct {
		vars     map[string]string
		terminal bool
		tty      bool
		// noBrowser leaves $BROWSER unset.
		noBrowser bool
		o         interactOptions
		notify    plugin.Notice
		reason    string
	}{
		"KEYFOB_NONINTERACTIVE=1 with a terminal": {vars: map[string]string{"KEYFOB_NONINTERACTIVE": "1"}, terminal: true, tty: true,
			notify: plugin.Notice{Message: "signing in"}, reason: "KEYFOB_NONINTERACTIVE=1"},
		"no terminal and no browser": {notify: plugin.Notice{Message: "signing in"}, noBrowser: true, reason: "cannot be opened"},
		"GIT_TERMINAL_PROMPT=0 and a device code": {vars: map[string]string{"GIT_TERMINAL_PROMPT": "0"}, terminal: true, tty: true,
			notify: code, reason: "GIT_TERMINAL_PROMPT=0"},
		"sign-in cooldown": {terminal: true, tty: true, o: interactOptions{forbid: "the last sign-in was declined"},
			notify: code, reason: "declined"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			browser, argv := recordingBrowser(t, "0")
			vars := map[string]string{"BROWSER": browser}
			if tc.noBrowser {
				vars = map[string]string{}
			}
			for k, v := range tc.vars {
				vars[k] = v
			}
			var tty TTY
			if tc.tty {
				tty = newFakeTTY(strings.NewReader("answer\n"))
			}
			e, stderr := signinEnv(vars, tc.terminal, tty)
			s := newSignin(e, tc.o)
			defer s.close()
			start := time.Now()
			errs := []error{s.Notify(context.Background(), tc.notify)}
			if tc.notify.UserCode == "" {
				_, err := s.OpenBrowser(context.Background(), "https://idp/authorize", "")
				errs = append(errs, err)
			}
			_, err := s.Prompt(context.Background(), "Password", true)
			errs = append(errs, err)
			for i, err := range errs {
				if !errors.Is(err, plugin.ErrInteractionRequired) || !strings.Contains(err.Error(), tc.reason) {
					t.Errorf("call %d: error %v, want interaction required naming %q", i, err, tc.reason)
				}
			}
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("refusing took %v", d)
			}
			if stderr.String() != "" || argv() != nil || s.wasAsked() {
				t.Errorf("a refused sign-in showed %q, ran the browser with %q, asked=%v", stderr.String(), argv(), s.wasAsked())
			}
		})
	}
}

// TestOpenBrowserWithoutTerminalPrompts checks that GIT_TERMINAL_PROMPT=0
// still lets a browser sign-in run, and that $BROWSER gets the URL as its
// one argument, never through a shell.
func TestOpenBrowserWithoutTerminalPrompts(t *testing.T) {
	t.Parallel()
	browser, argv := recordingBrowser(t, "0")
	pwned := filepath.Join(t.TempDir(), "pwned")
	url := "http://127.0.0.1:9/authorize?a=1&b=two%20words&c=';touch " + pwned + ";'&d=$(touch%20" + pwned + ")"
	e, stderr := signinEnv(map[string]string{"GIT_TERMINAL_PROMPT": "0", "BROWSER": browser}, true, newFakeTTY(strings.NewReader("")))
	s := newSignin(e, interactOptions{})
	defer s.close()
	if err := s.Notify(context.Background(), plugin.Notice{Message: "Signing in…"}); err != nil {
		t.Fatalf("a plain notice before a browser sign-in: %v", err)
	}
	opened, err := s.OpenBrowser(context.Background(), url, "")
	if err != nil || !opened {
		t.Fatalf("OpenBrowser = %v, %v; want true", opened, err)
	}
	if diff := cmp.Diff([]string{url}, argv()); diff != "" {
		t.Errorf("$BROWSER arguments (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Error("the URL went through a shell")
	}
	if !s.wasAsked() || !strings.Contains(stderr.String(), url) {
		t.Errorf("asked=%v; stderr %q should name the URL", s.wasAsked(), stderr.String())
	}
	if _, err := s.Prompt(context.Background(), "code", false); !errors.Is(err, plugin.ErrInteractionRequired) {
		t.Errorf("a terminal prompt under GIT_TERMINAL_PROMPT=0: %v", err)
	}
}

func TestOpenBrowserShowsURLInstead(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		o   interactOptions
		ran bool
	}{
		"the browser fails": {ran: true},
		"--no-browser":      {o: interactOptions{noBrowser: true}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			failing, failedArgv := recordingBrowser(t, "3")
			e, stderr := signinEnv(map[string]string{"BROWSER": failing}, true, nil)
			s := newSignin(e, tc.o)
			defer s.close()
			opened, err := s.OpenBrowser(context.Background(), "https://idp/authorize?x=1", "Sign in as alice")
			if err != nil || opened {
				t.Fatalf("OpenBrowser = %v, %v; want false, nil", opened, err)
			}
			out := stderr.String()
			if !strings.Contains(out, "Open this URL in a browser to sign in: https://idp/authorize?x=1") || !strings.Contains(out, "Sign in as alice") {
				t.Errorf("stderr %q does not show the URL and message", out)
			}
			if ran := failedArgv() != nil; ran != tc.ran {
				t.Errorf("browser ran = %v, want %v", ran, tc.ran)
			}
		})
	}
}

func TestOpenBrowserRefusesOtherSchemes(t *testing.T) {
	t.Parallel()
	browser, argv := recordingBrowser(t, "0")
	e, _ := signinEnv(map[string]string{"BROWSER": browser}, false, nil)
	s := newSignin(e, interactOptions{})
	defer s.close()
	if _, err := s.OpenBrowser(context.Background(), "--help", ""); err == nil {
		t.Error("an option was passed to the browser")
	}
	if argv() != nil {
		t.Errorf("the browser ran with %q", argv())
	}
}

func TestPrompt(t *testing.T) {
	t.Parallel()
	tty := newFakeTTY(strings.NewReader("s3cret\n"))
	e, _ := signinEnv(nil, true, tty)
	s := newSignin(e, interactOptions{})
	got, err := s.Prompt(context.Background(), "Password", true)
	s.close()
	if err != nil || got != "s3cret" {
		t.Fatalf("Prompt = %q, %v", got, err)
	}
	if !strings.HasSuffix(tty.out.String(), "Password: ") || !cmp.Equal(tty.secrets, []bool{true}) || !tty.closed {
		t.Errorf("tty got %q, secret reads %v, closed %v", tty.out.String(), tty.secrets, tty.closed)
	}
}

func TestPromptOnStdinOnlyWhenItIsTheUsers(t *testing.T) {
	t.Parallel()
	for _, notUser := range []bool{false, true} {
		stdin := strings.NewReader("yes\n")
		e, _ := signinEnv(nil, true, nil)
		e.Stdin = stdin
		e.IsTerminal = func(any) bool { return true }
		s := newSignin(e, interactOptions{stdinNotUser: notUser})
		got, err := s.Prompt(context.Background(), "Continue?", false)
		s.close()
		if notUser != errors.Is(err, plugin.ErrInteractionRequired) || (!notUser && got != "yes") {
			t.Errorf("stdinNotUser=%v: Prompt = %q, %v", notUser, got, err)
		}
	}
}

func TestPromptGivesUpWithContext(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	defer w.Close()
	e, _ := signinEnv(nil, true, newFakeTTY(r))
	s := newSignin(e, interactOptions{})
	defer s.close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Prompt(ctx, "code", false); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Prompt after the deadline: %v", err)
	}
}

func TestClosedSigninAsksNobody(t *testing.T) {
	t.Parallel()
	e, stderr := signinEnv(nil, true, nil)
	s := newSignin(e, interactOptions{})
	s.close()
	if err := s.Notify(context.Background(), plugin.Notice{UserCode: "X"}); !errors.Is(err, plugin.ErrInteractionRequired) {
		t.Errorf("Notify after close: %v", err)
	}
	if stderr.String() != "" {
		t.Errorf("wrote %q after close", stderr.String())
	}
}

// TestNotifyWithoutTerminalPrintsOnce checks a notice with an expiry where
// only a browser can reach the user: the text goes to stderr once, with
// the expiry, and no countdown line is drawn.
func TestNotifyWithoutTerminalPrintsOnce(t *testing.T) {
	t.Parallel()
	e, stderr := signinEnv(map[string]string{"BROWSER": "/nonexistent/browser"}, false, nil)
	clock := &fakeClock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	s := newSignin(e, interactOptions{})
	n := plugin.Notice{Message: "Signing in…", ExpiresAt: clock.Now().Add(10 * time.Minute)}
	if err := s.Notify(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	s.close()
	want := "keyfob: sign-in needed for profile \"repos\"\nSigning in…\nkeyfob: the code expires in 10:00\n"
	if got := stderr.String(); got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
