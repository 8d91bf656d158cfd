package authcode

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
)

// judge reads a redirect's parameters (RFC 6749 §4.1.2): the state must
// be this sign-in's before anything else is believed; then an error is
// the server's, and a code is the result.
func judge(q url.Values, state, host string) (string, error) {
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		return "", plugin.Errorf(plugin.ErrRefused,
			"sign-in rejected: the redirect's state does not match this sign-in (a stale or forged redirect); sign in again")
	}
	if code := q.Get("error"); code != "" {
		return "", &plugin.OAuthError{Code: code, Description: q.Get("error_description"), URI: q.Get("error_uri"), Host: host}
	}
	if code := q.Get("code"); code != "" {
		return code, nil
	}
	return "", plugin.Errorf(plugin.ErrRefused, "sign-in rejected: the redirect carries neither a code nor an error")
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
	code, err := judge(r.URL.Query(), l.state, l.host)
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
