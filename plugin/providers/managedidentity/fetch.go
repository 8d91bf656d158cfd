package managedidentity

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Transport limits of the default HTTP client. IMDS is on the local link
// and App Service on loopback: a slow connect means there is none.
const (
	dialTimeout    = 5 * time.Second
	requestTimeout = 30 * time.Second
	// maxRetryAfter is the longest Retry-After honoured.
	maxRetryAfter = time.Minute
	// maxBodySize caps an answer.
	maxBodySize = 1 << 20
)

// fetch sends the request built by build, retrying answers that IMDS
// documents as transient, and parses the token response.
func (p Provider) fetch(ctx context.Context, req *plugin.Request, ep *endpoint, build func(context.Context) (*http.Request, error)) (*oauth.TokenResponse, error) {
	host := ep.url.Host
	for attempt := 1; ; attempt++ {
		req.Logger.Debug("managed identity token request", "source", ep.source, "host", host, "attempt", attempt)
		tr, err := p.attempt(ctx, host, build)
		if err == nil {
			req.Logger.Debug("managed identity token response", "host", host, "access_token_fp", tr.AccessToken.Fingerprint(), "expires_at", tr.ExpiresAt)
			return tr, nil
		}
		wait, again := p.retryDelay(ctx, err, attempt)
		if !again {
			return nil, finalError(ep, err)
		}
		req.Logger.Debug("retrying managed identity token request", "host", host, "attempt", attempt, "wait", wait.String(), "error", err.Error())
		if werr := oauth.Sleep(ctx, wait); werr != nil {
			return nil, plugin.Errorf(plugin.ErrUnavailable, "%w (gave up waiting to retry: %v)", err, werr)
		}
	}
}

// attempt sends one request and interprets the answer.
func (p Provider) attempt(ctx context.Context, host string, build func(context.Context) (*http.Request, error)) (*oauth.TokenResponse, error) {
	r, err := build(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := p.httpClient().Do(r)
	if err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "managed identity endpoint %s: %v", host, oauth.TransportCause(ctx, err))
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return nil, plugin.Configf("managed identity endpoint %s answered HTTP %d, a redirect, which is not followed", host, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodySize+1))
	switch {
	case err != nil:
		return nil, plugin.Errorf(plugin.ErrUnavailable, "managed identity endpoint %s: reading the answer: %v", host, oauth.TransportCause(ctx, err))
	case len(body) > maxBodySize:
		return nil, plugin.Errorf(plugin.ErrUnavailable, "managed identity endpoint %s: the answer exceeds 1 MiB", host)
	}
	tr, err := oauth.ParseTokenResponse(body, resp.StatusCode, time.Now())
	return tr, annotate(err, host, resp.Header, body)
}

// annotate completes ParseTokenResponse's error: the host, Retry-After,
// and App Service's {"statusCode": …, "message": …} as the description.
func annotate(err error, host string, h http.Header, body []byte) error {
	var oe *plugin.OAuthError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &oe):
		return fmt.Errorf("managed identity endpoint %s: %w", host, err)
	}
	oe.Host = host
	oe.RetryAfter = retryAfter(h)
	if oe.Code == "" && oe.Description == "" {
		var m struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &m) == nil {
			oe.Description = m.Message
		}
	}
	return oe
}

// retryable reports whether an answer is one IMDS documents as transient:
// 404 and 410 (updating, restarting), 429 and 5xx.
func retryable(err error) (*plugin.OAuthError, bool) {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) {
		return nil, false
	}
	s := oe.StatusCode
	return oe, s == http.StatusNotFound || s == http.StatusGone || s == http.StatusTooManyRequests || s >= 500
}

// retryDelay decides whether to ask again after attempt (1-based) failed
// with err, and how long to wait first: Backoff·2^(attempt-1), or the
// server's Retry-After when longer. A wait that would outlast ctx's
// deadline is not started.
func (p Provider) retryDelay(ctx context.Context, err error, attempt int) (time.Duration, bool) {
	oe, ok := retryable(err)
	if !ok || attempt > p.maxRetries() {
		return 0, false
	}
	wait := p.backoff() << min(attempt-1, 10)
	if oe.RetryAfter > wait {
		wait = oe.RetryAfter
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
		return 0, false
	}
	return wait, true
}

// finalError is the error reported after the last attempt. IMDS's 404
// and 410 mean it is not ready, not a refusal: they become unavailability
// (exit 5) like 429 and 5xx. A connection failure to IMDS gets a hint.
func finalError(ep *endpoint, err error) error {
	if oe, ok := retryable(err); ok && oe.Kind() != plugin.KindUnavailable {
		return plugin.Errorf(plugin.ErrUnavailable, "%w", err)
	}
	var oe *plugin.OAuthError
	if ep.source == SourceIMDS && plugin.KindOf(err) == plugin.KindUnavailable && !errors.As(err, &oe) {
		return plugin.Errorf(plugin.ErrUnavailable, "%v (is this an Azure VM or AKS node with a managed identity?)", err)
	}
	return err
}

func (p Provider) maxRetries() int {
	switch {
	case p.MaxRetries < 0:
		return 0
	case p.MaxRetries == 0:
		return DefaultMaxRetries
	}
	return p.MaxRetries
}

func (p Provider) backoff() time.Duration {
	if p.Backoff <= 0 {
		return DefaultBackoff
	}
	return p.Backoff
}

func (p Provider) httpClient() *http.Client {
	if p.HTTPClient != nil {
		return p.HTTPClient
	}
	return defaultHTTPClient()
}

// defaultHTTPClient never uses a proxy (IMDS and App Service are local; a
// proxy would see the request, and Docker Desktop's answers 403), never
// follows redirects and times out quickly.
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: dialTimeout}).DialContext,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConns:        2,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
})

// retryAfter reads a Retry-After header in seconds or as an HTTP date,
// capped at maxRetryAfter; 0 when absent or malformed.
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return max(0, min(d, maxRetryAfter))
}
