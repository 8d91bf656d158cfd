package cli

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// interactOptions are what a command knows about whether a person can be
// asked (CONTRACT §5). Host protocols set them: kubectl's
// spec.interactive=false means stdin is not the user's; --no-browser asks
// for the URL to be shown instead of opened.
type interactOptions struct {
	// stdinNotUser is set when the host tool owns stdin: every host
	// protocol's command, and kubectl's with spec.interactive=false.
	stdinNotUser bool
	// noBrowser shows sign-in URLs instead of opening a browser.
	noBrowser bool
	// forbid, when not empty, forbids all sign-in and says why.
	forbid string
	// login is keyfob login: sign in afresh, whatever the stored state
	// and the sign-in cooldown say.
	login bool
	// logout is keyfob logout: a profile bound to no account while
	// several are signed in signs out of none of them.
	logout bool
}

// signin is the Interaction served to the plugin for one call. The first
// time the plugin asks for a person it applies the interaction rules
// (decideSignin); it refuses with an error wrapping
// plugin.ErrInteractionRequired that says why when they forbid the
// request, and it remembers whether it asked anybody, for the sign-in
// cooldown. Its methods are safe for concurrent use. Call close when the
// call is over: it erases the countdown and closes /dev/tty.
type signin struct {
	env     *Env
	profile string
	opts    interactOptions

	once   sync.Once
	policy signinPolicy
	tty    TTY           // the open /dev/tty, or nil
	text   *lockedWriter // where text goes; nil when nowhere

	mu       sync.Mutex
	asked    bool   // a person was shown something to act on
	headed   bool   // the header line has been written
	shownURL string // the URL Notify showed last
	cd       *countdown
}

// interaction returns the Interaction served to the plugin for one call.
func (e *Env) interaction(p *profile, o interactOptions) *signin {
	return &signin{env: e, profile: p.Name, opts: o}
}

// start looks at the terminal and decides, once.
func (s *signin) start() {
	s.once.Do(func() {
		sg := sight{stderrTerminal: s.env.isTerminal(s.env.Stderr), stdinTerminal: s.env.isTerminal(s.env.Stdin)}
		if s.env.OpenTTY != nil {
			if tty, err := s.env.OpenTTY(); err == nil {
				s.tty, sg.ttyOpenable = tty, true
			}
		}
		s.policy = decideSignin(s.env.Getenv, runtime.GOOS, sg, s.opts)
		switch s.policy.text {
		case textStderr:
			s.text = &lockedWriter{w: s.env.Stderr}
		case textTTY:
			s.text = &lockedWriter{w: s.tty}
		}
	})
}

// Notify shows a message. Device-code instructions (a notice with a
// UserCode) need the terminal and get a countdown to ExpiresAt; any other
// message is also fine when only a browser can reach the user (a
// provider's "signing in…" before it opens one), and then goes to stderr.
func (s *signin) Notify(_ context.Context, n plugin.Notice) error {
	s.start()
	ok, why := s.text != nil, s.policy.noText
	if n.UserCode == "" {
		ok, why = ok || len(s.policy.browsers) > 0, s.policy.noText+"; "+s.policy.noBrowser
	}
	if err := s.check(ok, why); err != nil {
		return err
	}
	s.inform(strings.Map(dropControl, noticeText(n)))
	if n.UserCode != "" || n.VerificationURI != "" {
		s.markAsked()
		s.mu.Lock()
		s.shownURL = n.VerificationURI
		s.mu.Unlock()
	}
	switch {
	case n.ExpiresAt.IsZero():
	case s.text != nil:
		s.startCountdown(n.ExpiresAt)
	default:
		s.inform(expiryNote(n.ExpiresAt.Sub(s.env.Now())))
	}
	return nil
}

// OpenBrowser opens rawURL in a browser, or shows it when none can be
// opened; it refuses when neither is possible.
func (s *signin) OpenBrowser(ctx context.Context, rawURL, message string) (bool, error) {
	s.start()
	if err := s.check(len(s.policy.browsers) > 0 || s.text != nil, s.policy.noBrowser+"; "+s.policy.noText); err != nil {
		return false, err
	}
	if len(s.policy.browsers) > 0 {
		err := launchBrowser(ctx, s.policy.browsers, rawURL)
		if err == nil {
			s.markAsked()
			s.inform(openedText(message, rawURL, s.wasShown(rawURL)))
			return true, nil
		}
		if s.text == nil {
			return false, needPerson(fmt.Sprintf("cannot sign in: the browser did not open (%v) and %s", err, s.policy.noText))
		}
		s.say("keyfob: could not open a browser: " + oneLine(err.Error()) + "\n")
	}
	s.say(urlText(message, rawURL))
	s.markAsked()
	return false, nil
}

