package cli

import (
	"path/filepath"
	"strings"
)

// textSink is where messages for the user (device-code instructions, a
// sign-in URL) go.
type textSink int

// The text sinks, in the order the rules prefer them.
const (
	textNone   textSink = iota
	textStderr          // stderr, which is a terminal
	textTTY             // the controlling terminal, /dev/tty
)

// promptSource is where answers to a prompt come from.
type promptSource int

// The prompt sources, in the order the rules prefer them.
const (
	promptNone  promptSource = iota
	promptTTY                // /dev/tty
	promptStdin              // stdin, which is the user's terminal
)

// sight is what keyfob can see of the user's terminal.
type sight struct {
	stderrTerminal bool // stderr is a terminal
	stdinTerminal  bool // stdin is a terminal
	ttyOpenable    bool // /dev/tty could be opened
}

// signinPolicy is what the interaction rules allow for one call. Every
// "no…" field says, for the error a refused plugin sees, why the
// corresponding channel is missing.
type signinPolicy struct {
	// forbidden, when not empty, forbids all sign-in and says why.
	forbidden string
	text      textSink
	noText    string
	prompt    promptSource
	noPrompt  string
	// browsers are the commands that may open a URL, tried in turn; the
	// URL is appended as the one extra argument.
	browsers  [][]string
	noBrowser string
}

// decideSignin applies CONTRACT §5's interaction rules. getenv reads
// KEYFOB_NONINTERACTIVE, GIT_TERMINAL_PROMPT, BROWSER, DISPLAY and
// WAYLAND_DISPLAY; goos is runtime.GOOS. It is a pure function.
//
//   - KEYFOB_NONINTERACTIVE=1 (or o.forbid) forbids all sign-in.
//   - Text needs stderr on a terminal, else an openable /dev/tty;
//     GIT_TERMINAL_PROMPT=0 forbids it.
//   - Prompts read /dev/tty, else stdin when it is the user's terminal
//     (not a host protocol's); GIT_TERMINAL_PROMPT=0 forbids them.
//   - A browser is $BROWSER (each entry of the list), else the desktop's
//     opener: xdg-open with DISPLAY or WAYLAND_DISPLAY, open on macOS,
//     rundll32 on Windows; --no-browser turns it off.
func decideSignin(getenv func(string) string, goos string, s sight, o interactOptions) signinPolicy {
	var p signinPolicy
	switch {
	case o.forbid != "":
		p.forbidden = o.forbid
	case isTrue(getenv("KEYFOB_NONINTERACTIVE")):
		p.forbidden = "KEYFOB_NONINTERACTIVE=" + getenv("KEYFOB_NONINTERACTIVE") + " forbids sign-in"
	}
	terminalOff := isFalse(getenv("GIT_TERMINAL_PROMPT"))
	p.text, p.noText = textRule(s, terminalOff)
	p.prompt, p.noPrompt = promptRule(s, o, terminalOff)
	p.browsers, p.noBrowser = browserRule(getenv, goos, o)
	return p
}

// gitPromptOff is why GIT_TERMINAL_PROMPT=0 leaves no text or prompt.
const gitPromptOff = "GIT_TERMINAL_PROMPT=0 forbids terminal prompts"

func textRule(s sight, terminalOff bool) (textSink, string) {
	switch {
	case terminalOff:
		return textNone, gitPromptOff
	case s.stderrTerminal:
		return textStderr, ""
	case s.ttyOpenable:
		return textTTY, ""
	}
	return textNone, "stderr is not a terminal and /dev/tty cannot be opened"
}

func promptRule(s sight, o interactOptions, terminalOff bool) (promptSource, string) {
	switch {
	case terminalOff:
		return promptNone, gitPromptOff
	case s.ttyOpenable:
		return promptTTY, ""
	case s.stdinTerminal && !o.stdinNotUser:
		return promptStdin, ""
	}
	return promptNone, "/dev/tty cannot be opened and stdin is not the user's terminal"
}

func browserRule(getenv func(string) string, goos string, o interactOptions) ([][]string, string) {
	if o.noBrowser {
		return nil, "browser sign-in is off (--no-browser)"
	}
	if b := getenv("BROWSER"); b != "" {
		var cmds [][]string
		for _, path := range filepath.SplitList(b) {
			if path = strings.TrimSpace(path); path != "" {
				cmds = append(cmds, []string{path})
			}
		}
		return cmds, ""
	}
	switch {
	case goos == "darwin":
		return [][]string{{"open"}}, ""
	case goos == "windows":
		return [][]string{{"rundll32", "url.dll,FileProtocolHandler"}}, ""
	case getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "":
		return [][]string{{"xdg-open"}}, ""
	}
	return nil, "no $BROWSER and no desktop session (DISPLAY or WAYLAND_DISPLAY) to open a browser in"
}

// isTrue reports whether an environment flag is set to a true value.
func isTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// isFalse reports whether an environment flag is set to a false value, as
// git reads GIT_TERMINAL_PROMPT.
func isFalse(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "0", "false", "no", "off":
		return true
	}
	return false
}
