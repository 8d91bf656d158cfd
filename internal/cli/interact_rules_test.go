package cli

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ruleOutcome is the part of a signinPolicy the rules table checks; the
// reasons are checked for being there, not for their words.
type ruleOutcome struct {
	Forbidden bool
	Text      textSink
	Prompt    promptSource
	Browsers  [][]string
}

func outcome(p signinPolicy) ruleOutcome {
	return ruleOutcome{Forbidden: p.forbidden != "", Text: p.text, Prompt: p.prompt, Browsers: p.browsers}
}

func TestDecideSignin(t *testing.T) {
	t.Parallel()
	terminal := sight{stderrTerminal: true, stdinTerminal: true, ttyOpenable: true}
	xdg := [][]string{{"xdg-open"}}
	tests := map[string]struct {
		env  map[string]string
		goos string
		s    sight
		o    interactOptions
		want ruleOutcome
	}{
		"terminal, no desktop": {
			s: terminal, want: ruleOutcome{Text: textStderr, Prompt: promptTTY}},
		"KEYFOB_NONINTERACTIVE=1 with a terminal forbids all": {
			env: map[string]string{"KEYFOB_NONINTERACTIVE": "1", "BROWSER": "/b"}, s: terminal,
			want: ruleOutcome{Forbidden: true, Text: textStderr, Prompt: promptTTY, Browsers: [][]string{{"/b"}}}},
		"KEYFOB_NONINTERACTIVE=0 forbids nothing": {
			env: map[string]string{"KEYFOB_NONINTERACTIVE": "0"}, s: terminal, want: ruleOutcome{Text: textStderr, Prompt: promptTTY}},
		"forbidden by the command": {
			s: terminal, o: interactOptions{forbid: "cooldown"}, want: ruleOutcome{Forbidden: true, Text: textStderr, Prompt: promptTTY}},
		"no terminal, no browser": {
			want: ruleOutcome{}},
		"stderr redirected, /dev/tty open": {
			s: sight{ttyOpenable: true}, want: ruleOutcome{Text: textTTY, Prompt: promptTTY}},
		"GIT_TERMINAL_PROMPT=0 with $BROWSER: browser only": {
			env: map[string]string{"GIT_TERMINAL_PROMPT": "0", "BROWSER": "/usr/bin/firefox"}, s: terminal,
			want: ruleOutcome{Browsers: [][]string{{"/usr/bin/firefox"}}}},
		"GIT_TERMINAL_PROMPT=1 changes nothing": {
			env: map[string]string{"GIT_TERMINAL_PROMPT": "1"}, s: terminal, want: ruleOutcome{Text: textStderr, Prompt: promptTTY}},
		"stdin is the user's terminal without /dev/tty": {
			s: sight{stderrTerminal: true, stdinTerminal: true}, want: ruleOutcome{Text: textStderr, Prompt: promptStdin}},
		"kubectl spec.interactive=false: stdin is not the user's": {
			s: sight{stderrTerminal: true, stdinTerminal: true}, o: interactOptions{stdinNotUser: true},
			want: ruleOutcome{Text: textStderr}},
		"$BROWSER list, one argument each": {
			env: map[string]string{"BROWSER": "/a b/x:/usr/bin/y"}, goos: "linux",
			want: ruleOutcome{Browsers: [][]string{{"/a b/x"}, {"/usr/bin/y"}}}},
		"X11 desktop": {
			env: map[string]string{"DISPLAY": ":0"}, goos: "linux", want: ruleOutcome{Browsers: xdg}},
		"Wayland desktop": {
			env: map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, goos: "freebsd", want: ruleOutcome{Browsers: xdg}},
		"macOS": {
			goos: "darwin", want: ruleOutcome{Browsers: [][]string{{"open"}}}},
		"Windows": {
			goos: "windows", want: ruleOutcome{Browsers: [][]string{{"rundll32", "url.dll,FileProtocolHandler"}}}},
		"--no-browser": {
			env: map[string]string{"BROWSER": "/b", "DISPLAY": ":0"}, s: terminal, o: interactOptions{noBrowser: true},
			want: ruleOutcome{Text: textStderr, Prompt: promptTTY}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			goos := tc.goos
			if goos == "" {
				goos = "linux"
			}
			p := decideSignin(func(k string) string { return tc.env[k] }, goos, tc.s, tc.o)
			if diff := cmp.Diff(tc.want, outcome(p)); diff != "" {
				t.Errorf("decideSignin (-want +got):\n%s", diff)
			}
			checkReasons(t, p)
		})
	}
}

// checkReasons fails when a missing channel has no reason.
func checkReasons(t *testing.T, p signinPolicy) {
	t.Helper()
	if p.text == textNone && p.noText == "" {
		t.Error("no text sink and no reason")
	}
	if p.prompt == promptNone && p.noPrompt == "" {
		t.Error("no prompt source and no reason")
	}
	if len(p.browsers) == 0 && p.noBrowser == "" {
		t.Error("no browser and no reason")
	}
}
