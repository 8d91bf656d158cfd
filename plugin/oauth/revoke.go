package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
)

// Token type hints of RFC 7009 §2.1.
const (
	// HintRefreshToken says the token to revoke is a refresh token.
	HintRefreshToken = "refresh_token"
	// HintAccessToken says the token to revoke is an access token.
	HintAccessToken = "access_token"
)

// ErrUnsupportedTokenType is what Revoke's error wraps when the server
// does not revoke tokens of the hinted type (RFC 7009 §2.2.1
// unsupported_token_type), so that a caller can tell "this server cannot"
// apart from "this request failed". The *plugin.OAuthError stays
// reachable through errors.As.
var ErrUnsupportedTokenType = errors.New("the server does not revoke this type of token")

// unsupportedTypeError is an unsupported_token_type answer: its text is
// the OAuth error's, and it wraps both that and ErrUnsupportedTokenType.
type unsupportedTypeError struct{ oe *plugin.OAuthError }

func (e *unsupportedTypeError) Error() string { return e.oe.Error() }

// Unwrap exposes the sentinel and the OAuth error (for plugin.KindOf).
func (e *unsupportedTypeError) Unwrap() []error { return []error{ErrUnsupportedTokenType, e.oe} }

// Revoke asks the revocation endpoint to revoke token (RFC 7009): it POSTs
// token and token_type_hint (hint, one of HintRefreshToken and
// HintAccessToken; "" sends none) with client_id and the client
// authentication applied afresh to each attempt, exactly as Token does, a
// client assertion still naming TokenURL as its audience. Any 2xx answer,
// whatever its body, means the token is revoked or was not valid (§2.2).
//
// A redirect is refused (plugin.ErrConfig), an error answer is read up to
// MaxBodySize, and failures are retried as Token's are: 5xx,
// temporarily_unavailable, 429 with a Retry-After that fits ctx's deadline
// and network failures; an OAuth 4xx is returned at once as a
// *plugin.OAuthError, wrapped with ErrUnsupportedTokenType for
// unsupported_token_type.
func (c *Client) Revoke(ctx context.Context, endpoint string, token plugin.Secret, hint string) error {
	host, err := endpointHost(endpoint)
	if err != nil {
		return err
	}
	form := url.Values{"token": {token.Reveal()}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	return c.retrying(ctx, host, func(n int) error {
		return c.revokeOnce(ctx, endpoint, host, form, n)
	})
}

// revokeOnce sends one attempt of Revoke.
func (c *Client) revokeOnce(ctx context.Context, endpoint, host string, form url.Values, n int) error {
	resp, err := c.send(ctx, endpoint, host, form, n)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	err = c.revocationAnswer(ctx, host, resp)
	if err != nil {
		c.logFailure(host, n, err)
		return err
	}
	c.log().Debug("token revoked", "host", host, "attempt", n, "status", resp.StatusCode)
	return nil
}

// revocationAnswer judges a revocation endpoint's answer: 2xx is done,
// whatever its body; a redirect is a configuration error; anything else
// is the server's error, read as readAnswer does, an
// unsupported_token_type wrapped with ErrUnsupportedTokenType.
func (c *Client) revocationAnswer(ctx context.Context, host string, resp *http.Response) error {
	switch status := resp.StatusCode; status / 100 {
	case 2:
		return nil
	case 3:
		return plugin.Configf("%s: revocation endpoint answered HTTP %d, a redirect, which is not followed; check the revocation URL", host, status)
	}
	_, err := c.readAnswer(ctx, host, resp)
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.Code == "unsupported_token_type" {
		return &unsupportedTypeError{oe: oe}
	}
	return err
}