// Prompt asks one question on /dev/tty (or on stdin when that is the
// user's terminal) and reads the answer, without echo when secret.
func (s *signin) Prompt(ctx context.Context, message string, secret bool) (string, error) {
	s.start()
	if err := s.check(s.policy.prompt != promptNone, s.policy.noPrompt); err != nil {
		return "", err
	}
	s.stopCountdown()
	t := s.tty
	if s.policy.prompt == promptStdin {
		t = streamTTY(s.env.Stdin, s.env.Stderr)
	}
	msg := strings.TrimRight(message, " ")
	if !strings.HasSuffix(msg, ":") && !strings.HasSuffix(msg, "?") {
		msg += ":"
	}
	fmt.Fprint(t, s.header()+msg+" ")
	s.markAsked()
	return readAnswer(ctx, t, secret)
}

// check refuses when sign-in is forbidden, or when the channel a method
// needs is missing (ok false; why says what is missing).
func (s *signin) check(ok bool, why string) error {
	switch {
	case s.policy.forbidden != "":
		return needPerson("cannot sign in: " + s.policy.forbidden)
	case !ok:
		return needPerson("cannot sign in: " + strings.Trim(why, "; "))
	}
	return nil
}

// say writes text to the user's terminal, erasing a countdown line first
// (the next tick draws it again below the text).
func (s *signin) say(text string) {
	fmt.Fprint(s.text, clearLine+s.header()+text)
}

// inform writes text where the user may see it: the terminal, else stderr.
func (s *signin) inform(text string) {
	if s.text != nil {
		s.say(text)
		return
	}
	fmt.Fprint(s.env.Stderr, s.header()+text)
}

// header is the line that names the profile, before the call's first
// message; "" afterwards.
func (s *signin) header() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.headed {
		return ""
	}
	s.headed = true
	return fmt.Sprintf("keyfob: sign-in needed for profile %q\n", s.profile)
}

// startCountdown replaces any running countdown with one to until.
func (s *signin) startCountdown(until time.Time) {
	s.stopCountdown()
	ticker := time.NewTicker(time.Second)
	cd := startCountdown(s.text, s.env.Now, until, ticker.C, ticker.Stop)
	s.mu.Lock()
	s.cd = cd
	s.mu.Unlock()
}

func (s *signin) stopCountdown() {
	s.mu.Lock()
	cd := s.cd
	s.cd = nil
	s.mu.Unlock()
	cd.Stop()
}

func (s *signin) markAsked() {
	s.mu.Lock()
	s.asked = true
	s.mu.Unlock()
}

// wasShown reports whether rawURL has been shown by Notify already.
func (s *signin) wasShown(rawURL string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.shownURL == rawURL
}

// wasAsked reports whether a person was shown a sign-in during the call.
func (s *signin) wasAsked() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked
}

// close ends the call's interaction: no method may start any more, the
// countdown is erased and /dev/tty closed.
func (s *signin) close() {
	s.once.Do(func() {}) // a start that has not run never will
	s.stopCountdown()
	if s.tty != nil {
		_ = s.tty.Close()
	}
}

// openedText says a browser has been opened, with the URL to open by
// hand unless it has been shown already.
func openedText(message, rawURL string, shown bool) string {
	text := "A browser has been opened to sign in.\n"
	if m := strings.TrimSpace(message); m != "" {
		text = m + "\n"
	}
	if !shown {
		text += "If it does not show the sign-in page, open: " + rawURL + "\n"
	}
	return text
}

// urlText asks the user to open the URL by hand.
func urlText(message, rawURL string) string {
	text := "Open this URL in a browser to sign in: " + rawURL + "\n"
	if m := strings.TrimSpace(message); m != "" {
		text = m + "\n" + text
	}
	return text
}

// needPerson is a refusal: it wraps plugin.ErrInteractionRequired without
// repeating that error's text, so the message reads well after crossing
// the plugin boundary, which wraps it again.
type needPerson string

func (e needPerson) Error() string { return string(e) }
func (e needPerson) Unwrap() error { return plugin.ErrInteractionRequired }
