package oauth

import (
	"errors"

	"github.com/keyfob/keyfob/plugin"
)

// Log lines name the host, status, attempt, OAuth error code, Entra's
// request ids, token fingerprints and expiry. They never carry a form
// value, a header value or a body.

// logResult logs the outcome of one answered attempt.
func (c *Client) logResult(host string, n, status int, tr *TokenResponse, err error) {
	if err != nil {
		c.logFailure(host, n, err)
		return
	}
	c.log().Debug("token response", "host", host, "attempt", n, "status", status,
		"access_token_fp", tr.AccessToken.Fingerprint(), "expires_at", tr.ExpiresAt,
		"refresh_token_fp", tr.RefreshToken.Fingerprint(), "token_type", tr.TokenType)
}

// logFailure logs a failed attempt. An OAuth error is logged by its
// fields, not its description; other errors are this package's own
// one-line conditions.
func (c *Client) logFailure(host string, n int, err error) {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) {
		c.log().Debug("token request failed", "host", host, "attempt", n, "error", err.Error())
		return
	}
	c.log().Debug("token error response", "host", host, "attempt", n, "status", oe.StatusCode,
		"error", oe.Code, "error_codes", oe.ErrorCodes, "trace_id", oe.TraceID,
		"correlation_id", oe.CorrelationID, "retry_after", oe.RetryAfter)
}
