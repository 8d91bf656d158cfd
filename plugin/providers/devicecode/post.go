package devicecode

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// postForm POSTs form to endpoint — a server endpoint other than the token
// endpoint — with c's client id and client authentication, and returns
// the body of a 2xx answer. An error answer is a *plugin.OAuthError
// (with an Entra hint where one applies); a network failure wraps
// plugin.ErrUnavailable. Nothing is retried: a failed device
// authorization costs the user nothing yet.
func postForm(ctx context.Context, c *oauth.Client, endpoint string, form url.Values, now func() time.Time) ([]byte, error) {
	if err := oauth.CheckURL(endpoint); err != nil {
		return nil, err
	}
	req, err := newAuthenticatedRequest(ctx, c, endpoint, form)
	if err != nil {
		return nil, err
	}
	host := req.URL.Host
	hc, err := httpClient(c)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: device authorization request failed: %w", host, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, oauth.MaxBodySize))
	if err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: reading the device authorization response: %w", host, err)
	}
	if resp.StatusCode/100 == 2 {
		return body, nil
	}
	return nil, errorAnswer(body, resp.StatusCode, host, now())
}

// newAuthenticatedRequest builds the request: client_id in the form and
// the client authentication applied as for the token endpoint (a client
// assertion keeps the token endpoint as its audience, as Entra expects).
func newAuthenticatedRequest(ctx context.Context, c *oauth.Client, endpoint string, form url.Values) (*http.Request, error) {
	ar := &oauth.AuthRequest{Form: form, Header: http.Header{}, TokenURL: c.TokenURL, ClientID: c.ClientID, Issuer: c.Issuer}
	if c.ClientID != "" {
		ar.Form.Set("client_id", c.ClientID)
	}
	if c.Auth != nil {
		if err := c.Auth.Apply(ctx, ar); err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(ar.Form.Encode()))
	if err != nil {
		return nil, plugin.Configf("device authorization URL %s: %v", endpoint, err)
	}
	for k, v := range ar.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// errorAnswer classifies a non-2xx answer through the token endpoint's
// parser, which turns any non-2xx body into a *plugin.OAuthError.
func errorAnswer(body []byte, status int, host string, now time.Time) error {
	_, err := oauth.ParseTokenResponse(body, status, now)
	var oe *plugin.OAuthError
	if errors.As(err, &oe) {
		oe.Host = host
		return entra.Wrap(oe)
	}
	return fmt.Errorf("%s: device authorization: %w", host, err)
}

// httpClient is c's HTTP client, else one with oauth's defaults (no
// redirects followed).
func httpClient(c *oauth.Client) (*http.Client, error) {
	if c.HTTPClient != nil {
		return c.HTTPClient, nil
	}
	return oauth.NewHTTPClient(oauth.HTTPOptions{})
}
