package authcode

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

// expect is what a redirect must carry to be believed.
type expect struct {
	state string
	host  string // the authorization server, for error messages
	// issuer is the server's issuer identifier ("" when unknown), and
	// issRequired whether the server promised to send it (RFC 9207).
	issuer      string
	issRequired bool
}

// expectFor is what a redirect of this sign-in must carry. The issuer of
// endpoints derived from an Entra authority is keyfob's spelling
// (AUTHORITY/v2.0; for common or organizations not even a real issuer),
// not one the server sent, so it is not compared: iss is checked against
// issuers that came from the server's own metadata (discovery).
func expectFor(s *grant.Setup, state string) expect {
	ep := s.Endpoints
	e := expect{state: state, host: hostOf(ep.Authorization)}
	if ep.Tenant == "" {
		e.issuer, e.issRequired = ep.Issuer, ep.IssParameter && ep.Issuer != ""
	}
	return e
}

// judge reads a redirect's parameters (RFC 6749 §4.1.2): the state must
// be this sign-in's before anything else is believed, and the issuer the
// server's (RFC 9207); then an error is the server's, and a code is the
// result.
func judge(q url.Values, e expect) (string, error) {
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(e.state)) != 1 {
		return "", plugin.Errorf(plugin.ErrRefused,
			"sign-in rejected: the redirect's state does not match this sign-in (a stale or forged redirect); sign in again")
	}
	if err := checkIss(q, e); err != nil {
		return "", err
	}
	if code := q.Get("error"); code != "" {
		return "", &plugin.OAuthError{Code: code, Description: q.Get("error_description"), URI: q.Get("error_uri"), Host: e.host}
	}
	if code := q.Get("code"); code != "" {
		return code, nil
	}
	return "", plugin.Errorf(plugin.ErrRefused, "sign-in rejected: the redirect carries neither a code nor an error")
}

// checkIss is RFC 9207's defence against mix-up attacks: when the
// redirect carries iss, or the server's metadata promises it
// (authorization_response_iss_parameter_supported), iss must be the
// issuer identifier exactly (§2.4: simple string comparison). A redirect
// whose issuer is unknown to keyfob (endpoints configured without an
// issuer or authority) is not checked, as §2.4 says. A mismatch or a
// missing iss is ErrRefused (exit 3), like a wrong state: this redirect
// is not the answer of the server keyfob asked — a response from another
// server the browser also talks to, or a forged one — and must not be
// redeemed; signing in again may succeed, and a server that always sends
// another iss is named in the message for the user to check.
func checkIss(q url.Values, e expect) error {
	iss, sent := q["iss"]
	switch {
	case e.issuer == "":
		return nil
	case !sent && e.issRequired:
		return plugin.Errorf(plugin.ErrRefused, "sign-in rejected: the redirect from %s carries no iss, which the server promises (RFC 9207); sign in again", e.host)
	case sent && (len(iss) != 1 || iss[0] != e.issuer):
		return plugin.Errorf(plugin.ErrRefused, "sign-in rejected: the redirect's iss %q is not the issuer %q (RFC 9207: a mix-up with another server, or a forged redirect); sign in again",
			clip(strings.Join(iss, ",")), e.issuer)
	}
	return nil
}

// clip bounds a redirect's value quoted in an error message.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// result is what the one callback brought.
type result struct {
	code string
	err  error
}

// ServeHTTP takes the one callback on the redirect path: it is judged,
// answered with a page for the browser, and handed to wait. Any later
// request is refused (the listener is closing by then).
func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	switch {
	case r.URL.Path != l.path:
		http.NotFound(w, r)
		return
	case r.Method != http.MethodGet:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	case !l.used.CompareAndSwap(false, true):
		http.Error(w, "This sign-in is already over.", http.StatusGone)
		return
	}
	code, err := judge(r.URL.Query(), l.expect)
	writePage(w, err)
	l.done <- result{code: code, err: err}
}

// writePage tells the person in the browser how it went. The page is
// never cached and never sends a Referer: its URL holds the code.
func writePage(w http.ResponseWriter, err error) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	msg, status := "Signed in. You can close this window and return to the terminal.", http.StatusOK
	if err != nil {
		msg, status = "Sign-in failed: "+err.Error(), http.StatusBadRequest
	}
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>keyfob</title></head><body><p>%s</p></body></html>\n",
		html.EscapeString(msg))
}

// waitError is the error for a wait cut short: by the deadline (nobody
// finished in time: exit 4) or by cancellation.
func waitError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return plugin.Errorf(plugin.ErrInteractionRequired, "timed out waiting for the browser sign-in: %w", err)
	}
	return fmt.Errorf("the sign-in was canceled: %w", err)
}
