package oauth

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
)

// Post POSTs form to endpoint, another endpoint of the same server than
// the token endpoint (the device authorization endpoint of RFC 8628
// §3.1), and returns the body of its 2xx JSON answer for the caller to
// parse. The request is built and retried exactly as Token's: client_id
// and the client authentication applied afresh to each attempt; 5xx,
// temporarily_unavailable, 429 (within the deadline) and network failures
// tried again; OAuth 4xx errors returned at once as a *plugin.OAuthError
// with Host and RetryAfter set. The caller's form is not modified.
func (c *Client) Post(ctx context.Context, endpoint string, form url.Values) ([]byte, error) {
	host, err := endpointHost(endpoint)
	if err != nil {
		return nil, err
	}
	var body []byte
	err = c.retrying(ctx, host, func(n int) error {
		var err error
		body, err = c.postOnce(ctx, endpoint, host, form, n)
		return err
	})
	return body, err
}

// postOnce sends one attempt of Post.
func (c *Client) postOnce(ctx context.Context, endpoint, host string, form url.Values, n int) ([]byte, error) {
	resp, err := c.send(ctx, endpoint, host, form, n)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := c.readAnswer(ctx, host, resp)
	if err != nil {
		c.logFailure(host, n, err)
	}
	return body, err
}

// send builds attempt n of a POST of form to endpoint and sends it; a
// transport failure comes back classified and logged.
func (c *Client) send(ctx context.Context, endpoint, host string, form url.Values, n int) (*http.Response, error) {
	req, err := c.newRequest(ctx, endpoint, form)
	if err != nil {
		return nil, err
	}
	c.log().Debug("request", "host", host, "path", req.URL.Path, "attempt", n)
	resp, err := c.httpClient().Do(req)
	if err != nil {
		err = transportError(ctx, host, err)
		c.logFailure(host, n, err)
		return nil, err
	}
	return resp, nil
}

// readAnswer is interpret for an endpoint other than the token endpoint:
// a redirect is a configuration error, a 2xx that is not JSON is
// unavailable, a non-2xx is the server's error answer.
func (c *Client) readAnswer(ctx context.Context, host string, resp *http.Response) ([]byte, error) {
	status := resp.StatusCode
	if status >= 300 && status <= 399 {
		return nil, plugin.Configf("%s: answered HTTP %d, a redirect, which is not followed; check the endpoint URL", host, status)
	}
	body, err := readBody(resp.Body)
	if err != nil {
		return nil, bodyError(ctx, host, err)
	}
	if status/100 != 2 {
		return nil, c.annotate(parseErrorResponse(body, status), host, resp.Header)
	}
	if ct := resp.Header.Get("Content-Type"); !isJSON(ct) {
		return nil, unavailable(host, fmt.Sprintf("HTTP %d answer has content type %s, not JSON", status, mediaType(ct)), nil, false)
	}
	return body, nil
}
