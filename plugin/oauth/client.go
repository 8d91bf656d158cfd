package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// Client sends requests to one token endpoint. Set its fields before the
// first call and leave them alone afterwards; a Client is then safe for
// concurrent use. The zero value of every field but TokenURL is usable.
type Client struct {
	// TokenURL is the token endpoint. It must be https unless its host is
	// loopback (see CheckURL).
	TokenURL string
	// ClientID is set as client_id in every request's form; "" sends none.
	ClientID string
	// Auth authenticates the client; nil means None (a public client).
	Auth ClientAuth
	// Issuer is the authorization server's issuer identifier, passed to
	// Auth (a client assertion may name it as its audience); "" when
	// unknown.
	Issuer string
	// HTTPClient sends the requests; nil means a shared client built by
	// NewHTTPClient with default options. A replacement should not follow
	// redirects either.
	HTTPClient *http.Client
	// Logger receives debug and trace lines, never secrets; nil is silent.
	Logger hclog.Logger
	// Now is the clock for expiry times; nil means time.Now.
	Now func() time.Time
	// MaxRetries is how many times a retryable failure is sent again; 0
	// means DefaultMaxRetries and a negative value means never.
	MaxRetries int
	// Backoff is the base wait before the first retry; 0 means
	// DefaultBackoff. Tests set it small.
	Backoff time.Duration
}

// Token POSTs form to the token endpoint and returns the token response.
// The caller's form is not modified: each attempt sends a copy with
// client_id set and the client authentication applied afresh.
//
// Server failures (5xx, temporarily_unavailable, 429) and network failures
// are retried with jittered backoff, honouring Retry-After when ctx's
// deadline allows it; OAuth 4xx errors are returned at once. Errors are
// classified for plugin.KindOf: an error answer is a *plugin.OAuthError
// (with Host and RetryAfter set); an unreachable, timed-out or garbled
// server wraps plugin.ErrUnavailable with a one-line "host: condition"; a
// refused URL, a redirect or a missing credential wraps plugin.ErrConfig.
func (c *Client) Token(ctx context.Context, form url.Values) (*TokenResponse, error) {
	host, err := endpointHost(c.TokenURL)
	if err != nil {
		return nil, err
	}
	var tr *TokenResponse
	err = c.retrying(ctx, host, func(n int) error {
		var err error
		tr, err = c.attempt(ctx, host, form, n)
		return err
	})
	return tr, err
}

// retrying runs attempt (given its 1-based number) until it succeeds or
// fails for good: server failures and network failures are tried again
// with jittered backoff, up to MaxRetries times, honouring Retry-After
// when ctx's deadline allows it. It returns the last error, noting the
// attempts made.
func (c *Client) retrying(ctx context.Context, host string, attempt func(n int) error) error {
	for n := 1; ; n++ {
		err := attempt(n)
		if err == nil {
			return nil
		}
		wait, again := c.retryDelay(ctx, err, n)
		if !again {
			return giveUp(err, n)
		}
		c.log().Debug("retrying request", "host", host, "attempt", n, "wait", wait.String())
		if err := Sleep(ctx, wait); err != nil {
			return unavailable(host, contextCondition(err)+" while waiting to retry", err, false)
		}
	}
}

// giveUp returns the last error, noting how many attempts were made and
// a Retry-After that was not waited for.
func giveUp(err error, attempts int) error {
	var notes []string
	if attempts > 1 {
		notes = append(notes, fmt.Sprintf("after %d attempts", attempts))
	}
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.RetryAfter > 0 {
		notes = append(notes, fmt.Sprintf("server asks to retry after %v", oe.RetryAfter))
	}
	if len(notes) == 0 {
		return err
	}
	return fmt.Errorf("%w (%s)", err, strings.Join(notes, "; "))
}

// endpointHost checks an endpoint URL and returns its host for messages.
func endpointHost(endpoint string) (string, error) {
	if err := CheckURL(endpoint); err != nil {
		return "", err
	}
	u, _ := url.Parse(endpoint) // CheckURL parsed it already
	return u.Host, nil
}

// attempt sends the request once and interprets the answer.
func (c *Client) attempt(ctx context.Context, host string, form url.Values, n int) (*TokenResponse, error) {
	resp, err := c.send(ctx, c.TokenURL, host, form, n)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	tr, err := c.interpret(ctx, host, resp)
	c.logResult(host, n, resp.StatusCode, tr, err)
	return tr, err
}

// newRequest builds one attempt's request to endpoint: a fresh copy of
// form with client_id, the client authentication applied (a client
// assertion names the token endpoint as its audience, whatever endpoint
// it goes to, as Entra expects), and the fixed headers.
func (c *Client) newRequest(ctx context.Context, endpoint string, form url.Values) (*http.Request, error) {
	ar := &AuthRequest{Form: cloneForm(form), Header: http.Header{}, TokenURL: c.TokenURL, ClientID: c.ClientID, Issuer: c.Issuer}
	if c.ClientID != "" {
		ar.Form.Set("client_id", c.ClientID)
	}
	if err := c.auth().Apply(ctx, ar); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(ar.Form.Encode()))
	if err != nil {
		return nil, plugin.Configf("endpoint URL %s: %v", endpoint, err)
	}
	for k, v := range ar.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// cloneForm copies form deeply, so neither Apply nor Add can reach the
// caller's slices.
func cloneForm(form url.Values) url.Values {
	out := make(url.Values, len(form)+1)
	for k, v := range form {
		out[k] = slices.Clone(v)
	}
	return out
}

func (c *Client) auth() ClientAuth {
	if c.Auth == nil {
		return None{}
	}
	return c.Auth
}

func (c *Client) httpClient() *http.Client {
	if c.HTTPClient == nil {
		return defaultHTTPClient()
	}
	return c.HTTPClient
}

func (c *Client) log() hclog.Logger {
	if c.Logger == nil {
		return hclog.NewNullLogger()
	}
	return c.Logger
}

func (c *Client) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}
