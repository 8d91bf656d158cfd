package oauth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// MaxBodySize caps a token endpoint's response body, as x/oauth2 does.
const MaxBodySize = 1 << 20

// errBodyTooLarge is the cause of an over-long response.
var errBodyTooLarge = errors.New("response body too large")

// interpret turns one HTTP answer into a token response or a classified
// error: a redirect is a configuration error, a 2xx that is not JSON is
// unavailable, and everything else is ParseTokenResponse's to judge.
func (c *Client) interpret(ctx context.Context, host string, resp *http.Response) (*TokenResponse, error) {
	status := resp.StatusCode
	if status >= 300 && status <= 399 {
		return nil, plugin.Configf("%s: token endpoint answered HTTP %d, a redirect, which is not followed; check the token URL", host, status)
	}
	body, err := readBody(resp.Body)
	if err != nil {
		return nil, bodyError(ctx, host, err)
	}
	if ct := resp.Header.Get("Content-Type"); status/100 == 2 && !isJSON(ct) {
		return nil, unavailable(host, fmt.Sprintf("HTTP %d token response has content type %s, not JSON", status, mediaType(ct)), nil, false)
	}
	tr, err := ParseTokenResponse(body, status, c.now())
	return tr, c.annotate(err, host, resp.Header)
}

// annotate completes ParseTokenResponse's error with what only the HTTP
// exchange knows: the host and the Retry-After header.
func (c *Client) annotate(err error, host string, h http.Header) error {
	if err == nil {
		return nil
	}
	var oe *plugin.OAuthError
	if errors.As(err, &oe) {
		oe.Host = host
		oe.RetryAfter = parseRetryAfter(h, c.now())
		return oe
	}
	return fmt.Errorf("%s: %w", host, err)
}

// readBody reads at most MaxBodySize bytes, failing beyond.
func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxBodySize+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxBodySize {
		return nil, errBodyTooLarge
	}
	return body, nil
}

// bodyError classifies a failure to read the body.
func bodyError(ctx context.Context, host string, err error) error {
	if errors.Is(err, errBodyTooLarge) {
		return unavailable(host, "response body exceeds the 1 MiB cap", err, false)
	}
	return transportError(ctx, host, err)
}

// isJSON accepts application/json, text/json, text/javascript and any
// +json type, and a missing Content-Type.
func isJSON(ct string) bool {
	if ct == "" {
		return true
	}
	mt := mediaType(ct)
	return mt == "application/json" || mt == "text/json" || mt == "text/javascript" || strings.HasSuffix(mt, "+json")
}

// mediaType is ct without parameters, or "(unparseable)".
func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return "(unparseable)"
	}
	return mt
}
