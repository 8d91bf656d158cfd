package servers

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Browse plays a person with a browser at an authorization server of this
// package: it opens authorizeURL, follows the redirects to the login
// page, submits user's name and password in its form, follows the
// redirects back to the client and finally loads the client's redirect
// URI — so a loopback listener gets its callback, exactly once. It
// returns that redirect URL (code and state in its query). The page the
// client answered must be a 2xx; anything else is an error.
//
// Browse needs nothing but the URL and the user, so a test can also run
// it from a fake $BROWSER process (see Authorize for paste mode).
func Browse(ctx context.Context, authorizeURL string, user User) (*url.URL, error) {
	redirect, err := Authorize(ctx, authorizeURL, user)
	if err != nil {
		return nil, err
	}
	resp, err := get(ctx, newBrowserClient(nil), redirect.String())
	if err != nil {
		return nil, fmt.Errorf("loading the redirect %s: %w", redirect.Redacted(), err)
	}
	if resp.StatusCode/100 != 2 {
		return redirect, fmt.Errorf("the client answered its redirect with HTTP %d", resp.StatusCode)
	}
	return redirect, nil
}

// Authorize is Browse without its last step: it signs user in and returns
// the redirect to the client without loading it, as a user copies the
// address from the browser's address bar in keyfob's paste mode. An
// authorization server that redirects at once (an error, prompt=none) is
// fine: that redirect is returned.
func Authorize(ctx context.Context, authorizeURL string, user User) (*url.URL, error) {
	start, err := url.Parse(authorizeURL)
	if err != nil {
		return nil, err
	}
	var leaving *url.URL
	c := newBrowserClient(func(req *http.Request) bool {
		if req.URL.Host == start.Host {
			return true
		}
		leaving = req.URL
		return false
	})
	page, err := get(ctx, c, authorizeURL)
	if err != nil || leaving != nil {
		return leaving, err
	}
	if err := submitLogin(ctx, c, page, user); err != nil {
		return nil, err
	}
	if leaving == nil {
		return nil, errors.New("signing in did not redirect to the client")
	}
	return leaving, nil
}

// browserResponse is a loaded page.
type browserResponse struct {
	URL        *url.URL
	StatusCode int
	Body       string
}

// newBrowserClient follows redirects (with cookies) while follow allows;
// nil follows every redirect.
func newBrowserClient(follow func(*http.Request) bool) *http.Client {
	jar, _ := cookiejar.New(nil) // never fails without options
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			if follow != nil && !follow(req) {
				return http.ErrUseLastResponse
			}
			return nil
		}}
}

func get(ctx context.Context, c *http.Client, u string) (*browserResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return do(c, req)
}

func do(c *http.Client, req *http.Request) (*browserResponse, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return &browserResponse{URL: resp.Request.URL, StatusCode: resp.StatusCode, Body: string(body)}, err
}

var (
	formAction  = regexp.MustCompile(`<form[^>]*\baction="([^"]*)"`)
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
)

// submitLogin fills in the login form on page and posts it.
func submitLogin(ctx context.Context, c *http.Client, page *browserResponse, user User) error {
	m := formAction.FindStringSubmatch(page.Body)
	if page.StatusCode != http.StatusOK || m == nil {
		return fmt.Errorf("expected a login form at %s, got HTTP %d: %.200s", page.URL.Redacted(), page.StatusCode, page.Body)
	}
	action, err := page.URL.Parse(html.UnescapeString(m[1]))
	if err != nil {
		return err
	}
	form := url.Values{"username": {user.Username}, "password": {user.Password}}
	for _, h := range hiddenInput.FindAllStringSubmatch(page.Body, -1) {
		form.Set(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := do(c, req)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 == 4 || resp.StatusCode/100 == 5 {
		return fmt.Errorf("signing in as %s: HTTP %d: %.200s", user.Username, resp.StatusCode, resp.Body)
	}
	return nil
}
