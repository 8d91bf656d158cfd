package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
	bearercheck "github.com/keyfob/keyfob/plugin/bearer"
)

// maxAttempts bounds the tries of a request that failed for a transient
// reason (a 5xx answer or a network error).
const maxAttempts = 3

// maxBody caps the answer read from the API.
const maxBody = 1 << 20

// exchange is one installation-token request, with its retries.
type exchange struct {
	client   *http.Client
	settings *settings
	jwt      string
	req      *plugin.Request // for its Logger
	backoff  time.Duration
}

// tokenResponse is the API's answer (201 Created).
type tokenResponse struct {
	Token       string            `json:"token"`
	ExpiresAt   time.Time         `json:"expires_at"`
	Permissions map[string]string `json:"permissions"`
}

// errorResponse is the API's error body.
type errorResponse struct {
	Message string `json:"message"`
}

// run sends the request, retrying transient failures with backoff.
func (x *exchange) run(ctx context.Context) (*plugin.Token, error) {
	wait := x.backoff
	if wait <= 0 {
		wait = 500 * time.Millisecond
	}
	for attempt := 1; ; attempt++ {
		tok, again, err := x.once(ctx)
		if !again || attempt == maxAttempts {
			return tok, err
		}
		x.req.Logger.Debug("retrying the installation token request", "attempt", attempt, "wait", wait.String())
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, err
		}
		wait *= 2
	}
}

// once sends the request once. It reports whether a failure is worth
// another try.
func (x *exchange) once(ctx context.Context) (tok *plugin.Token, again bool, err error) {
	req, err := x.newRequest(ctx)
	if err != nil {
		return nil, false, err
	}
	resp, err := x.client.Do(req)
	if err != nil {
		return nil, ctx.Err() == nil, plugin.Errorf(plugin.ErrUnavailable, "%s: %v", req.URL.Host, unwrapURLError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, ctx.Err() == nil, plugin.Errorf(plugin.ErrUnavailable, "%s: reading the answer: %v", req.URL.Host, err)
	}
	x.req.Logger.Debug("installation token answer", "host", req.URL.Host, "status", resp.StatusCode)
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode >= 500, apiError(req.URL.Host, resp, body)
	}
	tok, err = x.token(req.URL.Host, body)
	return tok, false, err
}

// newRequest builds POST {api}/app/installations/{id}/access_tokens.
func (x *exchange) newRequest(ctx context.Context) (*http.Request, error) {
	s := x.settings
	endpoint := s.apiURL + "/app/installations/" + url.PathEscape(s.installationID) + "/access_tokens"
	var body io.Reader = http.NoBody
	if len(s.repositories) > 0 || len(s.permissions) > 0 {
		b, err := json.Marshal(struct {
			Repositories []string          `json:"repositories,omitempty"`
			Permissions  map[string]string `json:"permissions,omitempty"`
		}{s.repositories, s.permissions})
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, body)
	if err != nil {
		return nil, plugin.Configf("key %s: %v", keyAPIURL, err)
	}
	req.Header.Set("Authorization", "Bearer "+x.jwt)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "keyfob-plugin-github-app/"+version)
	if body != http.NoBody {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// token reads a successful answer.
func (x *exchange) token(host string, body []byte) (*plugin.Token, error) {
	var tr tokenResponse
	if err := json.Unmarshal(body, &tr); err != nil || tr.Token == "" || tr.ExpiresAt.IsZero() {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: the answer holds no token and expiry", host)
	}
	// A token with CR/LF would put a second header into `keyfob token -o
	// header`; refuse it here, naming the server (the host refuses it too,
	// naming only the plugin).
	if bearercheck.CheckToken(tr.Token) != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: the token has characters a bearer token may not have", host)
	}
	tok := &plugin.Token{
		AccessToken: plugin.NewSecret(tr.Token),
		TokenType:   "Bearer",
		ExpiresAt:   tr.ExpiresAt,
		Scope:       scope(tr.Permissions),
		Account:     "installation " + x.settings.installationID,
	}
	x.req.Logger.Debug("installation token issued", "fingerprint", tok.AccessToken.Fingerprint(), "expires_at", tok.ExpiresAt)
	return tok, nil
}

// apiError classifies an error answer: 429, a rate limit and 5xx are the
// server's trouble (exit 5); any other status is a refusal (exit 3) — a
// wrong key or app id (401), a missing installation (404), a repository
// or permission the installation lacks (422).
func apiError(host string, resp *http.Response, body []byte) error {
	var e errorResponse
	_ = json.Unmarshal(body, &e)
	msg := strings.Join(strings.Fields(e.Message), " ")
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	kind := plugin.ErrRefused
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode == http.StatusForbidden && resp.Header.Get("X-RateLimit-Remaining") == "0" {
		kind = plugin.ErrUnavailable
	}
	return plugin.Errorf(kind, "%s: HTTP %d: %s", host, resp.StatusCode, msg)
}

// scope renders granted permissions as sorted NAME:LEVEL words, the form
// the scopes key takes.
func scope(perms map[string]string) string {
	words := make([]string, 0, len(perms))
	for name, level := range perms {
		words = append(words, name+":"+level)
	}
	slices.Sort(words)
	return strings.Join(words, " ")
}

// unwrapURLError drops *url.Error's method and URL from a message.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
